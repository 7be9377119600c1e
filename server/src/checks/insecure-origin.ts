import { isInternetHost } from '../base/public-suffix';
import { isLoopbackOrigin } from './support/origin';
import type { Check, Report } from './types';

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
          : `'${origin.value}' is allowlisted ${http === 'production' ? 'in production settings' : 'with credentials'}: a page served over plain HTTP can be altered in transit by anyone on the network, who then speaks to this API with the user's trust.`,
        span: origin.span,
        ...(severity ? { severity } : {}),
        fix: edits && { title: `Remove '${origin.value}' from the allowlist`, edits },
      });
    }
    return reports;
  },
};
