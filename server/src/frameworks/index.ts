/**
 * The registry: every framework CORS Lens reads, registered once. Adding a framework is adding
 * its folder and one line here (see ARCHITECTURE.md, "Add a framework").
 */
import type { SourceReader } from '../base/source-reader';
import { projectReader } from '../base/project-reader';
import { withBudget, type Budget } from '../base/budget';
import { unloadedModule } from '../base/unloaded-module';
import { cannotStart } from '../base/cannot-start';
import { pagesApiWithoutDefault } from './nextjs/pages-api-default';
import { autoLoaded } from './node-handset/nitro-folders';
import path from 'node:path';
import type { GrammarId } from '../parsing/parser';
import type { SourceTree } from '../parsing/source-tree';
import type { FrameworkId, Policy } from '../policy/types';
import type { LibraryModel } from '../replay/library-model';
import type { FrameworkDescriptor } from './descriptor';
import { apolloServerFramework } from './apollo-server';
import { aiohttpCorsFramework } from './aiohttp-cors';
import { djangoFramework } from './django';
import { expressCorsFramework } from './express-cors';
import { falconFramework } from './falcon';
import { fastifyCorsFramework } from './fastify-cors';
import { fetchHandlerFramework } from './fetch-handler';
import { flaskCorsFramework } from './flask-cors';
import { graphqlYogaFramework } from './graphql-yoga';
import { nestjsFramework } from './nestjs';
import { honoCorsFramework } from './hono-cors';
import { koaCorsFramework } from './koa-cors';
import { nextjsFramework } from './nextjs';
import { laravelCorsFramework } from './laravel-cors';
import { nelmioCorsFramework } from './nelmio-cors';
import { nginxFramework } from './nginx';
import { nodeHandsetFramework } from './node-handset';
import { phpHandsetFramework } from './php-handset';
import { pythonHandsetFramework } from './python-handset';
import { rackCorsFramework } from './rack-cors';
import { rubyHandsetFramework } from './ruby-handset';
import { sinatraFramework } from './sinatra';
import { starletteFramework } from './starlette';

/** Every framework, in the order their extractors run on a file (a file may set up several). */
export const frameworks: readonly FrameworkDescriptor[] = [
  djangoFramework,
  starletteFramework,
  flaskCorsFramework,
  aiohttpCorsFramework,
  falconFramework,
  pythonHandsetFramework,
  expressCorsFramework,
  nextjsFramework,
  nestjsFramework,
  apolloServerFramework,
  graphqlYogaFramework,
  fastifyCorsFramework,
  koaCorsFramework,
  honoCorsFramework,
  fetchHandlerFramework,
  nodeHandsetFramework,
  rackCorsFramework,
  sinatraFramework,
  rubyHandsetFramework,
  laravelCorsFramework,
  phpHandsetFramework,
  nelmioCorsFramework,
  nginxFramework,
];

const byId = new Map<FrameworkId, FrameworkDescriptor>(frameworks.map((f) => [f.id, f]));

/** The descriptor of a policy's framework. */
export function frameworkOf(policy: Pick<Policy, 'framework'>): FrameworkDescriptor {
  const found = byId.get(policy.framework);
  if (!found)
    throw new Error(`framework ${policy.framework} is not registered in frameworks/index.ts`);
  return found;
}

/** The CORS policies a file configures, from every framework that reads its grammar. */
export async function extractPolicies(
  grammar: GrammarId,
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
  budget?: Budget,
): Promise<Policy[]> {
  const policies: Policy[] = [];
  // Imports, includes and sibling configs are followed only inside the file's own project.
  const bounded = projectReader(reader, file, budget);
  const all = async () => {
    for (const framework of frameworks) {
      if (!framework.grammars.includes(grammar)) continue;
      // Between frameworks, the budget (throws OverBudget: the caller reports the file).
      budget?.check();
      policies.push(...(await framework.extract(file, text, tree, bounded)));
    }
    return policies;
  };
  // Inside each framework too, wherever its walks step through `nested`.
  const found = await (budget ? withBudget(budget, all) : all());
  return JS_GRAMMARS.has(grammar) ? unloaded(found, file, text, bounded) : found;
}

const JS_GRAMMARS: ReadonlySet<GrammarId> = new Set(['javascript', 'typescript', 'tsx']);

/**
 * Why a JS/TS module never runs, and what to do about it: a `pages/api` module without a default
 * export, a module that cannot start (`cannotStart`), or one no file of its project loads
 * (`unloadedModule`).
 */
function neverRuns(
  file: string,
  text: string,
  reader: SourceReader,
): { label: string; advice: string } | undefined {
  const unserved = pagesApiWithoutDefault(file, text, reader);
  if (unserved)
    return {
      label: unserved,
      advice: 'Make the handler the default export (`export default async function handler`).',
    };
  const broken = cannotStart(file, text, reader);
  if (broken)
    return { label: broken, advice: 'Restore what it imports, or delete it if it is left over.' };
  if (autoLoaded(file, reader) || !unloadedModule(file, text, reader)) return undefined;
  const stem = path.basename(file).replace(/\.[cm]?[jt]sx?$/, '');
  return {
    label: `no file of its project loads this module (no import, require or config names ${stem})`,
    advice: 'Load it where the app is built, or delete it.',
  };
}

/** The policies of a module that never runs, marked inactive (see `neverRuns`). */
function unloaded(policies: Policy[], file: string, text: string, reader: SourceReader): Policy[] {
  if (!policies.some((p) => !p.inactive)) return policies;
  const never = neverRuns(file, text, reader);
  if (!never) return policies;
  return policies.map((policy) => ({
    ...policy,
    // The module never running says more than a setup of it never answering.
    inactive: policy.inactive?.unloaded
      ? policy.inactive
      : {
          span: policy.at ?? { file, start: 0, end: 0 },
          label: never.label,
          unloaded: never.advice,
        },
  }));
}

/** The model of the library a policy configures. */
export const modelFor = (policy: Pick<Policy, 'framework'>): LibraryModel =>
  frameworkOf(policy).model;
