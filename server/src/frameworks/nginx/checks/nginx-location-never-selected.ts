import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';
import { DUPLICATE } from '../extract';

/**
 * A location that sets CORS headers but never answers a request: a regex location of the server
 * matches its path too, and nginx takes a matching regex over a plain prefix (`extract.ts`,
 * `neverSelected`). Its headers are never sent.
 */
export const nginxLocationNeverSelected: Check = {
  id: 'nginx-location-never-selected',
  severity: 'warning',
  severityNote: 'error when the same location is written twice in a server (`nginx -t` fails)',
  frameworks: ['nginx'],
  description:
    'A plain prefix `location` sets CORS headers, but a regex location matches the same paths and nginx selects it instead, so those headers are never sent.',
  run(policy) {
    const facts = factsOf(policy, 'nginx');
    const inactive = policy.inactive;
    // Inactive for another reason (an app behind it that CORS Lens does not read, a snippet
    // nothing includes): not this one.
    if (
      !facts ||
      !inactive ||
      inactive.unloaded !== undefined ||
      !policy.configured ||
      inactive.span.start !== facts.location.span.start
    )
      return [];
    const { pattern } = facts.location;
    if (inactive.label.startsWith(DUPLICATE))
      return [
        {
          message:
            `location ${pattern} is ${inactive.label}, so this server answers nothing and none of its CORS headers are sent. ` +
            `Merge the two blocks, or give one of them another path.`,
          span: inactive.span,
          severity: 'error',
        },
      ];
    return [
      {
        message:
          `location ${pattern} is ${inactive.label}: its CORS headers are never sent. ` +
          `Write \`location = ${pattern}\` (this path only) or \`location ^~ ${pattern}\` (and below, before any regex) so nginx selects it.`,
        span: inactive.span,
      },
    ];
  },
};
