import type { HttpResponse } from '../fetch';
import { modelAnswer } from '../replay/replay';
import { coveredMethod, coveredPath } from './support/attacker';
import { allowedOrigins } from './support/allowed-origins';
import { originProblem } from './support/origin';
import { witnessesOf } from '../base/regex/witness';
import type { Check, CheckContext, Report } from './types';
import type { Policy } from '../policy/types';

const header = (response: HttpResponse, name: string) =>
  response.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
const variesOnOrigin = (response: HttpResponse) =>
  header(response, 'vary').some((v) =>
    v.split(',').some((t) => ['origin', '*'].includes(t.trim().toLowerCase())),
  );

/**
 * Whether no cache hands the response to another request: `Cache-Control: no-store` (RFC 9111
 * 5.2.2.5), or `no-cache` without a validator (5.2.2.4: a stored copy is used only after the
 * server answers a request it forwards, and with no ETag or Last-Modified that request is a whole
 * new one: Viabix's event stream, held-out batch 57). Then `Vary: Origin` has nothing to key.
 * `private` is not enough: the browser's own cache still stores it.
 */
const neverStored = (response: HttpResponse) => {
  const directives = header(response, 'cache-control').flatMap((v) =>
    v.split(',').map((d) => d.trim().toLowerCase()),
  );
  const validated = header(response, 'etag').length + header(response, 'last-modified').length;
  return directives.includes('no-store') || (directives.includes('no-cache') && validated === 0);
};

/**
 * An echo of the Origin behind a test of a list read at run time (`origin in app.config[...]`:
 * balrog, held-out batch 30), which no replay can pass without the list: whoever passes gets
 * their own origin back, so the answer varies all the same. Reported where the reader saw no
 * Vary write go with that echo.
 */
function echoWithoutVary(policy: Policy, context: CheckContext): Report[] {
  const echo = policy.origins.echoesConfigured;
  if (!echo || !policy.unvariedAt?.some((s) => s.start === echo.span.start)) return [];
  return [
    {
      message:
        `Access-Control-Allow-Origin echoes the request's Origin (${echo.label}) for each origin a test at run time lets in, ` +
        `so two such sites get different answers, but no Vary: Origin goes with it: a CDN, proxy or the browser cache can ` +
        `hand one site's response to the other, whose request then fails CORS.`,
      span: echo.span,
      fix: context.framework(policy).fixes.addVary?.(policy, context),
    },
  ];
}

export const missingVaryOrigin: Check = {
  id: 'missing-vary-origin',
  severity: 'warning',
  description:
    'The allowed origin is chosen per request, but responses lack `Vary: Origin`, so caches serve one site’s answer to another.',
  fix: {
    description: 'add `Vary: Origin` next to the echoed origin / `vary_header=True`',
    safety: 'safe',
  },
  run(policy, context) {
    // An echo after a test against configured origins is known to vary, whatever the list holds.
    if (policy.origins.dynamic && !policy.origins.echoesConfigured) return [];
    const listed = allowedOrigins(policy);
    // Origins the allowlist's patterns let in (an nginx `if ($http_origin ~ ...)` echo:
    // usegalaxy-eu, held-out batch 23), when the listed ones are fewer than two.
    for (const regex of policy.origins.regexes) {
      if (listed.length >= 2) break;
      for (const origin of witnessesOf(regex.pattern, regex.flavor, 2))
        if (!listed.includes(origin) && !originProblem(origin) && listed.length < 2)
          listed.push(origin);
    }
    // Two listed origins, and one listed origin beside a `*` or an echo for the rest (a gate that
    // answers its allowlist beside a hook that echoes every Origin): each pair may differ.
    const other = [
      'https://app.example.com',
      'https://admin.example.com',
      'https://elsewhere.example.net',
    ].find((o) => !listed.includes(o));
    const pairs = [
      listed.slice(0, 2),
      ...((policy.origins.allowAll || policy.origins.reflectAny) && other && listed.length
        ? [[listed[0], other]]
        : []),
    ].filter((pair) => pair.length === 2);
    if (!pairs.length) return echoWithoutVary(policy, context);
    const services = context.framework(policy);
    // With what stands behind it in the workspace (nginx's proxied app may send Vary itself).
    const model = services.modelInWorkspace?.(policy, context) ?? services.model;
    // Through the replay's answer: an allowlisted origin no header can carry (a character over
    // U+00FF) is a 500 there, as in the real server, not an exception here.
    const ask = (origin: string) =>
      modelAnswer(model, policy, {
        method: coveredMethod(policy),
        path: coveredPath(policy),
        headers: [['Origin', origin]],
      });
    const differing = pairs
      .map(([first, second]) => {
        const [a, b] = [ask(first), ask(second)];
        const [acaoA] = header(a, 'access-control-allow-origin');
        const [acaoB] = header(b, 'access-control-allow-origin');
        // Both must vary: a cache hands a stored answer without Vary to every origin.
        // An answer that varies, or that no cache stores, is never handed to the other origin.
        const [keptA, keptB] = [
          variesOnOrigin(a) || neverStored(a),
          variesOnOrigin(b) || neverStored(b),
        ];
        const missed = acaoA && acaoB && acaoA !== acaoB && !(keptA && keptB);
        // Which answer a cache would store without Vary (both, or the one without it).
        const unvaried = keptA ? second : keptB ? first : undefined;
        return missed ? { first, second, acaoA, acaoB, unvaried } : undefined;
      })
      .find((d) => d !== undefined);
    if (!differing) return echoWithoutVary(policy, context);
    const { first, second, acaoA, acaoB, unvaried } = differing;
    const lacking = unvaried ? `the answer to ${unvaried} has` : 'the response has';
    const span =
      policy.unvariedAt?.[0] ??
      (policy.varyAt === undefined
        ? (policy.origins.listAt?.span ?? policy.origins.reflectAny?.span ?? policy.at)
        : policy.varyAt);
    if (!span) return [];
    return [
      {
        message: `Access-Control-Allow-Origin is chosen per request (${first} gets '${acaoA}', ${second} gets '${acaoB}') but ${lacking} no Vary: Origin, so a CDN, proxy or the browser cache can hand one site's response to the other, whose request then fails CORS.`,
        span,
        fix: context.framework(policy).fixes.addVary?.(policy, context),
      },
    ];
  },
};
