import { bypassOrigin, publicSuffixOf, tightenPattern } from './support/regex-bypass';
import { anchorNote } from './support/regex-flavor';
import type { Check, Report } from './types';

export const permissiveOriginRegex: Check = {
  id: 'permissive-origin-regex',
  severity: 'error',
  description:
    'An origin regex (or a `startsWith`/`endsWith`/`includes` test) lets in sites that are not yours (unescaped dots, no `$` anchor, `.*`).',
  fix: { description: 'escape dots, anchor, limit `.*` to subdomain labels', safety: 'review' },
  run(policy, context) {
    const reports: Report[] = [];
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
          message: `Origin test '${regex.test}' also lets in '${origin}', a site an attacker can own${suffixNote}: compare the whole origin with a list instead.`,
          span: regex.span,
        });
        continue;
      }
      const fixed = tightenPattern(regex.pattern, regex.flavor, regex.flags);
      const edits = fixed
        ? context
            .framework(policy)
            .fixes.replacePattern(
              policy,
              { value: regex.pattern, span: regex.span, flavor: regex.flavor },
              fixed,
              context,
            )
        : undefined;
      const note = suffixNote || anchorNote(regex.pattern, regex.flavor);
      reports.push({
        message: `Origin regex '${regex.pattern}' also matches '${origin}', a site an attacker can own${note}.`,
        span: regex.span,
        fix: edits && { title: `Use '${fixed}'`, edits },
      });
    }
    return reports;
  },
};
