/** Fixes in `@fastify/cors` options (JS/TS, the file's quotes and layout). */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import {
  addHeadersToEntry,
  addToEntry,
  allowOnlyEdit,
  removeFromEntry,
  replaceRegexAt,
  replaceStringAt,
} from '../../lang/javascript/option-edits';
import { jsArray } from '../../lang/javascript/sequence-edits';
import { factsOf } from '../../policy/types';

export const fastifyFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt ?? policy.origins.reflectAny;
    const facts = factsOf(policy, 'fastify-cors');
    if (!at || !facts || policy.origins.envDriven) return undefined;
    // Options imported from another module are edited there.
    const entry = facts.originEntry ?? at.span;
    const text = context.text(entry.file);
    // Without an origin option the entry is the `register(cors, ...)` call: insert into its options.
    if (
      entry.file === facts.call.file &&
      entry.start === facts.call.start &&
      entry.end === facts.call.end
    ) {
      if (facts.options)
        return allowOnlyEdit(context.text(facts.options.file), 'origin', origins, {
          options: facts.options,
        });
      const written = text.slice(facts.call.start, facts.call.end);
      const close = written.lastIndexOf(')');
      const edit = close > 0 && {
        file: facts.call.file,
        start: facts.call.start + close,
        end: facts.call.start + close,
        newText: `, { origin: ${jsArray(origins, text)} }`,
      };
      return edit ? { title: `Allow only ${origins.join(', ')}`, edits: [edit] } : undefined;
    }
    return allowOnlyEdit(text, 'origin', origins, { entry });
  },
  replaceOrigin: (_policy, origin, value, context) =>
    origin.span
      ? replaceStringAt(context.text(origin.span.file), origin.span, origin.value, value)
      : undefined,
  removeOrigin(policy, origin, context) {
    const listAt = policy.origins.listAt;
    return origin.span && listAt
      ? removeFromEntry(context.text(listAt.span.file), listAt.span, origin.span.start)
      : undefined;
  },
  replacePattern: (_policy, regex, pattern, context) =>
    regex.span ? replaceRegexAt(context.text(regex.span.file), regex.span, pattern) : undefined,
  addOrigins(policy, origins, context) {
    const listAt = policy.origins.listAt;
    if (!listAt || policy.origins.reflectAny)
      return fastifyFixes.allowOnly(policy, origins, context)?.edits;
    return addToEntry(context.text(listAt.span.file), listAt.span, origins);
  },
  addAllowedHeaders(policy, headers, context) {
    // Unset, the plugin echoes the requested headers: nothing is refused.
    const at = policy.headers.at;
    return at ? addHeadersToEntry(context.text(at.span.file), at.span, headers) : undefined;
  },
};
