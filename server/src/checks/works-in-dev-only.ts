import type { Fix } from '../policy/edits';
import { coversPath } from '../policy/paths';
import type { Policy } from '../policy/types';
import type { ProxiedCall } from '../workspace/types';
import { isLoopbackOrigin } from './support/origin';
import { ownSpan, replay, workspaceWhere } from './support/frontend';
import type { Check, CheckContext, Report } from './types';

/** Where the call goes in development: the proxy's target, or the direct call's local API. */
const developmentTarget = (p: ProxiedCall) => p.proxy?.target ?? p.development?.url ?? '';

/** Whether the call reaches this policy's server in development: a local target on a port it listens on. */
function reaches(policy: Policy, proxied: ProxiedCall, context: CheckContext): boolean {
  let target: URL;
  try {
    target = new URL(developmentTarget(proxied));
  } catch {
    return false;
  }
  if (!/^(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)$/i.test(target.hostname)) return false;
  const { port, callPorts } = context.framework(policy).devServer;
  const ports = callPorts ?? [port];
  return !target.port || !callPorts || ports.includes(Number(target.port));
}

/**
 * The production frontend's origin and where it was named: the user's word first, then the
 * framework's frontends (allauth's), then the frontend's own files (`.env.production`'s API
 * counterpart, vercel.json, netlify.toml), then the site the backend's settings name (Django's
 * `CSRF_TRUSTED_ORIGINS`, `ALLOWED_HOSTS`). Never a local origin, nor the API's own (a call from
 * there is same-origin).
 */
function productionOrigin(
  policy: Policy,
  proxied: ProxiedCall,
  context: CheckContext,
): { origin: string; from?: string } | undefined {
  const services = context.framework(policy);
  const api = new URL(proxied.call.url).origin;
  return [
    ...context.allowedOrigins.map((origin) => ({ origin })),
    ...(services.frontendOrigins?.(policy) ?? []).map((origin) => ({ origin })),
    ...proxied.productionOrigins.map((origin) => ({ origin })),
    ...(services.siteOrigins?.(policy) ?? []),
  ].find(
    ({ origin }) =>
      /^https?:\/\/[^/]+$/.test(origin) && !isLoopbackOrigin(origin) && origin !== api,
  );
}

/**
 * Lets `origin` in where production reads the allowlist: in place of the development origins
 * copied there (dev-origin-in-production's finding once a real origin sits next to them), else
 * added to it. None when the origin is listed already (something else refuses the call).
 */
function productionFix(policy: Policy, origin: string, context: CheckContext): Fix | undefined {
  if (policy.origins.exact.some((o) => o.value === origin)) return undefined;
  const fixes = context.framework(policy).fixes;
  const copied = policy.origins.exact.filter(
    (o) => o.span && isLoopbackOrigin(o.value) && context.runsInProduction(o.span.file),
  );
  if (copied.length) {
    const edits = [
      ...(fixes.replaceOrigin(policy, copied[0], origin, context) ?? []),
      ...copied.slice(1).flatMap((o) => fixes.removeOrigin(policy, o, context) ?? []),
    ];
    const names = copied.map((o) => `'${o.value}'`).join(', ');
    return edits.length
      ? { title: `Allow '${origin}' in the production settings in place of ${names}`, edits }
      : undefined;
  }
  const edits = fixes.addOrigins(policy, [origin], context);
  return edits && { title: `Allow '${origin}' in the production settings`, edits };
}

/** How the call works in development, for the message. */
function inDevelopment(p: ProxiedCall): string {
  const page = p.devOrigin ?? 'the dev server';
  if (p.proxy)
    return `${p.proxy.tool} forwards '${p.proxy.path}' to ${p.proxy.target}, so it is same-origin for ${page}`;
  return `in development it calls ${new URL(developmentTarget(p)).origin} from ${page}`;
}

/**
 * A frontend call that works in development only: the dev server's proxy (Vite `server.proxy`,
 * Next.js `rewrites`, CRA `proxy`, webpack `devServer.proxy`) forwards it same-origin, so CORS never
 * applies there, or it calls the local API directly (`.env.development`'s URL); the production
 * build calls the API's own URL (from `.env.production`) from the production site's origin, and
 * the settings that run in production refuse it.
 */
export const worksInDevOnly: Check = {
  id: 'works-in-dev-only',
  severity: 'warning',
  description:
    'A frontend call works in development (same-origin through the dev server proxy, or to the local API) and is blocked in production by the settings that run there.',
  fix: {
    description: "add the production frontend's origin to the production allowlist",
    safety: 'review',
  },
  run(policy, context) {
    const proxied = context.workspace?.proxied ?? [];
    if (!proxied.length || !context.runsInProduction(policy.file)) return [];
    const blocked = new Map<
      string,
      { first: ProxiedCall; from?: string; reason: string; count: number }
    >();
    // Env reads answered as production sets them (`.env.production`, the Dockerfile's ENV).
    const deployed = context.inProduction?.(policy) ?? policy;
    for (const p of proxied) {
      if (!reaches(policy, p, context) || !coversPath(deployed, new URL(p.call.url).pathname))
        continue;
      const site = productionOrigin(deployed, p, context);
      if (!site) continue;
      const { verdict } = replay(deployed, p.call, site.origin, context);
      if (verdict.allowed) continue;
      const seen = blocked.get(site.origin);
      if (seen) seen.count++;
      else
        blocked.set(site.origin, {
          first: p,
          from: site.from,
          reason: verdict.reasons[0] ?? '',
          count: 1,
        });
    }
    const reports: Report[] = [];
    for (const [origin, { first, from, reason, count }] of blocked) {
      const span = ownSpan(policy, policy.origins.listAt?.span);
      const { call } = first;
      const others = count > 1 ? ` (and ${count - 1} more call${count > 2 ? 's' : ''})` : '';
      const named = from ? ` (named by ${from})` : '';
      // Production's origins come from its environment (`.env.production`, the deploy): the
      // edit belongs there, not in the code's default.
      const fromEnvironment =
        deployed !== policy && deployed.origins.envDriven
          ? [...new Set((deployed.envReads ?? []).map((r) => r.name))]
          : [];
      const fix = fromEnvironment.length ? undefined : productionFix(policy, origin, context);
      const where = fromEnvironment.length
        ? ` Production reads its origins from ${fromEnvironment.join(', ')}: add ${origin} where production sets it.`
        : '';
      reports.push({
        message:
          `The ${call.client} call at ${workspaceWhere(call.span, policy.file, context)}${others} works in development only: ` +
          `${inDevelopment(first)}. ` +
          `In production ${origin}${named} calls ${new URL(call.url).origin} and these settings refuse it: ${reason}${where}`,
        span,
        related: [{ span: call.span, message: `the call, blocked in production from ${origin}` }],
        fix,
      });
    }
    return reports;
  },
};
