import { lineEndAt } from '../../../base/positions';
import type { HeaderList } from '../../../fetch';
import { needsPreflight } from '../../../fetch';
import type { NextHandler } from '../facts';
import { type Policy, factsOf } from '../../../policy/types';
import { callsTo, frontendOrigin, replay, where } from '../../../checks/support/frontend';
import type { Check, CheckContext, Report } from '../../../checks/types';
import type { Fix } from '../../../policy/edits';
import { USUAL_FRONTEND_ORIGINS } from '../../../workspace/frontend-dev-server';

const ACAO = /^access-control-allow-origin$/i;

/** Requests that need a preflight: the workspace's callers, else what the route itself implies. */
function preflightedRequests(
  policy: Policy,
  handlers: NextHandler[],
  context: CheckContext,
): {
  method: string;
  headers: HeaderList;
  credentials: 'omit' | 'include' | 'same-origin';
  url: string;
  caller?: string;
  pageOrigin?: string;
}[] {
  const url = `http://localhost${factsOf(policy, 'nextjs')?.routePath ?? '/'}`;
  const callers = callsTo(policy, context).map(({ call }) => ({
    ...call,
    caller: where(call.span, policy.file, context),
  }));
  if (callers.length) return callers;
  // No caller in the workspace: a non-simple method, or request headers the route advertises, need one.
  const own = handlers
    .filter((h) => !['GET', 'HEAD', 'POST'].includes(h.method))
    .map((h) => ({
      method: h.method,
      headers: [] as HeaderList,
      credentials: 'omit' as const,
      url,
    }));
  const advertised = policy.headers.names.filter(
    (n) => n !== '*' && !/^(accept|accept-language|content-language|content-type)$/i.test(n),
  );
  if (advertised.length && handlers[0])
    own.push({
      method: handlers[0].method,
      headers: advertised.map((n): [string, string] => [n, 'x']),
      credentials: 'omit',
      url,
    });
  return own;
}

/** An origin in the form browsers send (malformed values are malformed-origin's business). */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(?::\d+)?$/;

/**
 * The origin a route's own handler for `method` answers (else its first handler that sends CORS
 * headers): its `Access-Control-Allow-Origin` literal, the caller's page or the first entry of the
 * allowlist its guard checks, or when it echoes any Origin the caller's page, else `echoed` (the
 * user's first allowed origin or the usual dev frontend). Undefined when the route sets none of
 * these (`*`, a value read at run time): the policy's origin applies then.
 */
function routeOrigin(
  handlers: NextHandler[],
  method: string,
  page: string | undefined,
  echoed: string,
): string | undefined {
  const handler = handlers.find((h) => h.method === method) ?? handlers[0];
  const acao = handler?.response.headers.find((h) => ACAO.test(h.name));
  if (acao?.value.kind === 'literal')
    return ORIGIN.test(acao.value.value) ? acao.value.value : undefined;
  if (acao?.value.kind !== 'request-origin') return undefined;
  // A guard's allowlist is what the handler lets in; without one it echoes every page.
  const allowlist = acao.guard?.allowlist;
  if (!allowlist) return page ?? echoed;
  return page && allowlist.includes(page) ? page : allowlist.find((o) => ORIGIN.test(o));
}

/** `export async function OPTIONS()` answering with the handlers' shared headers constant. */
function addOptions(
  policy: Policy,
  handlers: NextHandler[],
  context: CheckContext,
): Fix | undefined {
  const names = new Set(handlers.map((h) => h.response.headersFrom));
  const [name] = names;
  if (names.size !== 1 || !name) return undefined;
  const text = context.text(policy.file);
  const semi = /;\s*$/m.test(text) ? ';' : '';
  const code = `\nexport async function OPTIONS() {\n  return new Response(null, { status: 204, headers: ${name} })${semi}\n}\n`;
  return {
    title: `Add an OPTIONS export answering with ${name}`,
    edits: [
      {
        file: policy.file,
        start: text.length,
        end: text.length,
        newText: text.endsWith('\n') ? code : `\n${code}`,
      },
    ],
  };
}

export const nextRouteMissingOptions: Check = {
  id: 'next-route-missing-options',
  severity: 'error',
  frameworks: ['nextjs'],
  description:
    'A Next.js route handler sends CORS headers on the actual response but has no OPTIONS export, so preflighted calls fail.',
  fix: {
    description: "add an `OPTIONS` export answering with the route's CORS headers",
    safety: 'safe',
  },
  run(policy, context) {
    const facts = factsOf(policy, 'nextjs');
    if (
      !facts ||
      facts.kind !== 'route' ||
      facts.handlers.some((h) => h.method === 'OPTIONS') ||
      policy.origins.dynamic
    )
      return [];
    const handlers = facts.handlers.filter((h) =>
      h.response.headers.some((x) => ACAO.test(x.name)),
    );
    if (!handlers.length) return [];
    for (const req of preflightedRequests(policy, handlers, context)) {
      // The origin this route itself answers, when it sets one; else the policy's (next.config, middleware).
      const origin =
        routeOrigin(
          handlers,
          req.method,
          req.pageOrigin,
          context.allowedOrigins[0] ?? USUAL_FRONTEND_ORIGINS[0],
        ) ?? frontendOrigin(policy, context, req);
      if (!origin || !needsPreflight({ ...req, origin }).needed) continue;
      const result = replay(policy, req, origin, context);
      if (!result.preflight.needed || result.actual) continue;
      const first = handlers[0];
      const text = context.text(policy.file);
      // The handler's first line, without its terminator (`\r\n` included).
      const span = {
        ...first.span,
        end: Math.min(lineEndAt(text, first.span.start), first.span.end),
      };
      const sent = req.headers.length ? ` with ${req.headers.map(([n]) => n).join(', ')}` : '';
      const who =
        'caller' in req && req.caller
          ? `the call at ${req.caller}`
          : `a browser's ${req.method}${sent}`;
      const allow = result.preflight.headers.find(([n]) => /^allow$/i.test(n))?.[1];
      const report: Report = {
        message:
          `${handlers.map((h) => h.method).join(', ')} send${handlers.length > 1 ? '' : 's'} CORS headers ` +
          `but this route has no OPTIONS export: ${who} needs a preflight, which Next.js answers itself ` +
          `(${result.preflight.status}${allow ? `, Allow: ${allow}` : ''}) — ${result.verdict.reasons[0] ?? 'the browser blocks it'}`,
        span,
        fix: addOptions(policy, handlers, context),
      };
      return [report];
    }
    return [];
  },
};
