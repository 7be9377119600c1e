import { factsOf } from '../../../policy/types';
import { phpLiteralLike } from '../../../lang/php/sequence-edits';
import { escapeDelimiter } from '../../../lang/php/regex';
import type { Check } from '../../../checks/types';
import { undelimited } from '../model';

/**
 * An `allowed_origins_patterns` entry without delimiters (`'http://localhost:[0-9]+'`): php-cors
 * hands it to `preg_match` as written, which refuses it with a warning (PHP 8.2 here: "Delimiter
 * must not be alphanumeric, backslash, or NUL"), and Laravel turns the warning into an exception:
 * every request whose Origin is not listed exactly gets a 500 without CORS headers (ESCROW,
 * held-out batch 53). Read from php-cors' source; Laravel cannot run here.
 */
export const laravelPatternWithoutDelimiters: Check = {
  id: 'laravel-pattern-without-delimiters',
  severity: 'error',
  frameworks: ['laravel-cors'],
  description:
    'An allowed_origins_patterns entry has no PCRE delimiters: preg_match refuses it, and Laravel answers 500 to every origin not listed exactly.',
  fix: { description: 'write the pattern between `#^` and `$#`', safety: 'review' },
  run(policy, context) {
    const facts = factsOf(policy, 'laravel-cors');
    const pattern = facts && !policy.inactive ? undelimited(facts) : undefined;
    if (!facts || !pattern) return [];
    const body = pattern.value;
    const delimiter = body.includes('#') && !body.includes('~') ? '~' : '#';
    const anchored = `${body.startsWith('^') ? '' : '^'}${body}${body.endsWith('$') ? '' : '$'}`;
    const literal = `${delimiter}${escapeDelimiter(anchored, delimiter, delimiter)}${delimiter}`;
    const text = context.text(pattern.span.file);
    return [
      {
        message:
          `'${body}' in ${facts.names.patterns} has no delimiters: preg_match refuses it with a ` +
          `warning, which Laravel turns into an exception, so every request from an origin not ` +
          `listed exactly in ${facts.names.origins} gets a 500 without CORS headers (the browser ` +
          `reports a CORS error). Write it as '${literal}'.`,
        span: pattern.span,
        fix: {
          title: `Write the pattern as ${literal}`,
          edits: [
            {
              ...pattern.span,
              newText: phpLiteralLike(
                text.slice(pattern.span.start, pattern.span.end),
                literal,
                text,
              ),
            },
          ],
        },
      },
    ];
  },
};
