import type { FrameworkFixes } from '../../checks/framework-fixes';
import { factsOf } from '../../policy/types';
import { jsArray } from '../../lang/javascript/sequence-edits';
import { corsOptionFixes } from '../../lang/javascript/option-edits';

const optionFixes = corsOptionFixes((policy) => {
  const facts = factsOf(policy, 'nestjs');
  return facts?.kind === 'cors' ? facts.options.options : undefined;
});

/**
 * Fixes in the options Nest hands to `cors` / `@fastify/cors` (the same object syntax as
 * Express's `cors(...)`); `cors: true` in the create options becomes an options object.
 */
export const nestFixes: FrameworkFixes = {
  ...optionFixes,
  allowOnly(policy, origins, context) {
    const facts = factsOf(policy, 'nestjs');
    if (facts?.kind === 'cors' && facts.corsTrue) {
      const text = context.text(facts.corsTrue.file);
      return {
        title: `Allow only ${origins.join(', ')}`,
        edits: [{ ...facts.corsTrue, newText: `cors: { origin: ${jsArray(origins, text)} }` }],
      };
    }
    return optionFixes.allowOnly(policy, origins, context);
  },
};
