import { bypassOrigin, publicSuffixOf, tightenPattern } from './support/regex-bypass';
import { anchorNote } from './support/regex-flavor';
import { patternFix } from './support/pattern-fix';
import type { Check, Report } from './types';

export const permissiveOriginRegex: Check = {
  id: 'permissive-origin-regex',
  severity: 'error',
  description:
    'An origin regex (or a `startsWith`/`endsWith`/`includes` test) lets in sites that are not yours (unescaped dots, no `$` anchor, `.*`).',
  severityNote:
    'info without credentials (the attacker reads only anonymous answers, as with allow-all)',
  fix: { description: 'escape dots, anchor, limit `.*` to subdomain labels', safety: 'review' },
  run(policy, context) {
    const reports: Report[] = [];
    // Without credentials the attacker's page reads what an anonymous caller gets: a note, as
    // allow-all-origins rates every site reading public responses.
    const anonymous = policy.credentials === false;
    const severity = anonymous ? ({ severity: 'info' } as const) : {};
    const reads = anonymous
      ? ' Credentials are off, so that site reads only what an anonymous caller gets.'
      : '';
    for (const regex of policy.origins.regexes) {
      if (!regex.span) continue;
      const origin = bypassOrigin(regex.pattern, regex.flavor, regex.flags);
      if (!origin) continue;
      const suffix = publicSuffixOf(regex.pattern);
      const suffixNote = suffix
        ? ` ('${suffix}' is a public suffix: anyone can put a site under it)`
        : '';
      if (regex.test) {
        // A string test: no regex to tighten in the code, so no fix.
        reports.push({
          message: `Origin test '${regex.test}' also lets in '${origin}', a site an attacker can own${suffixNote}: compare the whole origin with a list instead.${reads}`,
          span: regex.span,
          ...severity,
        });
        continue;
      }
      const fixed = tightenPattern(regex.pattern, regex.flavor, regex.flags);
      const note = suffixNote || anchorNote(regex.pattern, regex.flavor);
      reports.push({
        message: `Origin regex '${regex.pattern}' also matches '${origin}', a site an attacker can own${note}.${reads}`,
        span: regex.span,
        ...severity,
        fix: patternFix(policy, regex, fixed, context),
      });
    }
    return reports;
  },
};
