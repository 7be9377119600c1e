import { factsOf, type Policy } from '../../../policy/types';
import { preview } from '../../../replay/replay';
import { apiUrl } from '../../../checks/support/attacker';
import { projectRootOf } from '../../../base/project-root';
import type { AnalysedFile, Check, CheckContext, Report } from '../../../checks/types';
import type { ExpressLayer } from '../facts';

/** Methods a browser always preflights (POST: with a JSON body or any custom header). */
const PREFLIGHTED = ['PUT', 'PATCH', 'DELETE', 'POST'];

/** An origin the policy lets in, to ask its preflight as a frontend it serves would. */
function servedOrigin(policy: Policy): string | undefined {
  const { origins } = policy;
  if (origins.allowAll || origins.reflectAny) return 'https://app.example.com';
  return origins.exact[0]?.value;
}

/** Whether a `cors()` of this policy answers OPTIONS requests (`app.use(cors())`, `app.options(...)`). */
const answersPreflights = (policy: Policy): boolean =>
  (factsOf(policy, 'express-cors')?.mounts ?? []).some(
    (m) => m.methods === 'all' || m.methods.includes('OPTIONS'),
  );

/**
 * Whether anything else may answer preflights: in the file or its project, another `cors()`
 * mounted for every method or for OPTIONS, or a CORS setup of another kind (hand-set headers, a
 * proxy). Unknown (true) when the workspace's apps were not indexed.
 */
function answeredElsewhere(file: AnalysedFile, context: CheckContext): boolean {
  const apps = context.workspace?.apps;
  if (!apps) return true;
  const root = projectRootOf(file.path);
  return [
    ...file.policies,
    ...apps
      .filter((app) => app.file !== file.path && projectRootOf(app.file) === root)
      .flatMap((app) => app.policies),
  ].some((other) => other.framework !== 'express-cors' || answersPreflights(other));
}

/** Previews asked of one file at most: a generated module of thousands of routes stays cheap. */
const MOST_MOUNTS = 64;

/** The path a route's `:params` and wildcards stand for, as a request would spell it. */
const requestPath = (route: string): string =>
  route.replace(/:[\w$]+\??/g, 'x').replace(/\*\w*|\{[^}]*\}/g, 'x') || '/';

/**
 * `cors()` as one route's own middleware (`router.post('/', cors(), handler)`) runs for that
 * method only. A browser asks first with OPTIONS for a request with a JSON body, a custom header
 * or a PUT/PATCH/DELETE; Express answers that OPTIONS itself (200 with `Allow`, no CORS headers),
 * so the browser never sends the request. The cors README says to add `app.options(path, cors())`.
 * Asked of the model and the Fetch evaluator with an origin the policy lets in; not reported when
 * anything else in the file or its project may answer preflights (so it runs per file).
 */
export const expressRouteCorsNoPreflight: Check = {
  id: 'express-route-cors-no-preflight',
  severity: 'warning',
  frameworks: ['express-cors'],
  description:
    "cors() as a route's own middleware (app.post(path, cors(), ...)) never sees the preflight: requests with a JSON body, a custom header or PUT/PATCH/DELETE fail unless app.options(path, cors()) answers it.",
  fix: { description: 'add `app.options(path, cors(...))` before the route', safety: 'review' },
  runOnFile(file, context) {
    const routeOnly = file.policies.some((p) =>
      factsOf(p, 'express-cors')?.mounts.some((m) => m.methods !== 'all'),
    );
    if (file.overBudgetPhase || !routeOnly || answeredElsewhere(file, context)) return [];
    const reports: Report[] = [];
    let asked = 0;
    for (const policy of file.policies) {
      const facts = factsOf(policy, 'express-cors');
      const origin = servedOrigin(policy);
      if (!facts || !origin || policy.inactive) continue;
      for (const mount of facts.mounts) {
        const method = PREFLIGHTED.find(
          (m) => mount.methods !== 'all' && mount.methods.includes(m),
        );
        if (!method || mount.path.kind !== 'string' || ++asked > MOST_MOUNTS) continue;
        const json = method === 'POST';
        const result = preview(policy, context.framework(policy).model, {
          url: apiUrl(requestPath(mount.path.value)),
          origin,
          method,
          headers: json ? [['Content-Type', 'application/json']] : [],
          credentials: policy.credentials === true ? 'include' : 'omit',
        });
        // Only a preflight that fails: the request itself is then never sent.
        if (!result.preflight.needed || result.actual !== null) continue;
        reports.push(report(mount, method, json, context));
      }
    }
    return reports;
  },
};

function report(mount: ExpressLayer, method: string, json: boolean, context: CheckContext): Report {
  const text = context.text(mount.span.file);
  const call = text.slice(mount.span.start, mount.span.end);
  const path = mount.path.kind === 'string' ? mount.path.value : '';
  const which = json ? `a ${method} with a JSON body or a custom header` : `a ${method}`;
  const receiver = /^([\w$.]+)\.\w+\s*\(/.exec(call)?.[1];
  const cors = /\bcors\s*\([^()]*(?:\([^()]*\)[^()]*)*\)/.exec(call)?.[0];
  return {
    message:
      `cors() runs only for ${method} '${path}': the browser's preflight for ${which} (OPTIONS ` +
      `'${path}') is answered by Express itself, without CORS headers, so the request is never ` +
      `sent. Answer the preflight too: ${receiver ?? 'app'}.options('${path}', ${cors ?? 'cors()'}).`,
    span: mount.span,
    fix:
      receiver && cors && mount.statement
        ? insertOptions(mount, receiver, cors, context)
        : undefined,
  };
}

/** `router.options('/', cors());` on its own line before the route, in the statement's indentation. */
function insertOptions(
  mount: ExpressLayer,
  receiver: string,
  cors: string,
  context: CheckContext,
): Report['fix'] {
  const statement = mount.statement!;
  const text = context.text(statement.file);
  const lineStart = text.lastIndexOf('\n', statement.start - 1) + 1;
  const indent = text.slice(lineStart, statement.start);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const call = text.slice(mount.span.start, mount.span.end);
  const pathArg = /^[\w$.]+\.\w+\s*\(\s*((['"`])[^'"`\n]*\2)/.exec(call)?.[1];
  if (!pathArg) return undefined;
  const semi = /;\s*$/.test(text.slice(statement.start, statement.end)) ? ';' : '';
  return {
    title: `Answer the preflight: ${receiver}.options(${pathArg}, ${cors})`,
    edits: [
      {
        file: statement.file,
        start: lineStart,
        end: lineStart,
        newText: `${indent}${receiver}.options(${pathArg}, ${cors})${semi}\n`,
      },
    ],
  };
}
