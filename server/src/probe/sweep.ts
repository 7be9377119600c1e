/**
 * Attacker origins for the sweep, in the spirit of Corsy, CORScanner and ZAP's CORS rule (40040):
 * each trusted origin is bent the ways sloppy origin checks let through (prefix, suffix and
 * substring matches, unescaped regex dots, odd characters, subdomains, a plain-http downgrade),
 * plus an arbitrary origin and `null`. Pure: the network part is in sweep-run.ts.
 */

/** How an attacker origin was made, which says what an attacker needs to use it. */
export type SweepKind =
  | 'trusted'
  | 'arbitrary'
  | 'null'
  | 'prefix'
  | 'suffix'
  | 'unescaped-dot'
  | 'special-char'
  | 'regex-bypass'
  | 'subdomain'
  | 'http-downgrade';

/** One origin the sweep sends, and how it was made. */
export interface SweepCandidate {
  origin: string;
  kind: SweepKind;
  /** The trusted origin it was derived from, when any. */
  from?: string;
  /** What a server that lets it in is doing wrong. */
  description: string;
}

/** An origin nobody's allowlist means to trust (a registrable `.test` name an attacker could hold). */
export const ARBITRARY_ORIGIN = 'https://cors-lens-attacker.test';
/** The domain the prefix and special-character tricks append. */
const ATTACKER_DOMAIN = 'attacker.test';
/** Characters some origin checks treat as part of a host (Safari sends several in hosts). */
const SPECIAL_CHARS = ['_', '-', '!', '~', '`', '}', '%60'];
/** The sweep stays short: beyond this many origins it stops adding tricks. */
export const MAX_CANDIDATES = 80;

/** Kinds an attacker can use without any foothold on the trusted site. */
export const ATTACKER_OWNED: ReadonlySet<SweepKind> = new Set([
  'arbitrary',
  'null',
  'prefix',
  'suffix',
  'unescaped-dot',
  'special-char',
  'regex-bypass',
]);

function variants(trusted: URL): SweepCandidate[] {
  const { protocol, hostname, port } = trusted;
  const from = trusted.origin;
  const withPort = (host: string) => `${protocol}//${host}${port ? `:${port}` : ''}`;
  const out: SweepCandidate[] = [
    {
      origin: `${protocol}//${hostname}.${ATTACKER_DOMAIN}${port ? `:${port}` : ''}`,
      kind: 'prefix',
      from,
      description: `starts with ${hostname} (a check that the origin starts with the trusted one)`,
    },
    {
      origin: withPort(`attacker${hostname}`),
      kind: 'suffix',
      from,
      description: `ends with ${hostname} (a check that the origin ends with the trusted host)`,
    },
    {
      origin: withPort(`attacker.${hostname}`),
      kind: 'subdomain',
      from,
      description: `a subdomain of ${hostname}: trusted only if every subdomain is (XSS or a takeover there reads this API)`,
    },
  ];
  const labels = hostname.split('.');
  if (labels.length > 2) {
    const parent = labels.slice(1).join('.');
    out.push({
      origin: withPort(`attacker${parent}`),
      kind: 'suffix',
      from,
      description: `ends with ${parent} (a suffix check on the parent domain)`,
    });
  }
  // Each unescaped `.` in a regex matches any character: replace one dot at a time.
  for (let i = 0; i < hostname.length; i++) {
    if (hostname[i] !== '.' || /^[0-9.]+$/.test(hostname)) continue;
    out.push({
      origin: withPort(`${hostname.slice(0, i)}x${hostname.slice(i + 1)}`),
      kind: 'unescaped-dot',
      from,
      description: `${hostname} with one '.' replaced (a regex with an unescaped dot)`,
    });
  }
  for (const c of SPECIAL_CHARS) {
    out.push({
      origin: `${protocol}//${hostname}${c}.${ATTACKER_DOMAIN}`,
      kind: 'special-char',
      from,
      description: `${hostname} followed by '${c}' and an attacker's domain (a check that stops at an unexpected character)`,
    });
  }
  if (protocol === 'https:') {
    out.push({
      origin: `http://${trusted.host}`,
      kind: 'http-downgrade',
      from,
      description: `plain http:// of ${from}: anyone on the network path can inject script there`,
    });
  }
  return out;
}

/**
 * The origins to send: each trusted origin first (as a control), an arbitrary origin, `null`,
 * the given regex-bypass origins, then the tricks around each trusted http(s) origin.
 * Unique, never a trusted origin as an attack, at most {@link MAX_CANDIDATES}.
 */
export function sweepCandidates(trusted: string[], regexBypasses: string[] = []): SweepCandidate[] {
  const trustedUrls: URL[] = [];
  for (const origin of trusted) {
    try {
      const url = new URL(origin);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin)
        trustedUrls.push(url);
    } catch {
      // `null` and malformed origins are trusted only as themselves.
    }
  }
  const all: SweepCandidate[] = [
    ...trusted.map((origin): SweepCandidate => ({
      origin,
      kind: 'trusted',
      description: 'a trusted origin (control: should be allowed)',
    })),
    {
      origin: ARBITRARY_ORIGIN,
      kind: 'arbitrary',
      description: 'an arbitrary origin (the server reflects any Origin)',
    },
    {
      origin: 'null',
      kind: 'null',
      description:
        "the 'null' origin (sandboxed iframes, data: URLs, file: pages — any site can send it)",
    },
    ...regexBypasses.map((origin): SweepCandidate => ({
      origin,
      kind: 'regex-bypass',
      description: 'matches an allowlist regex but is not a trusted site',
    })),
    ...trustedUrls.flatMap(variants),
  ];
  const seen = new Set<string>();
  const trustedSet = new Set(trusted);
  const out: SweepCandidate[] = [];
  for (const candidate of all) {
    if (
      seen.has(candidate.origin) ||
      (candidate.kind !== 'trusted' && trustedSet.has(candidate.origin))
    )
      continue;
    seen.add(candidate.origin);
    out.push(candidate);
    if (out.length === MAX_CANDIDATES) break;
  }
  return out;
}

/** How bad it is that the server lets an origin in. */
export type Risk = 'high' | 'medium' | 'low' | 'info' | 'none';

/**
 * The risk of what the browser lets a candidate origin read, as ZAP's rule 40040 grades it:
 * reading a credentialed response from an origin an attacker owns is high; from an origin that
 * needs a foothold (a subdomain, a network position for plain http) medium; a reflected origin
 * without credentials exposes what the server shows anyone who can reach it (medium for
 * attacker-owned origins: intranet and dev servers are reachable from a victim's browser, low
 * otherwise); `*` without credentials is public data by design (info).
 */
export function classifyRisk(
  kind: SweepKind,
  readable: { withCredentials: boolean; withoutCredentials: boolean },
  allowOrigin: string | undefined,
): Risk {
  if (kind === 'trusted') return 'none';
  const owned = ATTACKER_OWNED.has(kind);
  if (readable.withCredentials) return owned ? 'high' : 'medium';
  if (!readable.withoutCredentials) return 'none';
  if (allowOrigin?.trim() === '*') return 'info';
  return owned ? 'medium' : 'low';
}

const RISK_ORDER: Risk[] = ['high', 'medium', 'low', 'info', 'none'];

/** Rows riskiest first, stable within one risk (for tables). */
export function byRisk<T extends { risk: Risk }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk));
}
