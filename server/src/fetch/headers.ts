/** Small byte-level helpers over header lists and values, shared by the Fetch modules. */
import type { HeaderList } from './types';

/** https://fetch.spec.whatwg.org/#http-tab-or-space */
const TAB_OR_SPACE = /^[\t ]+|[\t ]+$/g;
/** https://fetch.spec.whatwg.org/#http-whitespace */
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
/** RFC 9110 `token`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Trims HTTP tab or space from both ends. */
export function trimTabOrSpace(value: string): string {
  return value.replace(TAB_OR_SPACE, '');
}

/** Trims HTTP whitespace from both ends ("normalize" a header value). */
export function trimHttpWhitespace(value: string): string {
  return value.replace(HTTP_WHITESPACE, '');
}

/** True when `value` is an RFC 9110 token. */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * Length of a header value in bytes. Header values are byte strings: code points up to U+00FF are
 * one byte each (as `fetch()` sends them); anything above is counted as UTF-8.
 */
export function byteLength(value: string): number {
  const utf8 = new TextEncoder();
  let n = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp <= 0xff ? 1 : utf8.encode(ch).length;
  }
  return n;
}

/**
 * The spec's "get" on a header list: all values of `name` (case-insensitive) joined with ", ",
 * or undefined when absent. Chromium reads response headers the same way (GetNormalizedHeader).
 */
export function getCombined(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(', ');
}

/** The first value of `name` (case-insensitive): the single-header lookup most servers make. */
export function firstValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/**
 * Combines repeated names into one entry (first spelling and position, values joined with ", "),
 * as `Headers.append()` does for a request's header list.
 */
export function combineDuplicates(headers: HeaderList): HeaderList {
  const out: HeaderList = [];
  const index = new Map<string, number>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const at = index.get(lower);
    if (at === undefined) {
      index.set(lower, out.length);
      out.push([name, value]);
    } else {
      const entry = out[at];
      if (entry) entry[1] = `${entry[1]}, ${value}`;
    }
  }
  return out;
}
