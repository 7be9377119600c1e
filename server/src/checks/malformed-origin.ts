import { preferredQuote, stringLike } from '../fixes/python-sequence';
import { allowlistSetting, isOwnLiteral, strItems } from './support/django';
import { originProblem } from './support/origin';
import type { Check, Report } from './types';

export const malformedOrigin: Check = {
  id: 'malformed-origin',
  severity: 'error',
  description: 'An allowlisted origin is not in the exact form browsers send (scheme://host[:port]), so it never matches.',
  run(policy, context) {
    if (policy.framework !== 'django') return [];
    const setting = allowlistSetting(policy);
    if (!setting) return [];
    const text = context.text(setting.statement.file);
    const value = setting.value;
    if (value.kind === 'str') {
      const own = isOwnLiteral(text, value.span, value.value);
      return [
        {
          message: `${setting.name} is a string, not a list: django-cors-headers iterates it character by character, so no origin matches.`,
          span: value.span,
          fix: own && !value.envDriven ? { title: 'Wrap the origin in a list', edits: [{ ...value.span, newText: `[${text.slice(value.span.start, value.span.end)}]` }] } : undefined,
        },
      ];
    }
    const reports: Report[] = [];
    for (const item of strItems(value)) {
      const found = originProblem(item.value);
      if (!found) continue;
      const ownText = context.text(item.span.file);
      const fixable = found.normalized && isOwnLiteral(ownText, item.span, item.value);
      reports.push({
        message: found.onlyPath
          ? `Origin '${item.value}' in ${setting.name} ${found.problem}: an origin is only scheme://host[:port], and django-cors-headers' start-up check rejects it (corsheaders.E014). Use '${found.normalized}'.`
          : `Origin '${item.value}' in ${setting.name} ${found.problem}: browsers send ${found.normalized ? `'${found.normalized}'` : 'scheme://host[:port]'}, so it never matches.`,
        span: item.span,
        fix: fixable
          ? { title: `Use '${found.normalized}'`, edits: [{ ...item.span, newText: stringLike(ownText.slice(item.span.start, item.span.end), found.normalized!, preferredQuote(ownText)) }] }
          : undefined,
      });
    }
    return reports;
  },
};
