import { factsOf } from '../../policy/types';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { corsOptionFixes } from '../../lang/javascript/option-edits';

/** Fixes in Express `cors(...)` options (JS/TS syntax, the file's quotes and commas). */
export const expressFixes: FrameworkFixes = corsOptionFixes(
  (policy) => factsOf(policy, 'express-cors')?.options,
);
