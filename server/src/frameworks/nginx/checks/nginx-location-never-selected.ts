import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';

/**
 * A location that sets CORS headers but never answers a request: a regex location of the server
 * matches its path too, and nginx takes a matching regex over a plain prefix (`extract.ts`,
 * `neverSelected`). Its headers are never sent.
 */
export const nginxLocationNeverSelected: Check = {
  id: 'nginx-location-never-selected',
  severity: 'warning',
  frameworks: ['nginx'],
  description:
    'A plain prefix `location` sets CORS headers, but a regex location matches the same paths and nginx selects it instead, so those headers are never sent.',
  run(policy) {
    const facts = factsOf(policy, 'nginx');
    if (!facts || !policy.inactive || !policy.configured) return [];
    const { pattern } = facts.location;
    return [
      {
        message:
          `location ${pattern} is ${policy.inactive.label}: its CORS headers are never sent. ` +
          `Write \`location = ${pattern}\` (this path only) or \`location ^~ ${pattern}\` (and below, before any regex) so nginx selects it.`,
        span: policy.inactive.span,
      },
    ];
  },
};
