/**
 * A value a page would send for a request header named without one (`--header content-type`, a
 * header the browser's message names). The value matters to CORS: `Content-Type:
 * application/json` makes the request preflighted where an empty value would not be what any page
 * sends, and a safelisted header keeps a value that stays safelisted.
 */
const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  authorization: 'Bearer example-token',
  accept: 'application/json',
  'accept-language': 'en-US',
  'content-language': 'en-US',
  range: 'bytes=0-',
  'x-requested-with': 'XMLHttpRequest',
};

/** A realistic value for `name`; any other header gets a plain token. */
export const sampleHeaderValue = (name: string): string =>
  SAMPLE_VALUES[name.trim().toLowerCase()] ?? 'example';
