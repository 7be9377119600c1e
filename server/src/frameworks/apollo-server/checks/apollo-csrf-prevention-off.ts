import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';

export const apolloCsrfPreventionOff: Check = {
  id: 'apollo-csrf-prevention-off',
  severity: 'warning',
  frameworks: ['apollo-server'],
  description:
    'csrfPrevention: false on an Apollo server whose CORS allows every origin: any website can make the browser send queries and mutations that need no preflight.',
  fix: {
    description:
      'remove `csrfPrevention: false` (Apollo then refuses requests that skip the preflight)',
    safety: 'review',
  },
  run(policy, context) {
    const facts = factsOf(policy, 'apollo-server');
    if (!facts?.csrfOffAt || !policy.origins.allowAll) return [];
    const text = context.text(facts.csrfOffAt.file);
    const edits = (facts.csrfEntries ?? [facts.csrfOffAt]).map((entry) => {
      // Take the entry out with its comma and the rest of its line when it stands alone; inside
      // a line, with the comma and spaces after it (`{ csrfPrevention: false, x }` → `{ x }`).
      let { start, end } = entry;
      const after = /^\s*,?[ \t]*\n?/.exec(text.slice(end))?.[0] ?? '';
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      if (!text.slice(lineStart, start).trim() && after.endsWith('\n'))
        [start, end] = [lineStart, end + after.length];
      else end += /^[ \t]*,[ \t]*/.exec(text.slice(end))?.[0].length ?? 0;
      return { file: entry.file, start, end, newText: '' };
    });
    return [
      {
        message:
          `csrfPrevention: false turns off Apollo's check that every request either has a non-simple ` +
          `Content-Type or names its operation. With CORS open to every origin (${policy.origins.allowAllAt?.label ?? '*'}), ` +
          `any website can make a visitor's browser send GraphQL operations that need no preflight (a ` +
          `text/plain POST, a GET), with their cookies; CORS only stops the site from reading the answer.`,
        span: facts.csrfOffAt,
        fix: {
          title: 'Turn CSRF prevention back on',
          edits,
        },
      },
    ];
  },
};
