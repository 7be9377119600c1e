/**
 * Edits to a CORS options object literal in JS/TS (`{ origin: ..., allowHeaders: [...] }`), in the
 * file's quotes and layout: the fixes of every framework whose setup is one such object (`cors`,
 * Nest, `@fastify/cors`, `@koa/cors`, `hono/cors`) share them and only say where the object is
 * and how the library reads an origin value.
 */
import type { Fix, TextEdit } from '../../policy/edits';
import type { Policy, Span } from '../../policy/types';
import { addHeaderNames } from '../header-names';
import { insertElement, preferredQuote } from '../python/sequence-edits';
import {
  jsAppend,
  jsArray,
  jsRegexLike,
  jsRemoveAt,
  jsSequenceLayout,
  jsString,
  jsStringLike,
} from './sequence-edits';

const slice = (text: string, span: Span) => text.slice(span.start, span.end);

/** The value part of a `key: value` entry, as an absolute span; undefined for a method or shorthand. */
export function pairValue(text: string, pair: Span): Span | undefined {
  const written = slice(text, pair);
  const colon = written.search(/:/);
  if (colon < 0 || /^\s*[\w$]+\s*\(/.test(written)) return undefined;
  const rest = written.slice(colon + 1);
  return {
    file: pair.file,
    start: pair.start + colon + 1 + (rest.length - rest.trimStart().length),
    end: pair.end,
  };
}

/**
 * `key: [origins]` (or the `list` the library reads instead) in place of what lets every origin
 * in: the `origin` entry itself (a `'*'`, a `true`, a reflecting function), an options object
 * without the key (inserted first), or a call with no options (`cors()` → `cors({ origin: [...] })`).
 */
export function allowOnlyEdit(
  text: string,
  key: string,
  origins: string[],
  at: { entry?: Span; options?: Span; call?: Span },
  list = jsArray(origins, text),
): Fix | undefined {
  const title = `Allow only ${origins.join(', ')}`;
  if (at.entry) {
    const written = slice(text, at.entry);
    // The `true` an option falls back to (`config.siteUrl || true`): the list takes its place.
    if (written === 'true') return { title, edits: [{ ...at.entry, newText: list }] };
    if (new RegExp(`^\\s*(['"]?)${key}\\1\\s*[:(]`).test(written))
      return { title, edits: [{ ...at.entry, newText: `${key}: ${list}` }] };
    // A shorthand `{ origin }` names a binding written elsewhere: no edit here.
    return undefined;
  }
  if (at.options) {
    const edit = insertElement(text, at.options, 0, `${key}: ${list}`, jsSequenceLayout);
    return edit && { title, edits: [edit] };
  }
  const empty = at.call && /^([\w$.]+)\(\s*\)$/.exec(slice(text, at.call));
  return empty && at.call
    ? { title, edits: [{ ...at.call, newText: `${empty[1]}({ ${key}: ${list} })` }] }
    : undefined;
}

/** A string literal origin rewritten in its own quotes. */
export function replaceStringAt(
  text: string,
  span: Span,
  old: string,
  value: string,
): TextEdit[] | undefined {
  const written = slice(text, span);
  if (!/^['"`]/.test(written) || !written.includes(old.slice(0, 8))) return undefined;
  return [{ ...span, newText: jsStringLike(written, value, text) }];
}

/** One element dropped from the array literal that is the value of `entry`. */
export function removeFromEntry(text: string, entry: Span, offset: number): TextEdit[] | undefined {
  const value = pairValue(text, entry);
  const edit = value && text[value.start] === '[' ? jsRemoveAt(text, value, offset) : undefined;
  return edit && [edit];
}

/** A RegExp literal or `new RegExp('...')` rewritten with `pattern`. */
export function replaceRegexAt(text: string, span: Span, pattern: string): TextEdit[] | undefined {
  const written = slice(text, span);
  if (written.startsWith('/')) return [{ ...span, newText: jsRegexLike(written, pattern) }];
  const string = /^new\s+RegExp\(\s*(['"`])/.exec(written);
  if (!string) return undefined;
  const quote = string[1] === '`' ? preferredQuote(text) : (string[1] as '"' | "'");
  const flags = /,\s*(['"])([a-z]*)\1\s*\)$/.exec(written)?.[2] ?? '';
  return [
    {
      ...span,
      newText: `new RegExp(${jsString(pattern, quote)}${flags ? `, ${jsString(flags, quote)}` : ''})`,
    },
  ];
}

/** Origins appended to the array that is the value of `entry`; a single string becomes a list. */
export function addToEntry(text: string, entry: Span, origins: string[]): TextEdit[] | undefined {
  const value = pairValue(text, entry);
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
  if (/^['"`]/.test(slice(text, value)))
    return [
      {
        ...value,
        newText: `[${slice(text, value)}, ${origins.map((o) => jsString(o, quote)).join(', ')}]`,
      },
    ];
  return undefined;
}

/** Header names added to the list (or single string) that is the value of `entry`. */
export function addHeadersToEntry(
  text: string,
  entry: Span,
  names: string[],
): TextEdit[] | undefined {
  const value = pairValue(text, entry);
  const edit = value && addHeaderNames(text, value, names, jsSequenceLayout);
  return edit && [edit];
}

/** A new `key: [names]` entry in the options object (after its last entry). */
export function addEntry(
  text: string,
  options: Span,
  key: string,
  names: string[],
): TextEdit[] | undefined {
  const edit = jsAppend(text, options, [`${key}: ${jsArray(names, text)}`]);
  return edit && [edit];
}

/** What the edits need of a check's context: the current text of a file. */
export interface TextSource {
  text(file: string): string;
}

/** An origin or pattern of the policy, where it is written. */
interface Located {
  value: string;
  span?: Span;
}

/** Whether `span` is the `origin` entry itself (`origin: ...`, `'origin': ...`, `origin(o, cb) {}`). */
const isOriginEntry = (text: string, span: Span) =>
  /^\s*(['"]?)origin\1\s*[:(]/.test(slice(text, span));

/**
 * `origin: [...]` in place of what allows every origin, for `cors` 2.8 options (Express, Nest):
 * the span the policy marks is the `origin` entry, or the `cors(...)` call when the option is
 * unset (then it goes into `options`, or a `cors()` with none gets an object).
 */
export function corsAllowOnly(
  policy: Policy,
  origins: string[],
  context: TextSource,
  options: Span | undefined,
): Fix | undefined {
  const at = policy.origins.allowAllAt ?? policy.origins.reflectAny;
  if (!at || policy.origins.envDriven) return undefined;
  const text = context.text(at.span.file);
  return allowOnlyEdit(
    text,
    'origin',
    origins,
    isOriginEntry(text, at.span) || slice(text, at.span) === 'true'
      ? { entry: at.span }
      : { options, call: at.span },
  );
}

/** Where a plugin's options are: its registering call, its options object, its `origin` entry. */
export interface OptionsPlace {
  call: Span;
  options?: Span;
  /** The entry when the options come from another module (edited there). */
  originEntry?: Span;
}

/**
 * `origin: value` in place of what allows every origin, for a plugin whose policy marks its call
 * when `origin` is unset. `value` writes the origins as the library reads them (an array unless
 * said); `appendOptions` adds a new options argument after the others (`register(cors)`).
 */
export function pluginAllowOnly(
  policy: Policy,
  origins: string[],
  context: TextSource,
  place: OptionsPlace | undefined,
  style: { value?: (origins: string[], text: string) => string; appendOptions?: boolean } = {},
): Fix | undefined {
  const at = policy.origins.allowAllAt ?? policy.origins.reflectAny;
  if (!at || !place || policy.origins.envDriven) return undefined;
  const entry = place.originEntry ?? at.span;
  const { call, options } = place;
  const unset = entry.file === call.file && entry.start === call.start && entry.end === call.end;
  const text = context.text(unset && options ? options.file : entry.file);
  const value = (style.value ?? jsArray)(origins, text);
  if (!unset) return allowOnlyEdit(text, 'origin', origins, { entry }, value);
  if (options || !style.appendOptions)
    return allowOnlyEdit(text, 'origin', origins, { options, call }, value);
  const close = slice(text, call).lastIndexOf(')');
  if (close <= 0) return undefined;
  const start = call.start + close;
  const edit = { file: call.file, start, end: start, newText: `, { origin: ${value} }` };
  return { title: `Allow only ${origins.join(', ')}`, edits: [edit] };
}

/**
 * The fixes inside the options object that read the same for every library taking one: an origin
 * or pattern rewritten in place, an origin dropped from the `origin` array, header names added to
 * the allowed-headers entry (unset, these libraries echo the requested headers: nothing to add).
 */
export const optionEntryFixes = {
  replaceOrigin: (_policy: Policy, origin: Located, value: string, context: TextSource) =>
    origin.span
      ? replaceStringAt(context.text(origin.span.file), origin.span, origin.value, value)
      : undefined,
  removeOrigin(policy: Policy, origin: Located, context: TextSource): TextEdit[] | undefined {
    const listAt = policy.origins.listAt;
    return origin.span && listAt
      ? removeFromEntry(context.text(listAt.span.file), listAt.span, origin.span.start)
      : undefined;
  },
  replacePattern: (_policy: Policy, regex: Located, pattern: string, context: TextSource) =>
    regex.span ? replaceRegexAt(context.text(regex.span.file), regex.span, pattern) : undefined,
  addAllowedHeaders(policy: Policy, headers: string[], context: TextSource) {
    const at = policy.headers.at;
    return at ? addHeadersToEntry(context.text(at.span.file), at.span, headers) : undefined;
  },
};

/**
 * Origins added to the `origin` array (a single string becomes one); without an array, or when
 * `reflecting` says the policy echoes every origin anyway, the allowlist is written by `allowOnly`.
 */
export function addOriginsOr(
  allowOnly: (policy: Policy, origins: string[], context: TextSource) => Fix | undefined,
  reflecting: (policy: Policy) => boolean = () => false,
) {
  return (policy: Policy, origins: string[], context: TextSource): TextEdit[] | undefined => {
    const listAt = policy.origins.listAt;
    if (!listAt || reflecting(policy)) return allowOnly(policy, origins, context)?.edits;
    return addToEntry(context.text(listAt.span.file), listAt.span, origins);
  };
}

/** The fixes a `cors` 2.8 options object takes (Express, Nest), in the object `optionsOf` finds. */
export function corsOptionFixes(optionsOf: (policy: Policy) => Span | undefined) {
  const allowOnly = (policy: Policy, origins: string[], context: TextSource) =>
    corsAllowOnly(policy, origins, context, optionsOf(policy));
  return { ...optionEntryFixes, allowOnly, addOrigins: addOriginsOr(allowOnly) };
}
