/**
 * Links from a probe's outcome back to the configuration line that explains it ("x-session-token
 * is not in CORS_ALLOW_HEADERS" → settings.py:42), read from the neutral policy's source refs.
 * Where the policy says one thing and the live server did another, the link says so instead of
 * blaming the line.
 */
import { regexMatches } from '../base/regex';
import {
  checkPreflightResponse,
  corsCheck,
  type CorsFailure,
  type CorsRequest,
  type HttpResponse,
} from '../fetch';
import type { Policy, Span } from '../policy/types';
import type { SweepRow } from './sweep-run';
import type { ProbeResult } from './types';

/** One explanation and the text it points at. */
export interface ProbeLink {
  message: string;
  span: Span;
}

/** What lets an origin in, by the policy, and where that is written. */
export function originRule(
  policy: Policy,
  origin: string,
): { what: string; span?: Span } | undefined {
  const o = policy.origins;
  if (o.reflectAny)
    return { what: `${o.reflectAny.label} reflects any origin`, span: o.reflectAny.span };
  if (o.allowAll)
    return {
      what: `${o.allowAllAt?.label ?? 'the policy'} allows every origin`,
      span: o.allowAllAt?.span,
    };
  const exact = o.exact.find((e) => e.value === origin);
  if (exact)
    return {
      what: `${origin} is listed in ${o.listAt?.label ?? 'the allowlist'}`,
      span: exact.span ?? o.listAt?.span,
    };
  const regex = o.regexes.find((r) => regexMatches(r.pattern, r.flavor, r.flags ?? '', origin));
  if (regex)
    return { what: `${origin} matches the origin regex '${regex.pattern}'`, span: regex.span };
  return undefined;
}

/**
 * The structured failures behind a blocked verdict (the evaluator gives only the sentences):
 * the preflight's when it fails, else the actual response's. `preflight` absent: none was sent.
 */
export function failuresOf(
  request: CorsRequest,
  preflight: HttpResponse | undefined,
  actual: HttpResponse | undefined | null,
): CorsFailure[] {
  if (preflight) {
    const checked = checkPreflightResponse(request, preflight);
    if ('failure' in checked)
      return Array.isArray(checked.failure) ? checked.failure : [checked.failure];
  }
  const failure = actual && corsCheck(request, actual.headers);
  return failure ? [failure] : [];
}

function failures(result: ProbeResult): CorsFailure[] {
  const preflight = result.preflight;
  return failuresOf(
    result.request,
    preflight.needed && 'status' in preflight ? preflight : undefined,
    result.actual,
  );
}

/**
 * The setting behind one failure of `request` against `policy`. `preflightStatus`: the status the
 * preflight got, for the message about a preflight nobody's CORS setup answered.
 */
export function failureLink(
  policy: Policy,
  request: CorsRequest,
  failure: CorsFailure,
  preflightStatus: number | '?',
  fallback: Span = policyFallback(policy),
): ProbeLink | undefined {
  const origin = request.origin;
  const file = policy.file.split(/[\\/]/).pop() ?? policy.file;
  const differs = `The policy in ${file}`;
  switch (failure.kind) {
    case 'HeaderDisallowedByPreflightResponse':
    case 'MethodDisallowedByPreflightResponse': {
      const header = failure.kind === 'HeaderDisallowedByPreflightResponse';
      const list = header ? policy.headers : policy.methods;
      const ref = list.at;
      const name = failure.hint ?? '';
      const allowed =
        list.wildcard || list.names.some((n) => (header ? n.toLowerCase() === name : n === name));
      if (list.dynamic && !allowed)
        return {
          message: `${name} may not be allowed: ${ref?.label ?? 'the list'} is partly dynamic`,
          span: ref?.span ?? fallback,
        };
      if (allowed)
        return {
          message: `${differs} allows ${name}, but the live server's preflight did not: something else answers it (a proxy, another handler, other settings).`,
          span: ref?.span ?? fallback,
        };
      return {
        message: `${name} is not in ${ref?.label ?? `the ${header ? 'headers' : 'methods'} the policy allows (the library's default)`}`,
        span: ref?.span ?? fallback,
      };
    }
    case 'MissingAllowOriginHeader':
    case 'AllowOriginMismatch':
    case 'InvalidAllowOriginValue':
    case 'MultipleAllowOriginValues': {
      const rule = originRule(policy, origin);
      if (rule)
        return {
          message: `${differs} lets ${origin} in (${rule.what}), but the live server did not: a proxy, another settings file or an environment variable may differ.`,
          span: rule.span ?? fallback,
        };
      if (policy.origins.dynamic)
        return {
          message: `${origin} may not be allowed: the allowlist is partly dynamic`,
          span: policy.origins.listAt?.span ?? fallback,
        };
      return {
        message: `${origin} is not in ${policy.origins.listAt?.label ?? 'the allowed origins'}`,
        span: policy.origins.listAt?.span ?? fallback,
      };
    }
    case 'WildcardOriginNotAllowed':
      return {
        message: `${policy.origins.allowAllAt?.label ?? 'The policy'} answers '*', which a browser refuses for a credentialed request`,
        span: policy.origins.allowAllAt?.span ?? fallback,
      };
    case 'InvalidAllowCredentials': {
      const at = policy.credentialsAt;
      if (policy.credentials === true)
        return {
          message: `${differs} allows credentials (${at?.label ?? 'credentials'}), but the live server did not send Access-Control-Allow-Credentials: true.`,
          span: at?.span ?? fallback,
        };
      return {
        message: `Credentials are not allowed by ${at?.label ?? 'the policy'}`,
        span: at?.span ?? fallback,
      };
    }
    case 'PreflightInvalidStatus':
    case 'PreflightDisallowedRedirect':
      return {
        message: `The preflight was not answered by the CORS setup in ${file} (status ${preflightStatus}): check that it runs before anything that answers OPTIONS or redirects.`,
        span: fallback,
      };
    default:
      return undefined;
  }
}

const statusOf = (result: ProbeResult) =>
  result.preflight.needed && 'status' in result.preflight ? result.preflight.status : '?';

/** Where a link points when the policy names no place for the setting: the setup, else the file's start. */
const policyFallback = (policy: Policy): Span =>
  policy.at ?? { file: policy.file, start: 0, end: 0 };

/**
 * What in `policy` explains the probe's outcome: for a blocked request, the setting behind each
 * failure; for an allowed one, the rule that let the origin in; for each risky sweep row, the
 * rule that let the attacker's origin in (or that the policy does not explain it).
 */
export function explainProbe(
  policy: Policy,
  result: ProbeResult,
  sweep: SweepRow[] = [],
): ProbeLink[] {
  const fallback = policyFallback(policy);
  const links: ProbeLink[] = [];
  if (result.verdict?.allowed) {
    const rule = originRule(policy, result.request.origin);
    if (rule) links.push({ message: `Allowed: ${rule.what}`, span: rule.span ?? fallback });
  } else if (result.verdict) {
    for (const failure of failures(result)) {
      const link = failureLink(policy, result.request, failure, statusOf(result), fallback);
      if (link && !links.some((l) => l.message === link.message)) links.push(link);
    }
  }
  for (const row of sweep) {
    if (row.risk !== 'high' && row.risk !== 'medium') continue;
    const rule = originRule(policy, row.origin);
    links.push(
      rule
        ? {
            message: `Sweep: ${row.origin} (${row.risk} risk) gets in because ${rule.what}`,
            span: rule.span ?? fallback,
          }
        : {
            message: `Sweep: ${row.origin} (${row.risk} risk) gets in, though the policy does not allow it: the live server differs from ${policy.file.split(/[\\/]/).pop()}`,
            span: fallback,
          },
    );
  }
  return links;
}
