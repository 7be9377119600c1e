import type { Policy } from '../policy/types';
import { coveredPathOf } from '../probe/defaults';

/**
 * A document's policies as the analysis worker sends them to the LSP thread with each analysis.
 * That thread reads their parts (the hover, the policy summary) and of their facts only Django's
 * settings (the hover shows a setting's value), so the rest of the facts stay in the worker: an
 * Express app's route index or an nginx server's directives are most of a policy's bytes (93 of
 * 94 KB for a 300-route app, 8.2 of 8.7 KB per nginx location), and encoding them cost a
 * keystroke ~2 ms. The first configured policy carries the path the summary offers, which is
 * read from those facts (`coveredPathOf`).
 */
export function policiesForLspThread(policies: readonly Policy[]): Policy[] {
  const summarised = policies.find((p) => p.configured);
  return policies.map((policy) => {
    const { facts, ...parts } = policy;
    return {
      ...parts,
      ...(policy.framework === 'django' && facts ? { facts } : {}),
      ...(policy === summarised ? { samplePath: coveredPathOf(policy) } : {}),
    };
  });
}
