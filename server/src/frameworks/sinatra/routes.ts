import { escapeRegex } from '../../base/regex';
/** Sinatra (Mustermann `sinatra` type) route patterns as whole-path regexes. */

/** `*` is a lazy splat, `:name` one segment, anything else literal. */
export function patternRegex(pattern: string): string {
  let out = '';
  for (const token of pattern.match(/\*|:[A-Za-z_]\w*|[^*:]+|:/g) ?? []) {
    if (token === '*') out += '.*?';
    else if (/^:[A-Za-z_]/.test(token)) out += '[^/?#]+';
    else out += escapeRegex(token);
  }
  return `${out}$`;
}

export const patternSample = (pattern: string): string =>
  pattern.replace(/\*/g, 'x').replace(/:[A-Za-z_]\w*/g, '1');
