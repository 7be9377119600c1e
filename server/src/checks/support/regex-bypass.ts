import { isInternetHost, isPublicSuffix, registrableDomain } from '../../base/public-suffix';
import { originMatcher } from '../../base/regex';
import type { RegexFlavor } from '../../policy/types';

/** A host-like literal in a pattern: labels joined by escaped or bare dots. */
const DOMAIN_TOKEN = /(?:\\\.|\.)?[a-z0-9-]+(?:(?:\\\.|\.)[a-z0-9-]+)+/gi;

/** The domain a pattern is meant to allow (its longest host-like literal), and its scheme. */
export function intendedSite(
  pattern: string,
): { scheme: string; domain: string; token: string } | undefined {
  const tokens = pattern.match(DOMAIN_TOKEN) ?? [];
  // Else a single-label host right after the scheme (`http://localhost:*/*`), or the pattern's
  // longest word when it has no scheme (`/localhost/`): a pattern can still let in
  // `localhost.attacker.test`.
  const token =
    tokens.sort((a, b) => b.length - a.length)[0] ??
    /:(?:\\\/|\/){2}([a-z0-9-]+)(?![a-z0-9-])/i.exec(pattern)?.[1] ??
    (/:|\\\//.test(pattern) ? undefined : longestWord(pattern));
  if (!token) return undefined;
  const scheme = /https/i.test(pattern) || !/http/i.test(pattern) ? 'https' : 'http';
  return { scheme, domain: token.replace(/\\\./g, '.').replace(/^\./, '').toLowerCase(), token };
}

/** The longest run of host characters in a pattern (`localhost` in `^localhost`), 3 or more long. */
function longestWord(pattern: string): string | undefined {
  const words = pattern.replace(/\\[a-z]/gi, ' ').match(/[a-z0-9-]{3,}/gi) ?? [];
  return words.sort((a, b) => b.length - a.length)[0];
}

const hostOf = (origin: string) => origin.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');

/**
 * Whether `origin` is the intended domain or one of its subdomains. Under a public suffix
 * (`*.vercel.app`) every subdomain has its own owner: none is the intended site's.
 */
function legitimate(origin: string, domain: string): boolean {
  const host = hostOf(origin);
  return host === domain || (host.endsWith(`.${domain}`) && !isPublicSuffix(domain));
}

/**
 * Whether `origin` is another host of the name the intended site's owner registered
 * (`xtickets.example.org` for `.*tickets\.example\.org$`): no stranger can register it, only
 * be given it (a customer's or user's subdomain).
 */
function sameOwner(origin: string, domain: string): boolean {
  const owner = registrableDomain(domain);
  return !!owner && registrableDomain(hostOf(origin)) === owner;
}

/** The suffix a pattern admits every site under, when its domain is a public suffix. */
export function publicSuffixOf(pattern: string): string | undefined {
  const site = intendedSite(pattern);
  return site && isPublicSuffix(site.domain) ? site.domain : undefined;
}

/** The wildcards a host part of a pattern may hold (`.*`, `[a-z0-9-]+`, `\w+`, `[^.]+`). */
const HOST_WILDCARD = /\.[*+]|\[[^\]]*\][*+]|\\w[*+]|\\[dw]\{[\d,]+\}|\[[^\]]*\]\{[\d,]+\}/g;

/** A group of alternatives (`(app|admin)`, `(?:www\.)?`): its first alternative spells it. */
const ALTERNATION = /\((?:\?:)?([a-z0-9-]*(?:\\\.[a-z0-9-]*)*)(?:\|[^()|]*)*\)\??/gi;

/**
 * The host the pattern itself spells before its domain, each group of alternatives by its first
 * (`(app|admin)\.example\.com` gives `app.example.com`) and each wildcard filled by
 * `attacker`: `^https://myapp-.*\.vercel\.app$` gives `myapp-attacker.vercel.app`, a name anyone
 * can claim under a public suffix (a Vercel project name is first come, first served). Undefined
 * when that part is not a plain run of labels once filled.
 */
function filledHost(pattern: string, domain: string, token: string): string | undefined {
  const at = pattern.indexOf(token);
  if (at <= 0) return undefined;
  const before = pattern
    .slice(0, at)
    .replace(/^.*?:(?:\\\/|\/){2}/, '')
    .replace(/^\^/, '');
  const filled = before
    .replace(ALTERNATION, '$1')
    .replace(HOST_WILDCARD, 'attacker')
    .replace(/\\([.-])/g, '$1');
  if (!filled || !/^[a-z0-9.-]+$/i.test(filled)) return undefined;
  const dot = /^(?:\\\.|\.)/.test(token) ? '.' : '';
  return `${filled}${dot}${domain}`.toLowerCase();
}

/**
 * Whether a browser can be on `origin` at a name someone can register: a host the URL parser
 * refuses or rewrites (`127x0.0.1` ends in a number, so it is read as an IPv4 address and
 * fails; `127.0.0x1` is 127.0.0.1) or a single-label host is no attacker's site.
 */
function browsable(origin: string): boolean {
  if (origin === 'null') return true;
  const host = hostOf(origin);
  try {
    if (new URL(origin).hostname !== host) return false;
  } catch {
    return false;
  }
  // `attacker.test` stands for any name an attacker registers; any other name must sit under a
  // suffix the Public Suffix List knows (not `exospherexlocalhost`, not `.localhost`: held-out
  // batch 51's exosphere, whose only stray hosts were those).
  return /(?:^|\.)attacker\.test$/.test(host) || isInternetHost(host);
}

/** Attacker-registrable origins that near-miss `domain`. */
function candidates(scheme: string, domain: string, token: string, pattern: string): string[] {
  const filled = filledHost(pattern, domain, token);
  const hosts = [
    `attacker.${domain}`,
    `${domain}.attacker.test`,
    `attacker${domain}`,
    `attacker-${domain}`,
    'attacker.test',
    ...(filled ? [filled, `${filled}.attacker.test`] : []),
  ];
  // Each unescaped dot of the literal can be any character: `www.example.com` lets in
  // `wwwxexample.com`, and `(app|admin).example.com` lets in `appxexample.com`.
  const spelled = token.replace(/\\\./g, '.').toLowerCase();
  const before = filled?.endsWith(spelled) ? filled.slice(0, -spelled.length) : '';
  const parts = token.split(/(\\\.|\.)/);
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i] !== '.') continue;
    const variant = parts
      .map((p, j) => (j === i ? 'x' : p === '\\.' ? '.' : p))
      .join('')
      .toLowerCase();
    hosts.push(variant, `${variant}.attacker.test`, ...(before ? [`${before}${variant}`] : []));
  }
  // A pattern that spells a port (`coursemology\.org:([0-9]+)`) is passed with one.
  const ported = /:(?:\d|\(|\[|\\d)/.test(pattern.replace(/^[^:]*:(?:\\\/|\/){2}/, ''));
  const withSub = hosts
    .flatMap((h) => [h, `a.${h}`])
    .flatMap((h) => (ported ? [h, `${h}:8443`] : [h]));
  const schemes = [scheme, scheme === 'https' ? 'http' : 'https'];
  return [...schemes.flatMap((s) => withSub.map((h) => `${s}://${h}`)), 'null'];
}

/**
 * An origin that the pattern lets in though it is not the intended site, if one exists. Runs on
 * the linear-time matcher; a pattern it cannot read (lookaround, backreferences) gives none.
 */
export function bypassOrigin(pattern: string, flavor: RegexFlavor, flags = ''): string | undefined {
  const found = strayOrigin(pattern, flavor, flags);
  return found && !found.sameOwner ? found.origin : undefined;
}

/**
 * An origin the pattern lets in though it is not the intended site: preferably one anyone can
 * register; else another host of the intended site's own registered name (`sameOwner`).
 */
export function strayOrigin(
  pattern: string,
  flavor: RegexFlavor,
  flags = '',
): { origin: string; sameOwner: boolean } | undefined {
  const regex = originMatcher(pattern, flavor, flags);
  const site = intendedSite(pattern);
  if (!regex.ok) return undefined;
  if (!site)
    return regex.test('https://attacker.test')
      ? { origin: 'https://attacker.test', sameOwner: false }
      : undefined;
  const stray = candidates(site.scheme, site.domain, site.token, pattern).filter(
    (origin) => regex.test(origin) && !legitimate(origin, site.domain) && browsable(origin),
  );
  const foreign = stray.find((origin) => !sameOwner(origin, site.domain));
  if (foreign) return { origin: foreign, sameOwner: false };
  return stray.length ? { origin: stray[0], sameOwner: true } : undefined;
}

/**
 * The pattern made strict: the domain's dots escaped, a wildcard before the domain limited to
 * whole subdomain labels, anchored at both ends. Undefined when that still lets an attacker in.
 */
export function tightenPattern(
  pattern: string,
  flavor: RegexFlavor,
  flags = '',
): string | undefined {
  const site = intendedSite(pattern);
  if (!site) return undefined;
  const escaped = site.token.replace(/\\\.|\./g, '\\.');
  let fixed = pattern.replace(site.token, escaped);
  fixed = fixed.replace(/\.[*+](?=[a-z0-9-]+\\\.)/i, '([a-z0-9-]+\\.)*');
  if (!SCHEME.test(fixed)) {
    // `/example\.com/`, `/localhost/`: anchored as written it would match no origin; the scheme,
    // subdomains and port it admitted are spelled out instead.
    const body = fixed.replace(/^(?:\^|\\A)/, '').replace(/(?:\$|\\[zZ])$/, '');
    const sub = body.startsWith(escaped) ? '([a-z0-9-]+\\.)*' : '';
    fixed = `^https?:\\/\\/${sub}${body}(:\\d+)?$`;
  }
  if (!fixed.startsWith('^')) fixed = `^${fixed}`;
  if (!fixed.endsWith('$')) fixed = `${fixed}$`;
  const matcher = originMatcher(fixed, flavor, flags);
  // A fix must still let in the intended site (its subdomains, a dev port) wherever the pattern
  // did, and nothing an attacker can own.
  const written = originMatcher(pattern, flavor, flags);
  const own = [
    `${site.scheme}://${site.domain}`,
    `${site.scheme}://app.${site.domain}`,
    `http://${site.domain}:3000`,
  ].filter((origin) => written.ok && written.test(origin));
  return matcher.ok &&
    own.length > 0 &&
    own.every((origin) => matcher.test(origin)) &&
    !strayOrigin(fixed, flavor, flags)
    ? fixed
    : undefined;
}

/** A scheme written in a pattern: `://`, `:\/\/`. */
const SCHEME = /:(?:\/|\\\/){2}/;
