/**
 * Public suffixes (`com`, `co.uk`, and the hosting platforms' `vercel.app`, `herokuapp.com`,
 * `github.io`, `netlify.app`): names under which anyone can register or deploy a site. Read from
 * the Public Suffix List that `tldts` ships (ICANN and private sections), not from a list of ours.
 */
import { parse } from 'tldts';

/** Whether `domain` is itself on the Public Suffix List (so any `x.<domain>` has its own owner). */
export function isPublicSuffix(domain: string): boolean {
  const probe = parse(`x.${domain}`, { allowPrivateDomains: true });
  // Names the list does not hold fall under its default `*` rule: not a listed suffix.
  return probe.publicSuffix === domain && (!!probe.isIcann || !!probe.isPrivate);
}

/**
 * Whether `host` is a name on the public internet: a registrable domain under a listed suffix
 * (`shop.example.com`, `app.herokuapp.com`), not an IP address, a single label (`api`), or a
 * name under an unlisted suffix (`.local`, `.test`, `.internal`, `.localhost`); a name under
 * `.example` counts as a real site's.
 */
export function isInternetHost(host: string): boolean {
  // `.example` (RFC 2606) is how documentation and samples write a real site's name.
  if (/\.example$/i.test(host)) return true;
  const parsed = parse(host, { allowPrivateDomains: true });
  return !parsed.isIp && !!parsed.domain && (!!parsed.isIcann || !!parsed.isPrivate);
}

/**
 * The name its owner registered (`example.org` of `app.example.org`, `me.github.io` of
 * `x.me.github.io`): every host under it is theirs. Undefined for an IP, a public suffix itself.
 */
export function registrableDomain(host: string): string | undefined {
  return parse(host, { allowPrivateDomains: true }).domain ?? undefined;
}
