/** Fixes in an aiohttp_cors setup: the origin keys of its config mappings, and ResourceOptions keywords. */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import type { CheckContext } from '../../checks/types';
import { addHeaderNames } from '../../lang/header-names';
import {
  appendElements,
  dictLayout,
  elementAt,
  preferredQuote,
  pythonString,
  removeElement,
  replaceStringLiteral,
  sequenceLayout,
  stringLike,
} from '../../lang/python/sequence-edits';
import type { TextEdit } from '../../policy/edits';
import { type Policy, type Span, factsOf } from '../../policy/types';
import type { AiohttpConfig, AiohttpEntry, AiohttpOptions } from './facts';
import { configsOf } from './neutral';

const same = (a: Span, b: Span | undefined) =>
  !!b && a.file === b.file && a.start === b.start && a.end === b.end;

/** The config holding an entry whose key is written at `span`. */
function owner(
  policy: Policy,
  span: Span | undefined,
): { config: AiohttpConfig; entry: AiohttpEntry } | undefined {
  const facts = factsOf(policy, 'aiohttp-cors');
  for (const config of facts ? configsOf(facts) : [])
    for (const entry of config.entries) if (same(entry.keyAt, span)) return { config, entry };
  return undefined;
}

/** A new key in the style of the mapping's other keys. */
function key(text: string, like: Span, origin: string): string {
  return stringLike(text.slice(like.start, like.end), origin, preferredQuote(text));
}

/** Removes one entry (a dict pair, or an item of the comprehension's origin list). */
function removeEntry(
  text: string,
  config: AiohttpConfig,
  entry: AiohttpEntry,
): TextEdit | undefined {
  if (config.dict)
    return removeElement(
      text,
      config.dict,
      elementAt(text, config.dict, entry.entryAt.start, dictLayout),
      dictLayout,
    );
  if (config.iterable)
    return removeElement(
      text,
      config.iterable,
      elementAt(text, config.iterable, entry.keyAt.start),
    );
  return undefined;
}

/** `"origin": <the entry's options>` for each origin, laid out as the dict's entries are. */
function entriesLike(text: string, entry: AiohttpEntry, origins: string[]): string[] {
  const value = text.slice(entry.options.at.start, entry.options.at.end);
  const written = text.slice(entry.entryAt.start, entry.options.at.start);
  const separator = written.slice(written.indexOf(':'), written.length).replace(/^:\s*/, ': ');
  return origins.map((o) => `${key(text, entry.keyAt, o)}${separator}${value}`);
}

/** Every distinct ResourceOptions the policy's entries use. */
function optionsOf(policy: Policy): AiohttpOptions[] {
  const facts = factsOf(policy, 'aiohttp-cors');
  const all = facts ? configsOf(facts).flatMap((c) => c.entries.map((e) => e.options)) : [];
  return all.filter((o, i) => all.findIndex((p) => same(p.at, o.at)) === i);
}

function textOf(context: CheckContext, span: Span): string {
  return context.text(span.file);
}

export const aiohttpCorsFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const found = owner(policy, policy.origins.allowAllAt?.span);
    if (!found || !origins.length) return undefined;
    const { config, entry } = found;
    const text = textOf(context, entry.keyAt);
    const title = `Allow only ${origins.join(', ')}`;
    const others = config.entries.filter((e) => e !== entry);
    if (config.iterable) {
      const layout = sequenceLayout(text, config.iterable);
      if (!layout) return undefined;
      if (others.length) {
        const edit = removeEntry(text, config, entry);
        return (
          edit && {
            title: "Remove '*' from the origins (they already list origins)",
            edits: [edit],
          }
        );
      }
      const items = origins.map((o) => key(text, entry.keyAt, o));
      return {
        title,
        edits: [
          {
            ...config.iterable,
            start: config.iterable.start + 1,
            end: config.iterable.end - 1,
            newText: items.join(', ') + (layout.tuple && items.length === 1 ? ',' : ''),
          },
        ],
      };
    }
    if (!config.dict) return undefined;
    if (others.length) {
      const edit = removeEntry(text, config, entry);
      return (
        edit && { title: "Remove the '*' entry (the mapping already lists origins)", edits: [edit] }
      );
    }
    // One entry per origin, each with the options the `*` had.
    const layout = dictLayout(text, config.dict);
    if (!layout) return undefined;
    const joiner = layout.multiline ? `,\n${layout.indent}` : ', ';
    return {
      title,
      edits: [{ ...entry.entryAt, newText: entriesLike(text, entry, origins).join(joiner) }],
    };
  },

  replaceOrigin(policy, origin, value, context) {
    const found = owner(policy, origin.span);
    return found
      ? replaceStringLiteral(
          textOf(context, found.entry.keyAt),
          found.entry.keyAt,
          origin.value,
          value,
        )
      : undefined;
  },

  removeOrigin(policy, origin, context) {
    const found = owner(policy, origin.span);
    if (!found || found.config.entries.length < 2) return undefined;
    const edit = removeEntry(textOf(context, found.entry.keyAt), found.config, found.entry);
    return edit && [edit];
  },

  replacePattern() {
    // aiohttp_cors compares origins as strings: there are no patterns.
    return undefined;
  },

  addOrigins(policy, origins, context) {
    const defaults = factsOf(policy, 'aiohttp-cors')?.defaults;
    const first = defaults?.entries[0];
    if (!defaults || !first || !origins.length) return undefined;
    const text = textOf(context, first.keyAt);
    const fresh = origins.filter((o) => !defaults.entries.some((e) => e.origin === o));
    if (!fresh.length) return undefined;
    const edit = defaults.iterable
      ? appendElements(
          text,
          defaults.iterable,
          fresh.map((o) => key(text, first.keyAt, o)),
        )
      : defaults.dict &&
        appendElements(text, defaults.dict, entriesLike(text, first, fresh), dictLayout);
    return edit ? [edit] : undefined;
  },

  addAllowedHeaders(policy, headers, context) {
    const edits: TextEdit[] = [];
    for (const options of optionsOf(policy)) {
      if (options.headers === '*' || options.dynamic) continue;
      const missing = headers.filter(
        (h) => !(options.headers as string[]).includes(h.toUpperCase()),
      );
      if (!missing.length) continue;
      const text = textOf(context, options.at);
      const written = options.written.allow_headers;
      const edit = written
        ? addHeaderNames(text, written.value, missing, sequenceLayout)
        : options.argumentList &&
          appendElements(text, options.argumentList, [
            `allow_headers=(${missing.map((h) => pythonString(h, preferredQuote(text))).join(', ')}${missing.length === 1 ? ',' : ''})`,
          ]);
      if (!edit) return undefined;
      edits.push(edit);
    }
    return edits.length ? edits : undefined;
  },
};
