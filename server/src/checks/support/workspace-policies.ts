import { projectRootOf } from '../../base/project-root';
import type { Policy } from '../../policy/types';
import type { CheckContext } from '../types';

/** The policies of the policy's own file, as the workspace index holds them (none when not indexed). */
export const filePolicies = (policy: Policy, context: CheckContext): readonly Policy[] =>
  context.workspace?.apps?.find((app) => app.file === policy.file)?.policies ?? [];

/**
 * The policies of the project's other files (same project root); undefined when the workspace
 * was not indexed, so a caller can tell "none" from "not known".
 */
export function projectPolicies(policy: Policy, context: CheckContext): Policy[] | undefined {
  const apps = context.workspace?.apps;
  if (!apps) return undefined;
  const root = projectRootOf(policy.file);
  return apps
    .filter((app) => app.file !== policy.file && projectRootOf(app.file) === root)
    .flatMap((app) => app.policies);
}
