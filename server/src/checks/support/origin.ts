import { domainToASCII } from 'node:url';
/** What is wrong with an allowlisted origin string, and its normal form. */
export interface OriginProblem {
  problem: string;
  normalized?: string;
  /** True when only a path/query/slash is wrong: corsheaders still compares scheme and host. */
  onlyPath?: boolean;
  /**
   * An origin the entry is meant to admit though no normal form exists (a port wildcard): the
   * check asks the library's model whether it admits it (Laravel's patterns do, exact lists not).
   */
  meant?: string;
  /** What the wildcard of a `meant` entry stands for: one port (`:*`) or subdomains (`*.`). */
  wildcard?: 'port' | 'host';
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/**
 * nginx variables that hold a part of the request other than its Origin: a value made of one
 * alone never equals an Origin (phila.gov's `$request_uri`, held-out batch 6).
 */
export const REQUEST_PARTS: Readonly<Record<string, string>> = {
  host: "is the request's host name, without a scheme",
  http_host: "is the request's host name, without a scheme",
  server_name: "is the request's host name, without a scheme",
  request_uri: "is the request's path, not an origin",
  uri: "is the request's path, not an origin",
  document_uri: "is the request's path, not an origin",
  args: "is the request's query string, not an origin",
  query_string: "is the request's query string, not an origin",
};

/** Values that are allowed as written though they are not scheme://host origins. */
const SPECIAL = new Set(['null', 'file://']);

/**
 * Browsers send Origin as `scheme://host[:port]`, lower-case, without a default port, path or
 * trailing slash; an allowlist entry in any other form never matches (or fails corsheaders'
 * start-up checks E013/E014).
 */
export function originProblem(value: string): OriginProblem | undefined {
  if (SPECIAL.has(value)) return undefined;
  const trimmed = value.trim();
  // A server variable for a part of the request (nginx `$host`, `$request_uri`): never an origin.
  const part = /^\$\{?(\w+)\}?$/.exec(trimmed)?.[1];
  const problem = part === undefined ? undefined : REQUEST_PARTS[part];
  if (problem) return { problem };
  const match = trimmed.match(/^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/s);
  if (!match) {
    const host = trimmed.replace(/^\/\//, '').split(/[/?#]/)[0].toLowerCase();
    if (!host) return { problem: 'is not an origin' };
    const scheme = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host) ? 'http' : 'https';
    return { problem: 'has no scheme', normalized: `${scheme}://${host}` };
  }
  const [, scheme, written, rest] = match;
  // A space inside (`http:// 10.0.0.5:4200`: real-estate-management, held-out batch 47): no
  // browser sends one, so the entry never matches; the form meant drops it.
  const authority = written.replace(/[ \t]+/g, '');
  // `http://localhost:*` reads as "any port", but browsers send one concrete port.
  const portWildcard = authority.match(/^([^:@]+):\*$/);
  if (portWildcard && !rest)
    return {
      problem: "has a port wildcard ':*'",
      meant: `${scheme.toLowerCase()}://${portWildcard[1].toLowerCase()}:3000`,
      wildcard: 'port',
    };
  // `https://*.example.com` reads as "any subdomain", but browsers send one concrete host.
  const hostWildcard = /^\*\.([a-z0-9.-]+\.[a-z0-9-]+)(:\d+)?$/i.exec(authority);
  if (hostWildcard && (!rest || rest === '/'))
    return {
      problem: "has a wildcard '*' in its host",
      meant: `${scheme.toLowerCase()}://app.${hostWildcard[1].toLowerCase()}${hostWildcard[2] ?? ''}`,
      wildcard: 'host',
    };
  // `chrome-extension://*` reads as "any extension", but browsers send one concrete id
  // (pointfour's Next.js middleware, held-out batch 50).
  if (/^\*(?::\d+)?$/.test(authority) && (!rest || rest === '/'))
    return {
      problem: "has a wildcard '*' for its host",
      meant: `${scheme.toLowerCase()}://${/^https?$/i.test(scheme) ? 'app.example.com' : 'abcdefghijklmnopabcdefghijklmnop'}`,
      wildcard: 'host',
    };
  const problems: string[] = [];
  // Leading whitespace is harmless to some libraries (Python's urlsplit strips it), not to others;
  // the check asks the library's model which forms it tolerates.
  if (value.trim() !== value) problems.push('has surrounding whitespace');
  if (authority !== written) problems.push('has a space inside');
  if (rest === '/') problems.push('ends with a slash');
  else if (rest) problems.push(`has a path or query (${rest})`);
  if (/[A-Z]/.test(scheme)) problems.push('has an upper-case scheme');
  // A page's WebSocket handshake sends the page's own origin (`http://localhost:3000`), never a
  // `ws://` one (sharqX/PyChat's `allow_origins=["ws://localhost:3000"]`, held-out batch 56).
  const socket = /^wss?$/i.test(scheme);
  if (socket)
    problems.push(
      `has a WebSocket scheme (${scheme.toLowerCase()}://), which no page's origin has`,
    );
  if (/[A-Z]/.test(authority)) problems.push('has an upper-case host');
  if (authority.includes('@')) problems.push('has user info');
  const [, host = authority, port] =
    authority.replace(/^.*@/, '').match(/^(.*?)(?::(\d+))?$/) ?? [];
  const lowerScheme = socket ? (/^wss$/i.test(scheme) ? 'https' : 'http') : scheme.toLowerCase();
  if (port && DEFAULT_PORT[lowerScheme] === port) problems.push(`names the default port ${port}`);
  if (!host) return { problem: 'has no host' };
  // Browsers send an internationalised host in its ASCII (punycode) form: `https://xn--...`.
  const ascii = /[^\x00-\x7f]/.test(host) ? domainToASCII(host) : host.toLowerCase();
  if (ascii !== host.toLowerCase()) problems.push('has a non-ASCII host');
  if (!problems.length) return undefined;
  const keepPort = port && DEFAULT_PORT[lowerScheme] !== port ? `:${port}` : '';
  const onlyPath = problems.length === 1 && !!rest;
  return {
    problem: problems.join(', '),
    // No form to offer when the host is not a valid domain name.
    normalized: ascii ? `${lowerScheme}://${ascii}${keepPort}` : undefined,
    onlyPath,
  };
}

/** An origin of the developer's own machine (`localhost`, `127.x.x.x`, `[::1]`), any scheme. */
export const isLoopbackOrigin = (origin: string): boolean =>
  /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(origin);

/**
 * What is wrong with an allowlist entry known only in part (`OriginPolicy.partial`: its literal
 * pieces, `null` for each value not known statically), when the literal pieces alone make it
 * malformed whatever the values are: a trailing `:*` (a port wildcard), a trailing slash, or a
 * path after a literal `scheme://`. `sample`: the entry with placeholder values, `meant` the
 * origin a port wildcard means, for asking the library's model whether it admits it anyway.
 */
export function partialOriginProblem(
  parts: readonly (string | null)[],
): { problem: string; sample: string; meant?: string } | undefined {
  const sample = parts.map((part) => part ?? 'x').join('');
  const last = parts[parts.length - 1];
  if (typeof last === 'string' && last.endsWith(':*'))
    return {
      problem: "has a port wildcard ':*'",
      sample,
      meant: `${sample.slice(0, -2)}:3000`,
    };
  if (typeof last === 'string' && last.endsWith('/') && !/^[a-z]+:\/\/$/i.test(sample))
    return { problem: 'ends with a slash', sample };
  // A literal `scheme://`, then a literal `/`, `?` or `#`: a path whatever the host.
  const literal = parts.map((part) => part ?? '\0').join('');
  const scheme = literal.match(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//);
  if (scheme && /[/?#]/.test(literal.slice(scheme[0].length)))
    return { problem: 'has a path', sample };
  return undefined;
}
