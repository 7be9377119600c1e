/**
 * The rack-cors extractor: every `Rack::Cors` a Ruby file adds to a middleware stack (a Rails
 * initializer or config/application.rb, a rackup file), one Policy per `resource` in the order
 * rack-cors tries them. Each carries the whole setup (`rackCors`), which the model answers from.
 */
import { namedDescendants } from '../../parsing/descendants';
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { RackCorsBlock, RackCorsSetup } from './facts';
import type { NameList, OriginPolicy, Policy, Span } from '../../policy/types';
import { assignmentsOf, RubyEvaluator } from '../../lang/ruby/evaluate';
import { railsConfigX } from '../../lang/ruby/rails-config';
import { runsUnderConditionals } from '../../lang/ruby/branches';
import type { SourceReader } from '../../base/source-reader';
import { positionOf, rackCorsArgument, rackupUses } from './position';
import { lockedMajor } from '../../lang/ruby/gemfile';
import { readSetup } from './setup';

/** rack-cors' message for `credentials: true` with `origins '*'` (Resource::CorsMisconfigurationError). */
export const WILDCARD_CREDENTIALS_ERROR =
  'rack-cors raises CorsMisconfigurationError when the app boots ("Allowing credentials for wildcard origins is insecure."), so the server does not start';

/** Every call in the tree that adds Rack::Cors, with its Rack::Cors argument. */
function middlewareCalls(root: Node): { call: Node; cors: Node }[] {
  const found: { call: Node; cors: Node }[] = [];
  for (const node of [root, ...namedDescendants(root)]) {
    const cors = rackCorsArgument(node);
    if (cors) found.push({ call: node, cors });
  }
  return found;
}

/**
 * The origins of a block as the neutral policy has them. Only one policy per block (`reports`)
 * carries their spans, so a block with several resources gets each finding once.
 */
function origins(block: RackCorsBlock, reports: boolean): OriginPolicy {
  const any = reports ? block.origins.find((o) => o.kind === 'any') : undefined;
  const echo = reports ? block.origins.find((o) => o.kind === 'echo') : undefined;
  const span = <T extends { span: Span }>(o: T) => (reports ? o.span : undefined);
  return {
    allowAll: block.public,
    exact: block.origins.flatMap((o) =>
      o.kind === 'exact'
        ? [{ value: o.value, span: span(o), ...(o.conditional ? { conditional: true } : {}) }]
        : [],
    ),
    regexes: block.origins.flatMap((o) =>
      o.kind === 'regex'
        ? [
            {
              pattern: o.source,
              flavor: 'ruby' as const,
              flags: o.flags,
              span: span(o),
              test: o.test,
            },
          ]
        : [],
    ),
    dynamic: block.dynamic,
    envDriven: block.envDriven,
    allowAllAt: any && { span: any.span, label: "origins '*'" },
    reflectAny: echo && {
      span: echo.span,
      label: `An origins block that accepts every origin${echo.kind === 'echo' && echo.why ? ` (${echo.why})` : ''}`,
    },
    listAt: reports && block.list ? { span: block.list.call, label: 'origins' } : undefined,
  };
}

const nameList = (names: string[] | 'any' | 'dynamic'): NameList =>
  names === 'dynamic'
    ? { names: [], wildcard: false, dynamic: true }
    : names === 'any'
      ? { names: [], wildcard: true, dynamic: false }
      : { names, wildcard: false, dynamic: false };

/** The neutral policy of one resource. */
/** The resource of each block whose policy reports the block's origins: the one rack-cors raises at, else the first. */
function reporters(setup: RackCorsSetup): Set<number> {
  const out = new Set<number>();
  setup.blocks.forEach((_, b) => {
    const own = setup.resources.map((r, i) => ({ r, i })).filter(({ r }) => r.block === b);
    const lead = own.find(({ r }) => r.public && r.credentials === true) ?? own[0];
    if (lead) out.add(lead.i);
  });
  return out;
}

function policyOf(
  file: string,
  setup: RackCorsSetup,
  index: number,
  reports: boolean,
  configFiles: readonly string[],
): Policy {
  const resource = setup.resources[index];
  const block = setup.blocks[resource.block];
  const at = resource.credentialsAt;
  // Before 1.0, `'*'` with credentials (their default) echoes every Origin: no raise at boot.
  const echoesAll = !!setup.legacy && resource.public && resource.credentials === true;
  const blockOrigins = origins(block, reports);
  // `methods.include?(request_method.downcase)`: an upper-case 'GET' never matches a preflight.
  const methods =
    resource.methods === 'dynamic'
      ? 'dynamic'
      : resource.methods.filter((m) => m === m.toLowerCase()).map((m) => m.toUpperCase());
  const maxAge =
    resource.maxAge === 'dynamic' || !/^\d+$/.test(resource.maxAge)
      ? 'dynamic'
      : Number(resource.maxAge);
  return {
    framework: 'rack-cors',
    file,
    files: [file, ...configFiles],
    at: resource.span,
    configured: true,
    origins: echoesAll
      ? {
          ...blockOrigins,
          allowAll: false,
          allowAllAt: undefined,
          reflectAny: blockOrigins.allowAllAt && {
            span: blockOrigins.allowAllAt.span,
            label: at
              ? "origins '*' with credentials: true (rack-cors before 1.0, Gemfile.lock)"
              : "origins '*' with rack-cors before 1.0 (Gemfile.lock), where credentials default to on,",
          },
        }
      : blockOrigins,
    credentials: resource.public && resource.credentials === true ? true : resource.credentials,
    credentialsAt: at && { span: at, label: 'credentials: true' },
    startupError:
      !setup.legacy && resource.public && resource.credentials === true && at
        ? { span: at, label: WILDCARD_CREDENTIALS_ERROR }
        : undefined,
    methods: nameList(methods),
    headers: nameList(resource.headers),
    expose: nameList(resource.expose),
    maxAge,
    urlRegex:
      resource.pattern === 'dynamic'
        ? 'dynamic'
        : resource.anchored
          ? resource.pattern
          : `[\\s\\S]*?(?:${resource.pattern})`,
    allowPrivateNetwork: false,
    facts: { setup, resource: index },
  };
}

/** The rack-cors policies of a Ruby file (none when it adds no Rack::Cors with rules). */
export async function extractRackCors(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  const root = tree.root;
  // `origins Rails.application.config.x.cors_origins`: the environment's files set it.
  const configX = /\.x\.\w/.test(text) ? await railsConfigX(file, reader) : undefined;
  const evaluator = new RubyEvaluator(file, assignmentsOf(root), configX?.values);
  const policies: Policy[] = [];
  let uses: ReturnType<typeof rackupUses> | undefined;
  let railsMajor: number | undefined | null = null;
  let legacy: boolean | undefined;
  for (const { call, cors } of middlewareCalls(root)) {
    // `Rack::Cors` inserted under `if Rails.env.development?`: not in another environment.
    if (!runsUnderConditionals(call, evaluator)) continue;
    legacy ??= lockedMajor(file, reader, 'rack-cors') === 0;
    const { blocks, resources } = readSetup(file, call, evaluator, legacy);
    const setup: RackCorsSetup = {
      blocks,
      resources,
      position: positionOf(file, (uses ??= rackupUses(file, root)), call, cors),
      ...(legacy ? { legacy: true as const } : {}),
    };
    if (setup.position.stack === 'rails') {
      if (railsMajor === null) railsMajor = lockedMajor(file, reader, 'rails');
      if (railsMajor !== undefined) setup.position.railsMajor = railsMajor;
    }
    const reporting = reporters(setup);
    resources.forEach((_, i) =>
      policies.push(policyOf(file, setup, i, reporting.has(i), configX?.files ?? [])),
    );
  }
  return policies;
}
