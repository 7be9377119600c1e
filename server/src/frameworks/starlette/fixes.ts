import {
  isOwnLiteral,
  appendElements,
  elementAt,
  preferredQuote,
  pythonString,
  removeElement,
  sequenceLayout,
  stringLike,
} from '../../lang/python/sequence-edits';
import type { CheckContext } from '../../checks/types';
import type { TextEdit } from '../../policy/edits';
import { type Policy, type Span, type StaticValue, factsOf } from '../../policy/types';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { addHeaderNames } from '../../lang/header-names';
import { insertEntry } from '../../lang/python/argument-edits';

type List = Extract<StaticValue, { kind: 'list' }>;

/**
 * The `allow_origins` list when it is written as a plain literal (no splat, no `+`, not from an
 * environment variable), so an edit of its elements means what it says.
 */
function ownList(policy: Policy, context: CheckContext): { list: List; text: string } | undefined {
  const value = factsOf(policy, 'starlette')?.allowOrigins;
  if (value?.kind !== 'list' || value.envDriven) return undefined;
  const text = context.text(value.span.file);
  const layout = sequenceLayout(text, value.span);
  const pairs = `${text[value.span.start]}${text[value.span.end - 1]}`;
  if (
    !layout ||
    (pairs !== '[]' && pairs !== '()') ||
    layout.elements.length !== value.items.length
  )
    return undefined;
  return { list: value, text };
}

/** A list literal of `origins` laid out like the sequence at `span` (brackets, lines, indent). */
function listLike(text: string, span: Span, origins: string[]): string {
  const layout = sequenceLayout(text, span);
  const [open, close] = layout?.tuple ? ['(', ')'] : ['[', ']'];
  const items = origins.map((o) => pythonString(o, preferredQuote(text)));
  if (!layout?.multiline)
    return `${open}${items.join(', ')}${layout?.tuple && items.length === 1 ? ',' : ''}${close}`;
  const closeLine = text.slice(text.lastIndexOf('\n', span.end - 1) + 1, span.end - 1);
  return `${open}${items.map((i) => `\n${layout.indent}${i},`).join('')}\n${closeLine}${close}`;
}

/** An inline Python list of strings, for a value that was not a list. */
const inlineList = (text: string, origins: string[]) =>
  `[${origins.map((o) => pythonString(o, preferredQuote(text))).join(', ')}]`;

/** Fixes in a FastAPI/Starlette app: the keyword arguments of the CORSMiddleware call. */
export const starletteFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const facts = factsOf(policy, 'starlette');
    const value = facts?.allowOrigins;
    // No allow_origins written (nor a regex, nor `**options`): add the keyword.
    if (facts && !value && !facts.written.allow_origin_regex && !policy.origins.dynamic) {
      const text = context.text(facts.argumentList.file);
      return {
        title: `Allow only ${origins.join(', ')}`,
        edits: [
          insertEntry(text, facts.argumentList, `allow_origins=${inlineList(text, origins)}`),
        ],
      };
    }
    if (value?.kind === 'str') {
      // allow_origins="*": a string Starlette searches; a list says what is meant.
      const text = context.text(value.span.file);
      if (value.envDriven || !isOwnLiteral(text, value.span, value.value)) return undefined;
      return {
        title: `Allow only ${origins.join(', ')}`,
        edits: [{ ...value.span, newText: inlineList(text, origins) }],
      };
    }
    const own = ownList(policy, context);
    if (!own) return undefined;
    const { list, text } = own;
    const stars = list.items.filter((i) => i.kind === 'str' && i.value === '*');
    if (stars.length === list.items.length) {
      return {
        title: `Allow only ${origins.join(', ')}`,
        edits: [{ ...list.span, newText: listLike(text, list.span, origins) }],
      };
    }
    // Origins are listed beside the `*`: dropping the `*` lets that allowlist take effect.
    if (stars.length !== 1) return undefined;
    const edit = removeElement(text, list.span, elementAt(text, list.span, stars[0].span.start));
    return (
      edit && { title: "Remove '*' from allow_origins (it already lists origins)", edits: [edit] }
    );
  },

  replaceOrigin(_policy, origin, value, context) {
    if (!origin.span) return undefined;
    const text = context.text(origin.span.file);
    if (!isOwnLiteral(text, origin.span, origin.value)) return undefined;
    return [
      {
        ...origin.span,
        newText: stringLike(
          text.slice(origin.span.start, origin.span.end),
          value,
          preferredQuote(text),
        ),
      },
    ];
  },

  removeOrigin(policy, origin, context) {
    const own = ownList(policy, context);
    if (!own || !origin.span) return undefined;
    const index = elementAt(own.text, own.list.span, origin.span.start);
    const edit = index >= 0 ? removeElement(own.text, own.list.span, index) : undefined;
    return edit && [edit];
  },

  replacePattern(policy, regex, pattern, context) {
    return this.replaceOrigin(policy, regex, pattern, context);
  },

  addOrigins(policy, origins, context) {
    const facts = factsOf(policy, 'starlette');
    if (!facts) return undefined;
    const own = ownList(policy, context);
    const items = (text: string) => origins.map((o) => pythonString(o, preferredQuote(text)));
    let edit: TextEdit | undefined;
    if (own) edit = appendElements(own.text, own.list.span, items(own.text));
    else if (!facts.allowOrigins) {
      // No allow_origins yet: add the keyword argument at the end of the call.
      const text = context.text(facts.argumentList.file);
      edit = appendElements(text, facts.argumentList, [
        `allow_origins=${inlineList(text, origins)}`,
      ]);
    }
    return edit && [edit];
  },

  addAllowedHeaders(policy, headers, context) {
    const facts = factsOf(policy, 'starlette');
    if (!facts) return undefined;
    const written = facts.written.allow_headers;
    const text = context.text((written?.value ?? facts.argumentList).file);
    // Unset, Starlette allows only the safelisted headers: add the keyword argument.
    const edit = written
      ? addHeaderNames(text, written.value, headers, sequenceLayout)
      : appendElements(text, facts.argumentList, [`allow_headers=${inlineList(text, headers)}`]);
    return edit && [edit];
  },
};
