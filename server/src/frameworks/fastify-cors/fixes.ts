/** Fixes in `@fastify/cors` options (JS/TS, the file's quotes and layout). */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import {
  addOriginsOr,
  optionEntryFixes,
  pluginAllowOnly,
  type TextSource,
} from '../../lang/javascript/option-edits';
import { type Policy, factsOf } from '../../policy/types';

// Without an origin option or options object, `register(cors)` gets an options argument.
const allowOnly = (policy: Policy, origins: string[], context: TextSource) =>
  pluginAllowOnly(policy, origins, context, factsOf(policy, 'fastify-cors'), {
    appendOptions: true,
  });

export const fastifyFixes: FrameworkFixes = {
  ...optionEntryFixes,
  allowOnly,
  addOrigins: addOriginsOr(allowOnly, (policy) => !!policy.origins.reflectAny),
};
