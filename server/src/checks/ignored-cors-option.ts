import type { Check } from './types';

/**
 * An option the CORS library has no such name for, near one it has (`allowHeaders` for the `cors`
 * package's `allowedHeaders`, Koa's name; `Credentials`): the library ignores it without a word,
 * so the setup does something else than it says. The policy is already what the library does
 * without it; this says why, at the key, with a fix that renames it.
 */
export const ignoredCorsOption: Check = {
  id: 'ignored-cors-option',
  severity: 'warning',
  description:
    'An option the CORS library does not know (a near miss of one it does), which it ignores without a word.',
  fix: { description: "rename the option to the library's name", safety: 'safe' },
  run(policy) {
    return (policy.ignoredOptions ?? []).map((option) => ({
      message:
        `${option.library[0].toUpperCase()}${option.library.slice(1)} has no option \`${option.name}\` and ignores it: ${option.effect}. ` +
        `Its option is \`${option.meant}\`.`,
      span: option.span,
      fix: {
        title: `Rename to ${option.meant}`,
        edits: [{ ...option.span, newText: option.meant }],
      },
    }));
  },
};
