/** Fixes in `hono/cors` options (JS/TS, the file's quotes and layout). */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import {
  addOriginsOr,
  optionEntryFixes,
  pluginAllowOnly,
  type TextSource,
} from '../../lang/javascript/option-edits';
import { type Policy, factsOf } from '../../policy/types';

const allowOnly = (policy: Policy, origins: string[], context: TextSource) =>
  pluginAllowOnly(policy, origins, context, factsOf(policy, 'hono-cors'));

export const honoFixes: FrameworkFixes = {
  ...optionEntryFixes,
  allowOnly,
  addOrigins: addOriginsOr(allowOnly, (policy) => !!policy.origins.reflectAny),
};
