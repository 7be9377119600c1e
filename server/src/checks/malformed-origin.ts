import { fixesFor } from '../fixes/framework-fixes';
import { originProblem } from './support/origin';
import type { Check, Report } from './types';

export const malformedOrigin: Check = {
  id: 'malformed-origin',
  severity: 'error',
  description: 'An allowlisted origin is not in the exact form browsers send (scheme://host[:port]), so it never matches.',
  run(policy, context) {
    const label = policy.origins.listAt?.label ?? 'the allowlist';
    const iterated = policy.origins.iteratedString;
    if (iterated) {
      const text = context.text(iterated.span.file);
      const literal = text.slice(iterated.span.start, iterated.span.end);
      // `[...]` makes a one-element list in Python, JavaScript and Ruby alike.
      const fixable = !iterated.envDriven && /^[rRuU]?(['"]).*\1$/s.test(literal);
      return [
        {
          message: `${iterated.label} is a string, not a list: the library iterates it character by character, so no origin matches.`,
          span: iterated.span,
          fix: fixable ? { title: 'Wrap the origin in a list', edits: [{ ...iterated.span, newText: `[${literal}]` }] } : undefined,
        },
      ];
    }
    const reports: Report[] = [];
    for (const origin of policy.origins.exact) {
      const found = originProblem(origin.value);
      if (!found || !origin.span) continue;
      const edits = found.normalized ? fixesFor(policy).replaceOrigin(policy, origin, found.normalized, context) : undefined;
      reports.push({
        message: found.onlyPath
          ? `Origin '${origin.value}' in ${label} ${found.problem}: an origin is only scheme://host[:port], and django-cors-headers' start-up check rejects it (corsheaders.E014). Use '${found.normalized}'.`
          : `Origin '${origin.value}' in ${label} ${found.problem}: browsers send ${found.normalized ? `'${found.normalized}'` : 'scheme://host[:port]'}, so it never matches.`,
        span: origin.span,
        fix: edits && { title: `Use '${found.normalized}'`, edits },
      });
    }
    return reports;
  },
};
