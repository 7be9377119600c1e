import type { Policy } from './types';

/** Whether a policy's path filter covers a path (an unreadable filter covers everything). */
export function coversPath(policy: Policy, pathname: string): boolean {
  if (typeof policy.urlRegex !== 'string') return true;
  try {
    return new RegExp(`^(?:${policy.urlRegex})`).test(pathname);
  } catch {
    return true;
  }
}

/**
 * The policy that answers a request to `path`: the first whose path filter covers it (Flask-CORS
 * resources, Express mounts, nginx locations), else the first.
 */
export function policyForPath(policies: Policy[], path: string): Policy | undefined {
  const pathname = path.split('?')[0];
  return policies.find((policy) => coversPath(policy, pathname)) ?? policies[0];
}
