/** Fixes in Rails controllers that write CORS headers by hand: the `'*'` literal, the allowlist. */
import { varyAfterWrite } from '../../lang/handset-edits';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { addHeadersAfter } from '../../lang/ruby/header-edits';
import { rubyString } from '../../lang/ruby/literals';
import { replaceStar } from '../../lang/star-origin';

export const rubyHandsetFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt;
    // One origin can replace the `'*'` literal; several need an allowlist test, written by hand.
    if (!at || origins.length !== 1) return undefined;
    return replaceStar(context.text(at.span.file), at.span, origins[0], rubyString);
  },
  replaceOrigin(_policy, origin, value, context) {
    if (!origin.span) return undefined;
    const written = context.text(origin.span.file).slice(origin.span.start, origin.span.end);
    const match = /^(['"])(.*)\1$/s.exec(written);
    return match && match[2] === origin.value && !/[\\#]/.test(match[2])
      ? [{ ...origin.span, newText: rubyString(value, match[1] as "'" | '"') }]
      : undefined;
  },
  removeOrigin: () => undefined,
  replacePattern: () => undefined,
  addOrigins: () => undefined,
  addVary: (policy, context) => varyAfterWrite(policy, (f) => context.text(f), addHeadersAfter),
};
