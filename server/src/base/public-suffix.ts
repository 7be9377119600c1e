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
