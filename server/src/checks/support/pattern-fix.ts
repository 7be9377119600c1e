import type { Fix } from '../../policy/edits';
import type { OriginPolicy, Policy } from '../../policy/types';
import type { CheckContext } from '../types';

/** An origin regex of the policy rewritten as `fixed` by its framework's fixes, titled "Use '…'". */
export function patternFix(
  policy: Policy,
  regex: OriginPolicy['regexes'][number],
  fixed: string | undefined,
  context: CheckContext,
): Fix | undefined {
  if (!fixed || !regex.span) return undefined;
  const edits = context
    .framework(policy)
    .fixes.replacePattern(
      policy,
      { value: regex.pattern, span: regex.span, flavor: regex.flavor },
      fixed,
      context,
    );
  return edits && { title: `Use '${fixed}'`, edits };
}
