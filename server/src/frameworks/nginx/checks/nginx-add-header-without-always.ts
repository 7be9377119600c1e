import { factsOf } from '../../../policy/types';
import { ownedHeaders, isCorsHeader } from '../levels';
import type { NginxFacts, NginxHeader, NginxStep } from '../facts';
import type { Check, Report } from '../../../checks/types';

/** The statuses nginx sends `add_header` lines with when `always` is missing. */
const SENT_WITHOUT_ALWAYS = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

/**
 * Headers only a preflight reads: a preflight passes only with an ok status (200, 204), which
 * nginx sends them with anyway.
 */
const PREFLIGHT_ONLY = new Set([
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
]);

/** Variables that hold a host without a scheme: an origin made of them never matches, `always` or not. */
const HOST_ONLY = /^\$(?:host|http_host|server_name)$/;

/** The `if` blocks of a list of steps, nested ones too. */
const ifSteps = (steps: NginxStep[]): Extract<NginxStep, { kind: 'if' }>[] =>
  steps.flatMap((s) => (s.kind === 'if' ? [s, ...ifSteps(s.steps)] : []));

/** Whether the header is set only in `if` blocks that answer with a status nginx sends it with (`return 204`). */
function onlyWithListedReturn(header: NginxHeader, facts: NginxFacts): boolean {
  const holders = ifSteps([...facts.location.steps, ...facts.server.steps]).filter((s) =>
    s.level.own.includes(header),
  );
  return (
    holders.length > 0 &&
    holders.every((s) =>
      s.steps.some(
        (step) =>
          step.kind === 'return' &&
          typeof step.status === 'number' &&
          SENT_WITHOUT_ALWAYS.has(step.status),
      ),
    )
  );
}

export const nginxAddHeaderWithoutAlways: Check = {
  id: 'nginx-add-header-without-always',
  severity: 'warning',
  frameworks: ['nginx'],
  description:
    'A CORS `add_header` lacks `always`: nginx drops it from 4xx and 5xx responses, so the browser reports a CORS error instead of the real status.',
  fix: { description: 'add `always`', safety: 'safe' },
  run(policy) {
    const facts = factsOf(policy, 'nginx');
    if (!facts) return [];
    const reports: Report[] = [];
    for (const header of ownedHeaders(facts)) {
      if (!isCorsHeader(header) || header.always || PREFLIGHT_ONLY.has(header.name.toLowerCase()))
        continue;
      if (HOST_ONLY.test(header.value.value.trim()) || onlyWithListedReturn(header, facts))
        continue;
      reports.push({
        message: `add_header ${header.name} has no \`always\`: nginx sends it only with 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308, so a 401, 404, 422 or 500 reaches the browser without it and the page sees a CORS error instead of the status.`,
        span: header.span,
        fix: {
          title: 'Add `always`',
          edits: [{ ...header.value.span, start: header.value.span.end, newText: ' always' }],
        },
      });
    }
    return reports;
  },
};
