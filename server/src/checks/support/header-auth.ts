import type { Policy } from '../../policy/types';
import type { AuthSignAt } from '../../workspace/types';
import type { CheckContext } from '../types';

/**
 * The header auth of the policy's project when the project was searched (`AuthSigns`: every file
 * of the policy, and the files of its project the workspace holds) and shows no cookie auth at
 * all: browsers add cookies to a cross-site request on their own, never an `Authorization`
 * header or an API key, so such a project has nothing a credentialed cross-site request carries.
 * Undefined whenever it is not known (no workspace facts, a language without a reader of the
 * signs, no sign of header auth either).
 */
export function headerAuthOnly(policy: Policy, context: CheckContext): AuthSignAt | undefined {
  const auth = context.workspace?.auth;
  if (!auth) return undefined;
  const root = auth.searched[policy.file];
  if (root === undefined) return undefined;
  if (policy.files.some((file) => auth.searched[file] === undefined)) return undefined;
  const inProject = (sign: AuthSignAt) => sign.root === root || policy.files.includes(sign.file);
  if (auth.cookies.some(inProject)) return undefined;
  return auth.headers.find(inProject);
}
