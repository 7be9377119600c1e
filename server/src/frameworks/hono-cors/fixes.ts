/** Fixes in `hono/cors` options (JS/TS, the file's quotes and layout). */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import {
  addHeadersToEntry,
  addToEntry,
  allowOnlyEdit,
  removeFromEntry,
  replaceRegexAt,
  replaceStringAt,
} from '../../lang/javascript/option-edits';
import { factsOf } from '../../policy/types';

export const honoFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt ?? policy.origins.reflectAny;
    const facts = factsOf(policy, 'hono-cors');
    if (!at || !facts || policy.origins.envDriven) return undefined;
    // Options imported from another module are edited there.
    const entry = facts.originEntry ?? at.span;
    // Without an origin option the entry is the `cors(...)` call.
    const unset =
      entry.file === facts.call.file &&
      entry.start === facts.call.start &&
      entry.end === facts.call.end;
    const text = context.text(unset && facts.options ? facts.options.file : entry.file);
    return allowOnlyEdit(
      text,
      'origin',
      origins,
      unset ? { options: facts.options, call: facts.call } : { entry },
    );
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
      return honoFixes.allowOnly(policy, origins, context)?.edits;
    return addToEntry(context.text(listAt.span.file), listAt.span, origins);
  },
  addAllowedHeaders(policy, headers, context) {
    // An empty allowHeaders echoes the requested headers: nothing to add then.
    const at = policy.headers.at;
    if (at) return addHeadersToEntry(context.text(at.span.file), at.span, headers);
    return undefined;
  },
};
