import { defaultReadAt, safeDefault } from './support/env-defaults';
import type { Check, Report } from './types';
import type { EnvReadRef, Policy, Span } from '../policy/types';

/** A loopback or plain-http origin: fine on a developer's machine, wrong as production's default. */
const DEV_ORIGIN = /^http:\/\//;

/**
 * A setting whose value, when its environment variable is unset, opens CORS: allow-all, reflect
 * any origin, or a localhost/plain-http origin. A deploy that forgets the variable runs with the
 * written default, and nothing tells anyone.
 */
export const insecureEnvDefault: Check = {
  id: 'insecure-env-default',
  severity: 'warning',
  severityNote: 'info for a localhost/http origin default, or allow-all without credentials',
  description:
    'An environment variable left unset falls back to a default that allows every origin, reflects any origin, or trusts a localhost/http origin.',
  fix: {
    description: 'a safe default: the flag off, or the origins of `corsLens.allowedOrigins`',
    safety: 'review',
  },
  run(policy, context) {
    if (!policy.envReads?.length) return [];
    const reports: Report[] = [];
    const seen = new Set<number>();
    const report = (read: EnvReadRef | undefined, gives: string, severity?: 'info') => {
      if (!read?.fallback || seen.has(read.span.start)) return;
      seen.add(read.span.start);
      const safe = safeDefault(read.fallback.text, context.allowedOrigins);
      const edit = (span: Span, newText: string) => ({ ...span, newText });
      reports.push({
        message: `When ${read.name} is unset (a deploy that forgets it), it falls back to ${read.fallback.text}: ${gives}. Make the default the safe one and set ${read.name} where it is needed.`,
        span: read.span,
        ...(severity ? { severity } : {}),
        fix: safe
          ? {
              title: `Default ${read.name} to ${safe}`,
              edits: [edit(read.fallback.span, safe)],
            }
          : undefined,
      });
    };
    const credentials = policy.credentials === true ? ', with credentials' : '';
    if (policy.origins.allowAll)
      report(
        defaultReadAt(policy, policy.origins.allowAllAt?.span),
        `every origin is allowed${credentials}`,
        // Allow-all without credentials is itself a note (public responses, allow-all-origins):
        // a default that leads to it is no worse.
        policy.credentials === false ? 'info' : undefined,
      );
    if (policy.origins.reflectAny)
      report(
        defaultReadAt(policy, policy.origins.reflectAny.span),
        `any origin is reflected${credentials}`,
      );
    for (const origin of devOrigins(policy))
      report(
        defaultReadAt(policy, origin.span),
        `'${origin.value}' is allowed wherever the variable is not set, production included`,
        // A development origin is the usual default of these reads: worth knowing, rarely an attack.
        'info',
      );
    return reports;
  },
};

const devOrigins = (policy: Policy) =>
  policy.origins.exact.filter((o) => DEV_ORIGIN.test(o.value) && o.span);
