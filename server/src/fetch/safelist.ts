/**
 * The Fetch standard's safelists and forbidden lists, as Chromium applies them to `fetch()`.
 * https://fetch.spec.whatwg.org/#methods and #terminology-headers
 */
import { byteLength, combineDuplicates, isToken, trimHttpWhitespace } from './headers';
import type { HeaderList } from './types';

/** https://fetch.spec.whatwg.org/#cors-safelisted-method (byte-exact, after normalization). */
export const CORS_SAFELISTED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST'];

/** Methods `fetch()` upper-cases (https://fetch.spec.whatwg.org/#concept-method-normalize). */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** https://fetch.spec.whatwg.org/#forbidden-method: `fetch()` throws a TypeError for these. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name */
export const CORS_SAFELISTED_RESPONSE_HEADER_NAMES: readonly string[] = [
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
];

/**
 * https://fetch.spec.whatwg.org/#forbidden-request-header names, plus `user-agent`, which the
 * standard no longer forbids but Chromium still drops from `fetch()` (crbug.com/571722).
 */
const FORBIDDEN_REQUEST_HEADER_NAMES = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'access-control-request-private-network',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'via',
]);

/** Method-override headers that are forbidden when they name a forbidden method. */
const METHOD_OVERRIDE_HEADER_NAMES = new Set([
  'x-http-method',
  'x-http-method-override',
  'x-method-override',
]);

/** https://fetch.spec.whatwg.org/#concept-method-normalize */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** https://fetch.spec.whatwg.org/#cors-safelisted-method, on an already normalized method. */
export function isCorsSafelistedMethod(method: string): boolean {
  return CORS_SAFELISTED_METHODS.includes(method);
}

/** https://fetch.spec.whatwg.org/#forbidden-method (case-insensitive). */
export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

/** https://fetch.spec.whatwg.org/#forbidden-request-header: `fetch()` drops these silently. */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN_REQUEST_HEADER_NAMES.has(lower)) return true;
  if (lower.startsWith('proxy-') || lower.startsWith('sec-')) return true;
  if (METHOD_OVERRIDE_HEADER_NAMES.has(lower)) {
    return value.split(',').some((m) => isForbiddenMethod(trimHttpWhitespace(m)));
  }
  return false;
}

/** https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte */
export function isCorsUnsafeRequestHeaderByte(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09) ||
    [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f].includes(
      code,
    )
  );
}

function hasCorsUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++)
    if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return true;
  return false;
}

/** Bytes allowed in `Accept-Language` / `Content-Language`: alphanumerics, space, `*,-.;=`. */
const LANGUAGE_VALUE = /^[0-9A-Za-z *,\-.;=]*$/;

const SAFELISTED_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/**
 * The essence (`type/subtype`, lowercase) of https://mimesniff.spec.whatwg.org/#parse-a-mime-type,
 * or undefined on failure. Parameters are not needed for the safelist.
 */
export function mimeTypeEssence(value: string): string | undefined {
  const input = trimHttpWhitespace(value);
  const slash = input.indexOf('/');
  if (slash <= 0) return undefined;
  const type = input.slice(0, slash);
  const semicolon = input.indexOf(';', slash + 1);
  const subtype = trimHttpWhitespace(
    input.slice(slash + 1, semicolon === -1 ? undefined : semicolon),
  );
  if (!isToken(type) || !isToken(subtype)) return undefined;
  return `${type}/${subtype}`.toLowerCase();
}

/**
 * https://fetch.spec.whatwg.org/#simple-range-header-value: `bytes=N-[M]`, no whitespace, one
 * range, start required.
 */
export function isSimpleRangeHeaderValue(value: string): boolean {
  const m = /^bytes=([0-9]*)-([0-9]*)$/.exec(value);
  if (!m) return false;
  const [, start = '', end = ''] = m;
  if (start === '') return false;
  return end === '' || Number(start) <= Number(end);
}

/** https://fetch.spec.whatwg.org/#cors-safelisted-request-header */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  if (byteLength(value) > 128) return false;
  switch (name.toLowerCase()) {
    case 'accept':
      return !hasCorsUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return LANGUAGE_VALUE.test(value);
    case 'content-type': {
      if (hasCorsUnsafeByte(value)) return false;
      const essence = mimeTypeEssence(value);
      return essence !== undefined && SAFELISTED_CONTENT_TYPES.has(essence);
    }
    case 'range':
      return isSimpleRangeHeaderValue(value);
    default:
      return false;
  }
}

/**
 * The header list `fetch()` puts on the request from the author's headers: values trimmed,
 * forbidden headers dropped, repeated names combined into one entry.
 */
export function authorRequestHeaders(headers: HeaderList): { kept: HeaderList; dropped: string[] } {
  const dropped: string[] = [];
  const kept: HeaderList = [];
  for (const [name, raw] of headers) {
    const value = trimHttpWhitespace(raw);
    if (isForbiddenRequestHeader(name, value)) dropped.push(name.toLowerCase());
    else kept.push([name, value]);
  }
  return { kept: combineDuplicates(kept), dropped: [...new Set(dropped)] };
}

/**
 * https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names, on a header list that has
 * already been through {@link authorRequestHeaders}. In header-list order (Chromium reports the
 * first one the preflight does not allow); use {@link sortedUnique} for the preflight header.
 */
export function corsUnsafeRequestHeaderNames(headers: HeaderList): string[] {
  const unsafe: string[] = [];
  const potentiallyUnsafe: string[] = [];
  let safelistValueSize = 0;
  for (const [name, value] of headers) {
    if (isCorsSafelistedRequestHeader(name, value)) {
      potentiallyUnsafe.push(name.toLowerCase());
      safelistValueSize += byteLength(value);
    } else {
      unsafe.push(name.toLowerCase());
    }
  }
  if (safelistValueSize > 1024) unsafe.push(...potentiallyUnsafe);
  return unsafe;
}

/** Lowercase, deduplicated, sorted by code unit (ASCII order, as Chromium's std::sort). */
export function sortedUnique(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.toLowerCase()))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
}
