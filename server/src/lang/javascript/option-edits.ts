/**
 * Edits to a CORS options object literal in JS/TS (`{ origin: ..., allowHeaders: [...] }`), in the
 * file's quotes and layout: the fixes of every framework whose setup is one such object share them
 * and only say which keys and spans they mean.
 */
import type { Fix, TextEdit } from '../../policy/edits';
import type { Span } from '../../policy/types';
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
 * `key: [origins]` in place of what lets every origin in: the `origin` entry itself (a `'*'`, a
 * `true`, a reflecting function), an options object without the key (inserted first), or a call
 * with no options (`cors()` → `cors({ origin: [...] })`).
 */
export function allowOnlyEdit(
  text: string,
  key: string,
  origins: string[],
  at: { entry?: Span; options?: Span; call?: Span },
): Fix | undefined {
  const list = jsArray(origins, text);
  const title = `Allow only ${origins.join(', ')}`;
  if (at.entry) {
    const written = slice(text, at.entry);
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
