/** Fixes in Rails controllers that write CORS headers by hand: the `'*'` literal, the allowlist. */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { addHeadersAfter } from '../../lang/ruby/header-edits';
import { rubyString } from '../../lang/ruby/literals';

export const rubyHandsetFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt;
    // One origin can replace the `'*'` literal; several need an allowlist test, written by hand.
    if (!at || origins.length !== 1) return undefined;
    const text = context.text(at.span.file);
    const star = /(['"])\*\1/.exec(text.slice(at.span.start, at.span.end));
    if (!star) return undefined;
    const start = at.span.start + star.index;
    return {
      title: `Allow only ${origins[0]}`,
      edits: [
        {
          file: at.span.file,
          start,
          end: start + star[0].length,
          newText: rubyString(origins[0], star[1] as "'" | '"'),
        },
      ],
    };
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
  addVary(policy, context) {
    const at = policy.varyAt;
    const edit = at ? addHeadersAfter(context.text(at.file), at, [['Vary', 'Origin']]) : undefined;
    return edit && { title: 'Send Vary: Origin with the allowed origin', edits: [edit] };
  },
};
