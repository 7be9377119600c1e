import type { CheckContext } from '../../checks/types';
import type { Fix, TextEdit } from '../../policy/edits';
import { type Policy, type SourceRef, type Span, factsOf } from '../../policy/types';
import type { FrameworkFixes, Located } from '../../checks/framework-fixes';
import { addHeaderNames } from '../../lang/header-names';
import { jsAppend, jsArray, jsRegexLike, jsRemoveAt, jsSequenceLayout, jsString, jsStringLike } from '../../lang/javascript/sequence-edits';
import { insertElement, preferredQuote } from '../../lang/python/sequence-edits';

const slice = (text: string, span: Span) => text.slice(span.start, span.end);

/** The value part of a `key: value` pair's text, as an absolute span. */
function pairValue(text: string, pair: Span): Span | undefined {
  const colon = slice(text, pair).search(/:\s*/);
  if (colon < 0) return undefined;
  const start = pair.start + colon + 1 + (slice(text, pair).slice(colon + 1).length - slice(text, pair).slice(colon + 1).trimStart().length);
  return { file: pair.file, start, end: pair.end };
}

/** A span that still holds the text it was read from (a stale span gives no edit). */
const literalAt = (text: string, span: Span | undefined, value: string): boolean => !!span && slice(text, span).includes(value.slice(0, 8));

/** `origin: [...]` in place of what allows every origin (`'*'`, `true`, a reflecting function, no option). */
function allowOnly(policy: Policy, origins: string[], context: CheckContext): Fix | undefined {
  const at: SourceRef | undefined = policy.origins.allowAllAt ?? policy.origins.reflectAny;
  if (!at || policy.origins.envDriven) return undefined;
  const text = context.text(at.span.file);
  const list = jsArray(origins, text);
  const title = `Allow only ${origins.join(', ')}`;
  const written = slice(text, at.span);
  // The `origin` option itself: replace the whole pair (a method `origin(o, cb) {...}` too).
  if (/^\s*(['"]?)origin\1\s*[:(]/.test(written)) return { title, edits: [{ ...at.span, newText: `origin: ${list}` }] };
  // `cors()` / `cors(options)` without an origin option.
  const options = factsOf(policy, 'express-cors')?.options;
  if (options) {
    const edit = insertElement(text, options, 0, `origin: ${list}`, jsSequenceLayout);
    return edit && { title, edits: [edit] };
  }
  const empty = /^([\w$.]+)\(\s*\)$/.exec(written);
  return empty ? { title, edits: [{ ...at.span, newText: `${empty[1]}({ origin: ${list} })` }] } : undefined;
}

/** Fixes in Express `cors(...)` options (JS/TS syntax, the file's quotes and commas). */
export const expressFixes: FrameworkFixes = {
  allowOnly,

  replaceOrigin(_policy, origin: Located, value, context): TextEdit[] | undefined {
    if (!origin.span) return undefined;
    const text = context.text(origin.span.file);
    const written = slice(text, origin.span);
    if (!/^['"`]/.test(written) || !literalAt(text, origin.span, origin.value)) return undefined;
    return [{ ...origin.span, newText: jsStringLike(written, value, text) }];
  },

  removeOrigin(policy, origin, context) {
    const listAt = policy.origins.listAt;
    if (!origin.span || !listAt) return undefined;
    const text = context.text(origin.span.file);
    const value = pairValue(text, listAt.span);
    const list = value && text[value.start] === '[' ? value : undefined;
    const edit = list && jsRemoveAt(text, list, origin.span.start);
    return edit && [edit];
  },

  replacePattern(_policy, regex, pattern, context) {
    if (!regex.span) return undefined;
    const text = context.text(regex.span.file);
    const written = slice(text, regex.span);
    if (written.startsWith('/')) return [{ ...regex.span, newText: jsRegexLike(written, pattern) }];
    const string = /^new\s+RegExp\(\s*(['"`])/.exec(written);
    if (!string) return undefined;
    const flags = /,\s*(['"])([a-z]*)\1\s*\)$/.exec(written)?.[2] ?? '';
    return [{ ...regex.span, newText: `new RegExp(${jsString(pattern, string[1] === '`' ? preferredQuote(text) : (string[1] as '"' | "'"))}${flags ? `, ${jsString(flags, preferredQuote(text))}` : ''})` }];
  },

  addOrigins(policy, origins, context) {
    const listAt = policy.origins.listAt;
    if (!listAt) return allowOnly(policy, origins, context)?.edits;
    const text = context.text(listAt.span.file);
    const value = pairValue(text, listAt.span);
    if (!value) return undefined;
    const quote = preferredQuote(text);
    if (text[value.start] === '[') {
      const edit = jsAppend(text, value, origins.map((o) => jsString(o, quote)));
      return edit && [edit];
    }
    // A single fixed origin becomes a list (cors then matches instead of always sending it).
    if (/^['"`]/.test(slice(text, value))) return [{ ...value, newText: `[${slice(text, value)}, ${origins.map((o) => jsString(o, quote)).join(', ')}]` }];
    return undefined;
  },

  addAllowedHeaders(policy, headers, context) {
    // Unset, cors mirrors Access-Control-Request-Headers: nothing is refused, nothing to add.
    const at = policy.headers.at;
    if (!at) return undefined;
    const text = context.text(at.span.file);
    const value = pairValue(text, at.span);
    const edit = value && addHeaderNames(text, value, headers, jsSequenceLayout);
    return edit && [edit];
  },
};
