import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';

/**
 * graphql-yoga never leaves Access-Control-Allow-Origin out: with a list of origins, an origin
 * not on it gets the value `null` (useCORS of @whatwg-node/server; test/truth/graphql-yoga).
 * A sandboxed iframe, a data: URL or a local file on any site sends `Origin: null`, which that
 * value matches, so the list lets every site in. That match is the Fetch standard's rule (an
 * opaque origin serialises as `null`); no browser test here sends an opaque origin.
 */
export const yogaNullForUnlistedOrigin: Check = {
  id: 'yoga-null-for-unlisted-origin',
  severity: 'error',
  frameworks: ['graphql-yoga'],
  description:
    'graphql-yoga answers an origin missing from its `origin` list with `Access-Control-Allow-Origin: null`, which a sandboxed page on any site matches.',
  severityNote: 'info with `credentials: false`',
  run(policy) {
    const facts = factsOf(policy, 'graphql-yoga');
    if (facts?.origin.kind !== 'list' || policy.credentials === 'dynamic') return [];
    const span = policy.origins.listAt?.span ?? policy.at;
    if (!span) return [];
    const credentialed = policy.credentials === true;
    return [
      {
        message:
          `graphql-yoga answers every origin not on this list with Access-Control-Allow-Origin: null. ` +
          `A sandboxed iframe or a data: URL on any site sends Origin: null, which that matches, so any site ` +
          (credentialed
            ? `can send the user's cookies and read the answers (credentials are on${facts.credentials === undefined ? ', as yoga does by default' : ''}).`
            : `can read what an anonymous caller gets.`),
        span,
        ...(credentialed ? {} : { severity: 'info' as const }),
      },
    ];
  },
};
