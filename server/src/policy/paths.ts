import { originMatcher } from '../base/regex';
import type { Policy } from './types';

/**
 * Whether a policy's path filter (a Python pattern, applied with `re.match`) covers a path; an
 * unreadable filter, or one the linear-time engine refuses, covers everything.
 */
export function coversPath(policy: Policy, pathname: string): boolean {
  if (typeof policy.urlRegex !== 'string') return true;
  const matcher = originMatcher(policy.urlRegex, 'python-match');
  return !matcher.ok || matcher.test(pathname);
}

/**
 * The policy that answers a request to `path`: the first whose path filter covers it (Flask-CORS
 * resources, Express mounts, nginx locations), else the first.
 */
export function policyForPath(policies: Policy[], path: string): Policy | undefined {
  const pathname = path.split('?')[0];
  return policies.find((policy) => coversPath(policy, pathname)) ?? policies[0];
}
