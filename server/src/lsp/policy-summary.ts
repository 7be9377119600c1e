import type { Policy } from '../policy/types';
import { coveredPathOf } from '../probe/defaults';
import type { PolicySummary } from './protocol';

/** The origins the file's policies allow, for the client's origin quick pick. */
export function policySummary(policies: Policy[]): PolicySummary {
  const unique = (values: string[]) => [...new Set(values)];
  const configured = policies.find((p) => p.configured);
  const covered = configured && coveredPathOf(configured);
  return {
    found: configured !== undefined,
    // `/` is the prompt's default anyway.
    ...(covered && covered !== '/' ? { path: covered } : {}),
    origins: unique(policies.flatMap((p) => p.origins.exact.map((o) => o.value))),
    regexes: unique(policies.flatMap((p) => p.origins.regexes.map((r) => r.pattern))),
    allowAll: policies.some((p) => p.origins.allowAll),
  };
}
