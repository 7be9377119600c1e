import { factsOf } from '../../../policy/types';
import { ownedHeaders, isCorsHeader } from '../levels';
import type { Check, Report } from '../../../checks/types';

export const nginxAddHeaderWithoutAlways: Check = {
  id: 'nginx-add-header-without-always',
  severity: 'warning',
  frameworks: ['nginx'],
  description: "A CORS `add_header` lacks `always`: nginx drops it from 4xx and 5xx responses, so the browser reports a CORS error instead of the real status.",
  fix: { description: 'add `always`', safety: 'safe' },
  run(policy) {
    const facts = factsOf(policy, 'nginx');
    if (!facts) return [];
    const reports: Report[] = [];
    for (const header of ownedHeaders(facts)) {
      if (!isCorsHeader(header) || header.always) continue;
      reports.push({
        message: `add_header ${header.name} has no \`always\`: nginx sends it only with 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308, so a 401, 404, 422 or 500 reaches the browser without it and the page sees a CORS error instead of the status.`,
        span: header.span,
        fix: { title: 'Add `always`', edits: [{ ...header.value.span, start: header.value.span.end, newText: ' always' }] },
      });
    }
    return reports;
  },
};
