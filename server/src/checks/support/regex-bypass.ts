import { isPublicSuffix } from '../../base/public-suffix';
import { originMatcher } from '../../base/regex';
import type { RegexFlavor } from '../../policy/types';

/** A host-like literal in a pattern: labels joined by escaped or bare dots. */
const DOMAIN_TOKEN = /(?:\\\.|\.)?[a-z0-9-]+(?:(?:\\\.|\.)[a-z0-9-]+)+/gi;

/** The domain a pattern is meant to allow (its longest host-like literal), and its scheme. */
export function intendedSite(
  pattern: string,
): { scheme: string; domain: string; token: string } | undefined {
  const tokens = pattern.match(DOMAIN_TOKEN) ?? [];
  const token = tokens.sort((a, b) => b.length - a.length)[0];
  if (!token) return undefined;
  const scheme = /https/i.test(pattern) || !/http/i.test(pattern) ? 'https' : 'http';
  return { scheme, domain: token.replace(/\\\./g, '.').replace(/^\./, '').toLowerCase(), token };
}

/**
 * Whether `origin` is the intended domain or one of its subdomains. Under a public suffix
 * (`*.vercel.app`) every subdomain has its own owner: none is the intended site's.
 */
function legitimate(origin: string, domain: string): boolean {
  const host = origin.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');
  return host === domain || (host.endsWith(`.${domain}`) && !isPublicSuffix(domain));
}

/** The suffix a pattern admits every site under, when its domain is a public suffix. */
export function publicSuffixOf(pattern: string): string | undefined {
  const site = intendedSite(pattern);
  return site && isPublicSuffix(site.domain) ? site.domain : undefined;
}

/** Attacker-registrable origins that near-miss `domain`. */
function candidates(scheme: string, domain: string, token: string): string[] {
  const hosts = [
    `attacker.${domain}`,
    `${domain}.attacker.test`,
    `attacker${domain}`,
    `attacker-${domain}`,
    'attacker.test',
  ];
  // Each unescaped dot of the literal can be any character: `www.example.com` lets in `wwwxexample.com`.
  const parts = token.split(/(\\\.|\.)/);
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i] !== '.') continue;
    const variant = parts
      .map((p, j) => (j === i ? 'x' : p === '\\.' ? '.' : p))
      .join('')
      .toLowerCase();
    hosts.push(variant, `${variant}.attacker.test`);
  }
  const withSub = hosts.flatMap((h) => [h, `a.${h}`]);
  const schemes = [scheme, scheme === 'https' ? 'http' : 'https'];
  return [...schemes.flatMap((s) => withSub.map((h) => `${s}://${h}`)), 'null'];
}

/**
 * An origin that the pattern lets in though it is not the intended site, if one exists. Runs on
 * the linear-time matcher; a pattern it cannot read (lookaround, backreferences) gives none.
 */
export function bypassOrigin(pattern: string, flavor: RegexFlavor, flags = ''): string | undefined {
  const regex = originMatcher(pattern, flavor, flags);
  const site = intendedSite(pattern);
  if (!regex.ok) return undefined;
  if (!site) return regex.test('https://attacker.test') ? 'https://attacker.test' : undefined;
  return candidates(site.scheme, site.domain, site.token).find(
    (origin) => regex.test(origin) && !legitimate(origin, site.domain),
  );
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
  if (!fixed.startsWith('^')) fixed = `^${fixed}`;
  if (!fixed.endsWith('$')) fixed = `${fixed}$`;
  return originMatcher(fixed, flavor, flags).ok && !bypassOrigin(fixed, flavor, flags)
    ? fixed
    : undefined;
}
