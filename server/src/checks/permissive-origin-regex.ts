import { publicSuffixOf, strayOrigin, tightenPattern } from './support/regex-bypass';
import { anchorNote } from './support/regex-flavor';
import { patternFix } from './support/pattern-fix';
import { headerAuthOnly } from './support/header-auth';
import type { Check, Report } from './types';

export const permissiveOriginRegex: Check = {
  id: 'permissive-origin-regex',
  severity: 'error',
  description:
    'An origin regex (or a `startsWith`/`endsWith`/`includes` test) lets in sites that are not yours (unescaped dots, no `$` anchor, `.*`).',
  severityNote:
    'info without credentials (the attacker reads only anonymous answers, as with allow-all); warning when the project authenticates by a header and shows no cookie, or when only names under the site’s own domain get in',
  fix: { description: 'escape dots, anchor, limit `.*` to subdomain labels', safety: 'review' },
  run(policy, context) {
    const reports: Report[] = [];
    // Without credentials the attacker's page reads what an anonymous caller gets: a note, as
    // allow-all-origins rates every site reading public responses.
    // A project that authenticates by a header and shows no cookie gets a warning, as from
    // reflect-any-origin: browsers add cookies to a cross-site request on their own, never an
    // Authorization header (etesync, batch 9), but one cookie added later makes it an error.
    const anonymous = policy.credentials === false;
    const header = anonymous ? undefined : headerAuthOnly(policy, context);
    const severity = anonymous
      ? ({ severity: 'info' } as const)
      : header
        ? ({ severity: 'warning' } as const)
        : {};
    const reads = anonymous
      ? ' Credentials are off, so that site reads only what an anonymous caller gets.'
      : header
        ? ` No cookie-based auth is seen in this project (it authenticates by ${header.sign}, which browsers never add to a cross-site request on their own), so that site reads only what an anonymous caller gets; with cookies this becomes an error.`
        : '';
    for (const regex of policy.origins.regexes) {
      if (!regex.span) continue;
      const stray = strayOrigin(regex.pattern, regex.flavor, regex.flags);
      if (!stray) continue;
      const { origin } = stray;
      // Another name under the site's own domain: a hole only where others are given names there.
      const owner = stray.sameOwner
        ? {
            severity: anonymous ? ('info' as const) : ('warning' as const),
            owned: `, another name under the site's own domain: only its owner can create it, so this lets in whoever is given a name there (a customer's or user's subdomain)`,
          }
        : undefined;
      const suffix = publicSuffixOf(regex.pattern);
      const suffixNote = suffix
        ? ` ('${suffix}' is a public suffix: anyone can put a site under it)`
        : '';
      if (regex.test) {
        // A string test: no regex to tighten in the code, so no fix.
        reports.push({
          message: `Origin test '${regex.test}' also lets in '${origin}'${owner?.owned ?? `, a site an attacker can own${suffixNote}`}: compare the whole origin with a list instead.${reads}`,
          span: regex.span,
          ...(owner ? { severity: owner.severity } : severity),
        });
        continue;
      }
      const fixed = tightenPattern(regex.pattern, regex.flavor, regex.flags);
      const note = suffixNote || anchorNote(regex.pattern, regex.flavor);
      reports.push({
        message: `Origin regex '${regex.pattern}' also matches '${origin}'${owner?.owned ?? ', a site an attacker can own'}${note}.${reads}`,
        span: regex.span,
        ...(owner ? { severity: owner.severity } : severity),
        fix: patternFix(policy, regex, fixed, context),
      });
    }
    return reports;
  },
};
