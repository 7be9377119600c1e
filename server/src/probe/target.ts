/** Checks of what the user typed, before anything is sent. */

/** The URL to probe, or why it cannot be probed (only absolute http(s) URLs with a host). */
export function parseTarget(url: string): URL | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { problem: `not an absolute URL: '${url}' (e.g. http://127.0.0.1:8000/api/items)` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { problem: `only http and https URLs can be probed (got ${parsed.protocol})` };
  if (!parsed.hostname) return { problem: `no host in '${url}'` };
  if (parsed.username || parsed.password)
    return {
      problem: 'put credentials in a header (--header "authorization: ..."), not in the URL',
    };
  return parsed;
}

/**
 * Why `value` is not an origin a browser sends (`scheme://host[:port]`, or `null`), or
 * undefined when it is one.
 */
export function originProblem(value: string): string | undefined {
  if (value === 'null') return undefined;
  try {
    const url = new URL(value);
    if (url.origin === value) return undefined;
    return url.origin === 'null'
      ? `'${value}' is not an origin a browser sends`
      : `'${value}' is not a serialized origin; did you mean ${url.origin}?`;
  } catch {
    return `'${value}' is not an origin (e.g. https://app.example.com)`;
  }
}
