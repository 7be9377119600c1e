import {
  isOwnLiteral,
  appendElements,
  elementAt,
  preferredQuote,
  pythonString,
  removeElement,
  replaceStringLiteral,
  sequenceLayout,
} from '../../lang/python/sequence-edits';
import type { CheckContext } from '../../checks/types';
import type { TextEdit } from '../../policy/edits';
import { type Policy, type Span, factsOf } from '../../policy/types';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { addHeaderNames } from '../../lang/header-names';
import { insertEntry } from '../../lang/python/argument-edits';

/** A Python list literal of strings in the file's quote style. */
const listOf = (text: string, values: string[]) =>
  `[${values.map((v) => pythonString(v, preferredQuote(text))).join(', ')}]`;

/** An option written as `name=value` in a call, or `"name": value` in a resource dict. */
function option(text: string, insertAt: Span, name: string, value: string): string {
  return text[insertAt.start] === '{'
    ? `${pythonString(name, preferredQuote(text))}: ${value}`
    : `${name}=${value}`;
}

/** The `origins` option's value when it is a list literal written in place (not via a name). */
function originsList(policy: Policy, text: string): Span | undefined {
  const value = factsOf(policy, 'flask-cors')?.written.origins?.value;
  if (!value || !'[('.includes(text[value.start])) return undefined;
  const layout = sequenceLayout(text, value);
  return layout &&
    layout.elements.length ===
      policy.origins.exact.length +
        policy.origins.regexes.length +
        (policy.origins.allowAll ? 1 : 0)
    ? value
    : undefined;
}

/** Sets (or adds) one option of the resource or call, keeping the file's style. */
function setOption(
  policy: Policy,
  name: string,
  value: string,
  context: CheckContext,
): TextEdit[] | undefined {
  const facts = factsOf(policy, 'flask-cors');
  const written = facts?.written[name];
  if (written) return [{ ...written.value, newText: value }];
  if (!facts?.insertAt) return undefined;
  const text = context.text(facts.insertAt.file);
  return [insertEntry(text, facts.insertAt, option(text, facts.insertAt, name, value))];
}

/** Fixes in a Flask app: the keyword arguments of `CORS(...)`/`@cross_origin(...)` or a resource's options dict. */
export const flaskCorsFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt;
    const facts = factsOf(policy, 'flask-cors');
    if (!at || !facts || policy.origins.envDriven) return undefined;
    const text = context.text(at.span.file);
    const list = originsList(policy, text);
    const star =
      list && policy.origins.exact.length + policy.origins.regexes.length > 0
        ? sequenceLayout(text, list)!.elements.findIndex((e) =>
            /^[rRuU]?(['"])\*\1$/.test(text.slice(e.start, e.end)),
          )
        : -1;
    if (list && star >= 0) {
      // Origins are listed beside the `*`: dropping it lets that allowlist take effect.
      const edit = removeElement(text, list, star);
      return edit && { title: "Remove '*' from origins (it already lists origins)", edits: [edit] };
    }
    const edits = setOption(policy, 'origins', listOf(text, origins), context);
    return edits && { title: `Allow only ${origins.join(', ')}`, edits };
  },

  replaceOrigin: (_policy, origin, value, context) =>
    origin.span &&
    replaceStringLiteral(context.text(origin.span.file), origin.span, origin.value, value),

  removeOrigin(policy, origin, context) {
    if (!origin.span) return undefined;
    const text = context.text(origin.span.file);
    const list = originsList(policy, text);
    const edit = list
      ? removeElement(text, list, elementAt(text, list, origin.span.start))
      : undefined;
    return edit && [edit];
  },

  replacePattern: (_policy, regex, pattern, context) =>
    regex.span &&
    replaceStringLiteral(context.text(regex.span.file), regex.span, regex.value, pattern),

  addOrigins(policy, origins, context) {
    const facts = factsOf(policy, 'flask-cors');
    const value = facts?.written.origins?.value;
    if (!facts || policy.origins.envDriven) return undefined;
    const text = context.text(policy.file);
    const list = originsList(policy, text);
    if (list) {
      const edit = appendElements(
        text,
        list,
        origins.map((o) => pythonString(o, preferredQuote(text))),
      );
      return edit && [edit];
    }
    // A single origin string becomes a list with the new ones.
    const single = policy.origins.exact[0];
    if (value && single?.span && isOwnLiteral(text, value, single.value))
      return [{ ...value, newText: listOf(text, [single.value, ...origins]) }];
    return value ? undefined : setOption(policy, 'origins', listOf(text, origins), context);
  },

  addVary(policy, context) {
    const edits = setOption(policy, 'vary_header', 'True', context);
    return edits && { title: 'Send Vary: Origin (vary_header=True)', edits };
  },

  addAllowedHeaders(policy, headers, context) {
    // Unset, Flask-CORS allows every header ('*'): nothing is refused, nothing to add.
    const value = factsOf(policy, 'flask-cors')?.written.allow_headers?.value;
    const edit = value && addHeaderNames(context.text(value.file), value, headers, sequenceLayout);
    return edit && [edit];
  },
};
