import type { TextEdit } from '../../policy/edits';
import { varyAfterWrite, writtenAllowlist } from '../../lang/handset-edits';
import { preflightBranches } from '../../lang/handset-branches';
import { replaceStar } from '../../lang/star-origin';
import { headersOf } from './neutral';
import { type Span, factsOf } from '../../policy/types';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { insertEntry } from '../../lang/python/argument-edits';
import {
  appendElements,
  elementAt,
  preferredQuote,
  pythonString,
  removeElement,
  replaceStringLiteral,
} from '../../lang/python/sequence-edits';

/**
 * Lines (or dict entries) setting `headers`, placed right after `span`: the statement or
 * `headers={...}` entry that writes another CORS header, in the same style and target.
 */
function addAfter(text: string, span: Span, headers: [string, string][]): TextEdit | undefined {
  const written = text.slice(span.start, span.end);
  const q = preferredQuote(text);
  const s = (v: string) => pythonString(v, q);
  if (/^[rRuU]?['"]/.test(written)) {
    // A dict entry: more entries after it.
    return {
      file: span.file,
      start: span.end,
      end: span.end,
      newText: headers.map(([n, v]) => `, ${s(n)}: ${s(v)}`).join(''),
    };
  }
  // `resp.headers["A"] = ...`, `resp.headers.add(...)`, Django's `response["A"] = ...`.
  const target = /^([\w.]+?)(\.headers)?(\[|\.(add|set|setdefault)\()/.exec(written);
  if (!target) return undefined;
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const indent = text.slice(lineStart, span.start);
  if (indent.trim()) return undefined;
  const prefix = `${target[1]}${target[2] ?? ''}`;
  return {
    file: span.file,
    start: span.end,
    end: span.end,
    newText: headers.map(([n, v]) => `\n${indent}${prefix}[${s(n)}] = ${s(v)}`).join(''),
  };
}

/** `[...]` or `(...)`: an allowlist written in place (`if origin in [...]`). */
const opensPythonList = (text: string, span: Span) => '[('.includes(text[span.start]);

/** Fixes in Python code that writes CORS headers by hand (Flask, Django, FastAPI). */
export const pythonHandsetFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt;
    // One origin can replace the `*` literal; several need an allowlist test, written by hand.
    if (!at || origins.length !== 1) return undefined;
    return replaceStar(context.text(at.span.file), at.span, origins[0], pythonString);
  },

  replaceOrigin: (_policy, origin, value, context) =>
    origin.span &&
    replaceStringLiteral(context.text(origin.span.file), origin.span, origin.value, value),

  removeOrigin(policy, origin, context) {
    const list = writtenAllowlist(policy, (f) => context.text(f), opensPythonList);
    if (!list || !origin.span) return undefined;
    const edit = removeElement(
      list.text,
      list.span,
      elementAt(list.text, list.span, origin.span.start),
    );
    return edit && [edit];
  },

  replacePattern: (_policy, regex, pattern, context) =>
    regex.span &&
    replaceStringLiteral(context.text(regex.span.file), regex.span, regex.value, pattern),

  addOrigins(policy, origins, context) {
    const list = writtenAllowlist(policy, (f) => context.text(f), opensPythonList);
    const edit =
      list &&
      appendElements(
        list.text,
        list.span,
        origins.map((o) => pythonString(o, preferredQuote(list.text))),
      );
    return edit && [edit];
  },

  addVary: (policy, context) => varyAfterWrite(policy, (f) => context.text(f), addAfter),

  addPreflightHeaders(policy, headers, context) {
    const branch = factsOf(policy, 'python-handset')?.handlers.flatMap((h) =>
      preflightBranches(h.steps),
    )[0];
    if (!branch) return undefined;
    const text = context.text(branch.span.file);
    const title = `Answer preflights with ${headers.map(([n]) => n).join(' and ')}`;
    const written = headersOf(branch.then).map(({ header }) => header);
    const last = written[written.length - 1];
    const edit = last && addAfter(text, last.span, headers);
    if (edit) return { title, edits: [edit] };
    const returned = branch.then.find((s) => s.kind === 'return');
    const dict = returned?.kind === 'return' ? returned.headersAt : undefined;
    if (!dict) return undefined;
    const q = preferredQuote(text);
    return {
      title,
      edits: headers.map(([n, v]) =>
        insertEntry(text, dict, `${pythonString(n, q)}: ${pythonString(v, q)}`),
      ),
    };
  },
};
