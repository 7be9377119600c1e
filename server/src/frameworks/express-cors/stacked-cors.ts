/**
 * Two app-wide `cors()` layers on one app: both in one module, or the first in the module that
 * builds and exports the app and the second where it is imported (Travel-Tracker, held-out batch
 * 40: `app.use(cors({ origin: process.env.CORS_ORIGIN }))` in app.js, a bare `app.use(cors())` on
 * the imported app in index.js). Each policy learns the app-wide layers registered around its own
 * (a module that exports the app cannot see where it is imported: only the importing one learns
 * of both); the model then answers as the real stack does.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { exportedNode, importOf, readModule } from '../../lang/javascript/options-object';
import { JsEvaluator, unwrap } from '../../lang/javascript/evaluate';
import { parseText } from '../../parsing/parser';
import { type Policy, factsOf } from '../../policy/types';
import type { StackedCors, ExpressLayer } from './facts';

/** Whether a `cors()` layer covers every path (`app.use(cors())`, `app.use('/', cors())`). */
export const everywhere = (mount: ExpressLayer): boolean =>
  mount.prefix &&
  (mount.path.kind === 'all' ||
    (mount.path.kind === 'string' && mount.path.value.replace(/\/+$/, '') === ''));

/** An app module longer than this is not read for its layers (a bundle is not where apps are built). */
const MAX_CHARS = 256 * 1024;

/** The policy's first app-wide `cors()` layer on a named app. */
export const appWide = (policy: Policy): ExpressLayer | undefined =>
  factsOf(policy, 'express-cors')?.mounts.find((m) => everywhere(m) && m.receiver);

/** The app-wide layers among `policies` on `receiver` registered in `from < at < to`, in order. */
function registeredBetween(
  policies: Policy[],
  receiver: string,
  from: number,
  to: number,
): StackedCors[] {
  const found: { at: number; layer: StackedCors }[] = [];
  for (const policy of policies) {
    const facts = factsOf(policy, 'express-cors');
    const mount = facts?.mounts.find((m) => everywhere(m) && m.receiver === receiver);
    if (mount && from < mount.at && mount.at < to)
      found.push({ at: mount.at, layer: { policy, mount: mount.span } });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.layer);
}

/**
 * The most app-wide `cors()` layers of one app replayed together. Real apps stack two or three; a
 * generated module with thousands would make every policy carry every other (a cost quadratic in
 * the file), so past this each layer is modelled alone, as before stacking was read.
 */
const MAX_STACKED = 8;

/** Links each policy to the app-wide `cors()` of the same app registered around it in this module. */
export function stackInModule(policies: Policy[]): void {
  const byApp = new Map<string, Policy[]>();
  for (const policy of policies) {
    const receiver = appWide(policy)?.receiver;
    if (receiver) byApp.set(receiver, [...(byApp.get(receiver) ?? []), policy]);
  }
  for (const [receiver, members] of byApp) {
    if (members.length < 2 || members.length > MAX_STACKED) continue;
    for (const policy of members) {
      const at = appWide(policy)!.at;
      const facts = factsOf(policy, 'express-cors')!;
      const earlier = registeredBetween(members, receiver, -Infinity, at);
      const later = registeredBetween(members, receiver, at, Infinity);
      if (earlier.length) facts.earlier = earlier;
      if (later.length) facts.later = later;
    }
  }
}

/** Extracts a module's Express policies without following its own imported apps again. */
export type ModuleExtractor = (
  file: string,
  text: string,
  root: Node,
  reader: SourceReader,
) => Promise<Policy[]>;

/**
 * Links each policy whose app-wide `cors()` is mounted on an app imported from a relative module
 * (`import app from './app'`) to the app-wide `cors()` layers that module registers on the app it
 * exports: requiring the module runs them first. One module read per imported app.
 */
export async function stackOnImportedApp(
  file: string,
  root: Node,
  policies: Policy[],
  reader: SourceReader,
  extract: ModuleExtractor,
): Promise<void> {
  const byReceiver = new Map<string, StackedCors[]>();
  for (const policy of policies) {
    const mount = appWide(policy);
    if (!mount?.receiver || !/^[\w$]+$/.test(mount.receiver)) continue;
    let earlier = byReceiver.get(mount.receiver);
    if (!earlier) {
      earlier = await importedAppLayers(file, root, mount.receiver, reader, extract);
      byReceiver.set(mount.receiver, earlier);
    }
    if (!earlier.length) continue;
    const facts = factsOf(policy, 'express-cors')!;
    facts.earlier = [...earlier, ...(facts.earlier ?? [])];
    policy.files = [...new Set([...policy.files, ...earlier.map((e) => e.mount.file)])];
  }
}

/** The app-wide `cors()` layers the module `receiver` is imported from registers on that app. */
async function importedAppLayers(
  file: string,
  root: Node,
  receiver: string,
  reader: SourceReader,
  extract: ModuleExtractor,
): Promise<StackedCors[]> {
  const binding = importOf(root, receiver);
  const module = binding && readModule(file, binding.spec, reader);
  if (!module || module.text.length > MAX_CHARS || !/\bcors\b/.test(module.text)) return [];
  const tree = await parseText(module.grammar, module.text);
  try {
    const exported = exportedNode(
      new JsEvaluator(module.file, tree.root),
      tree.root,
      binding.exported,
    );
    const app = exported && unwrap(exported);
    if (app?.type !== 'identifier') return [];
    const theirs = await extract(module.file, module.text, tree.root, reader);
    return registeredBetween(theirs, app.text, -Infinity, Infinity);
  } finally {
    tree.delete();
  }
}
