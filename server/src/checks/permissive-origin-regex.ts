import { preferredQuote, stringLike } from '../fixes/python-sequence';
import { isOwnLiteral } from './support/django';
import { bypassOrigin, tightenPattern } from './support/regex-bypass';
import type { Check, Report } from './types';

export const permissiveOriginRegex: Check = {
  id: 'permissive-origin-regex',
  severity: 'error',
  description: 'An origin regex lets in sites that are not yours (unescaped dots, no `$` anchor, `.*`).',
  run(policy, context) {
    const reports: Report[] = [];
    for (const regex of policy.origins.regexes) {
      if (!regex.span) continue;
      const origin = bypassOrigin(regex.pattern, regex.flavor);
      if (!origin) continue;
      const text = context.text(regex.span.file);
      const fixed = tightenPattern(regex.pattern, regex.flavor);
      const fixable = fixed && isOwnLiteral(text, regex.span, regex.pattern);
      reports.push({
        message: `Origin regex '${regex.pattern}' also matches '${origin}', a site an attacker can own${regex.flavor === 'python-match' && !regex.pattern.endsWith('$') ? ' (django-cors-headers uses re.match, which anchors only the start: end the pattern with $)' : ''}.`,
        span: regex.span,
        fix: fixable
          ? { title: `Use '${fixed}'`, edits: [{ ...regex.span, newText: stringLike(text.slice(regex.span.start, regex.span.end), fixed!, preferredQuote(text)) }] }
          : undefined,
      });
    }
    return reports;
  },
};
