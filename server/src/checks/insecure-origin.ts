import { isLoopbackOrigin } from './support/origin';
import type { Check, Report } from './types';

export const insecureOrigin: Check = {
  id: 'insecure-origin',
  severity: 'warning',
  description:
    "The allowlist trusts 'null' (any sandboxed page) or, in production settings, a plain http:// origin.",
  fix: { description: 'remove `null` / production `http://` origins', safety: 'review' },
  run(policy, context) {
    const reports: Report[] = [];
    for (const origin of policy.origins.exact) {
      if (!origin.span) continue;
      const isNull = origin.value === 'null';
      const isHttp =
        context.production && origin.value.startsWith('http://') && !isLoopbackOrigin(origin.value);
      if (!isNull && !isHttp) continue;
      const edits = context.framework(policy).fixes.removeOrigin(policy, origin, context);
      reports.push({
        message: isNull
          ? "'null' is allowlisted: sandboxed iframes, data: URLs and local files of any site send Origin: null, so any site can pass this check."
          : `'${origin.value}' is allowlisted in production settings: a page served over plain HTTP can be altered in transit by anyone on the network, who then speaks to this API with the user's trust.`,
        span: origin.span,
        fix: edits && { title: `Remove '${origin.value}' from the allowlist`, edits },
      });
    }
    return reports;
  },
};
