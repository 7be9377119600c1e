/**
 * Edits in a `cors` 2.8 options object (JS/TS syntax, the file's quotes and commas), for every
 * framework that writes one: `app.use(cors({...}))`, Nest's `app.enableCors({...})`. The
 * framework says where its options object is; these say how the edit reads.
 */
import type { Fix, TextEdit } from '../../../policy/edits';
import type { Policy, RegexFlavor, SourceRef, Span } from '../../../policy/types';
import { addHeaderNames } from '../../header-names';
import {
  jsAppend,
  jsArray,
  jsRegexLike,
  jsRemoveAt,
  jsSequenceLayout,
  jsString,
  jsStringLike,
} from '../sequence-edits';
import { insertElement, preferredQuote } from '../../python/sequence-edits';

/** What the edits need of a check's context: the current text of a file. */
export interface TextSource {
  text(file: string): string;
}

/** An origin or pattern of the policy, where it is written. */
interface Located {
  value: string;
  span?: Span;
}

/** Where a policy's options object is written (unset for `cors()` with none). */
export type OptionsSpanOf = (policy: Policy) => Span | undefined;

const slice = (text: string, span: Span) => text.slice(span.start, span.end);

/** The value part of a `key: value` pair's text, as an absolute span. */
function pairValue(text: string, pair: Span): Span | undefined {
  const colon = slice(text, pair).search(/:\s*/);
  if (colon < 0) return undefined;
  const start =
    pair.start +
    colon +
    1 +
    (slice(text, pair).slice(colon + 1).length -
      slice(text, pair)
        .slice(colon + 1)
        .trimStart().length);
  return { file: pair.file, start, end: pair.end };
}

/** A span that still holds the text it was read from (a stale span gives no edit). */
const literalAt = (text: string, span: Span | undefined, value: string): boolean =>
  !!span && slice(text, span).includes(value.slice(0, 8));

/** `origin: [...]` in place of what allows every origin (`'*'`, `true`, a reflecting function, no option). */
function allowOnly(
  policy: Policy,
  origins: string[],
  context: TextSource,
  optionsOf: OptionsSpanOf,
): Fix | undefined {
  const at: SourceRef | undefined = policy.origins.allowAllAt ?? policy.origins.reflectAny;
  if (!at || policy.origins.envDriven) return undefined;
  const text = context.text(at.span.file);
  const list = jsArray(origins, text);
  const title = `Allow only ${origins.join(', ')}`;
  const written = slice(text, at.span);
  // The `origin` option itself: replace the whole pair (a method `origin(o, cb) {...}` too).
  if (/^\s*(['"]?)origin\1\s*[:(]/.test(written))
    return { title, edits: [{ ...at.span, newText: `origin: ${list}` }] };
  // `cors()` / `cors(options)` without an origin option.
  const options = optionsOf(policy);
  if (options) {
    const edit = insertElement(text, options, 0, `origin: ${list}`, jsSequenceLayout);
    return edit && { title, edits: [edit] };
  }
  const empty = /^([\w$.]+)\(\s*\)$/.exec(written);
  return empty
    ? { title, edits: [{ ...at.span, newText: `${empty[1]}({ origin: ${list} })` }] }
    : undefined;
}

/** The fixes a framework's checks ask for, in the options object `optionsOf` points at. */
export function corsOptionFixes(optionsOf: OptionsSpanOf) {
  return {
    allowOnly: (policy: Policy, origins: string[], context: TextSource) =>
      allowOnly(policy, origins, context, optionsOf),
    ...edits(optionsOf),
  };
}

/** The edits inside the options object. */
const edits = (optionsOf: OptionsSpanOf) => ({
  replaceOrigin(
    _policy: Policy,
    origin: Located,
    value: string,
    context: TextSource,
  ): TextEdit[] | undefined {
    if (!origin.span) return undefined;
    const text = context.text(origin.span.file);
    const written = slice(text, origin.span);
    if (!/^['"`]/.test(written) || !literalAt(text, origin.span, origin.value)) return undefined;
    return [{ ...origin.span, newText: jsStringLike(written, value, text) }];
  },

  removeOrigin(policy: Policy, origin: Located, context: TextSource): TextEdit[] | undefined {
    const listAt = policy.origins.listAt;
    if (!origin.span || !listAt) return undefined;
    const text = context.text(origin.span.file);
    const value = pairValue(text, listAt.span);
    const list = value && text[value.start] === '[' ? value : undefined;
    const edit = list && jsRemoveAt(text, list, origin.span.start);
    return edit && [edit];
  },

  replacePattern(
    _policy: Policy,
    regex: Located & { flavor: RegexFlavor },
    pattern: string,
    context: TextSource,
  ): TextEdit[] | undefined {
    if (!regex.span) return undefined;
    const text = context.text(regex.span.file);
    const written = slice(text, regex.span);
    if (written.startsWith('/')) return [{ ...regex.span, newText: jsRegexLike(written, pattern) }];
    const string = /^new\s+RegExp\(\s*(['"`])/.exec(written);
    if (!string) return undefined;
    const flags = /,\s*(['"])([a-z]*)\1\s*\)$/.exec(written)?.[2] ?? '';
    return [
      {
        ...regex.span,
        newText: `new RegExp(${jsString(pattern, string[1] === '`' ? preferredQuote(text) : (string[1] as '"' | "'"))}${flags ? `, ${jsString(flags, preferredQuote(text))}` : ''})`,
      },
    ];
  },

  addOrigins(policy: Policy, origins: string[], context: TextSource): TextEdit[] | undefined {
    const listAt = policy.origins.listAt;
    if (!listAt) return allowOnly(policy, origins, context, optionsOf)?.edits;
    const text = context.text(listAt.span.file);
    const value = pairValue(text, listAt.span);
    if (!value) return undefined;
    const quote = preferredQuote(text);
    if (text[value.start] === '[') {
      const edit = jsAppend(
        text,
        value,
        origins.map((o) => jsString(o, quote)),
      );
      return edit && [edit];
    }
    // A single fixed origin becomes a list (cors then matches instead of always sending it).
    if (/^['"`]/.test(slice(text, value)))
      return [
        {
          ...value,
          newText: `[${slice(text, value)}, ${origins.map((o) => jsString(o, quote)).join(', ')}]`,
        },
      ];
    return undefined;
  },

  addAllowedHeaders(
    policy: Policy,
    headers: string[],
    context: TextSource,
  ): TextEdit[] | undefined {
    // Unset, cors mirrors Access-Control-Request-Headers: nothing is refused, nothing to add.
    const at = policy.headers.at;
    if (!at) return undefined;
    const text = context.text(at.span.file);
    const value = pairValue(text, at.span);
    const edit = value && addHeaderNames(text, value, headers, jsSequenceLayout);
    return edit && [edit];
  },
});
