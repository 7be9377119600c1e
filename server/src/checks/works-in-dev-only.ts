import type { Fix } from '../policy/edits';
import { coversPath } from '../policy/paths';
import type { Policy } from '../policy/types';
import type { ProxiedCall } from '../workspace/types';
import { isLoopbackOrigin } from './support/origin';
import { ownSpan, replay, workspaceWhere } from './support/frontend';
import type { Check, CheckContext, Report } from './types';

/** Whether the proxy forwards to this policy's server: a local target on a port it listens on. */
function reaches(policy: Policy, proxied: ProxiedCall, context: CheckContext): boolean {
  let target: URL;
  try {
    target = new URL(proxied.proxy.target);
  } catch {
    return false;
  }
  if (!/^(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)$/i.test(target.hostname)) return false;
  const { port, callPorts } = context.framework(policy).devServer;
  const ports = callPorts ?? [port];
  return !target.port || !callPorts || ports.includes(Number(target.port));
}

/** The production frontend's origin: the user's word first, then the framework's, then the frontend's files. */
function productionOrigin(
  policy: Policy,
  proxied: ProxiedCall,
  context: CheckContext,
): string | undefined {
  return [
    ...context.allowedOrigins,
    ...(context.framework(policy).frontendOrigins?.(policy) ?? []),
    ...proxied.productionOrigins,
  ].find((o) => /^https?:\/\/[^/]+$/.test(o) && !isLoopbackOrigin(o));
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

/**
 * A frontend call that works in development only: the dev server's proxy (Vite `server.proxy`,
 * Next.js `rewrites`, CRA `proxy`, webpack `devServer.proxy`) forwards it same-origin, so CORS never
 * applies there; the production build calls the API's own URL (from `.env.production`) from the
 * production site's origin, and the settings that run in production refuse it.
 */
export const worksInDevOnly: Check = {
  id: 'works-in-dev-only',
  severity: 'warning',
  description:
    'A frontend call works in development (same-origin through the dev server proxy) and is blocked in production by the settings that run there.',
  fix: {
    description: "add the production frontend's origin to the production allowlist",
    safety: 'review',
  },
  run(policy, context) {
    const proxied = context.workspace?.proxied ?? [];
    if (!proxied.length || !context.runsInProduction(policy.file)) return [];
    const blocked = new Map<string, { first: ProxiedCall; reason: string; count: number }>();
    for (const p of proxied) {
      if (!reaches(policy, p, context) || !coversPath(policy, new URL(p.call.url).pathname))
        continue;
      const origin = productionOrigin(policy, p, context);
      if (!origin) continue;
      const { verdict } = replay(policy, p.call, origin, context);
      if (verdict.allowed) continue;
      const seen = blocked.get(origin);
      if (seen) seen.count++;
      else blocked.set(origin, { first: p, reason: verdict.reasons[0] ?? '', count: 1 });
    }
    const reports: Report[] = [];
    for (const [origin, { first, reason, count }] of blocked) {
      const span = ownSpan(policy, policy.origins.listAt?.span);
      const { call, proxy, devOrigin } = first;
      const others = count > 1 ? ` (and ${count - 1} more call${count > 2 ? 's' : ''})` : '';
      const fix = productionFix(policy, origin, context);
      reports.push({
        message:
          `The ${call.client} call at ${workspaceWhere(call.span, policy.file, context)}${others} works in development only: ` +
          `${proxy.tool} forwards '${proxy.path}' to ${proxy.target}, so it is same-origin for ${devOrigin ?? 'the dev server'}. ` +
          `In production ${origin} calls ${new URL(call.url).origin} and these settings refuse it: ${reason}`,
        span,
        related: [{ span: call.span, message: `the call, blocked in production from ${origin}` }],
        fix,
      });
    }
    return reports;
  },
};
