/**
 * Fixes in a Rack::Cors block, in Ruby and the file's own style: the origin list of the `origins`
 * call is edited element by element (quoted strings, regex literals, `%w[]` words), keeping its
 * quotes, delimiters and separators. Origins that come from ENV or a constant are not edited.
 */
import { perText } from '../../base/per-text';
import type { TextEdit } from '../../policy/edits';
import type { RackCorsBlock, RackCorsOriginList } from './facts';
import { type Policy, type Span, factsOf } from '../../policy/types';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { addHeaderNames } from '../../lang/header-names';
import { rubyPreferredQuote, rubyString } from '../../lang/ruby/literals';

export { rubyString };
import { jsSequenceLayout } from '../../lang/javascript/sequence-edits';

/** The quote the file uses most for strings, once per text. */
const preferredQuote = perText(rubyPreferredQuote);

/** The block whose literal origin list holds an offset, and the element's index there. */
function elementAt(
  policy: Policy,
  offset: number,
): { block: RackCorsBlock; list: RackCorsOriginList; index: number } | undefined {
  for (const block of factsOf(policy, 'rack-cors')?.setup.blocks ?? []) {
    const index = block.list?.elements.findIndex((e) => e.start <= offset && offset < e.end) ?? -1;
    if (block.list && index >= 0) return { block, list: block.list, index };
  }
  return undefined;
}

/** An element written as the list writes its elements (a bare word in `%w[]`, else a string). */
function element(list: RackCorsOriginList, value: string, text: string): string | undefined {
  if (!list.words) return rubyString(value, quoteOf(text, list) ?? preferredQuote(text));
  return /^[^\s\\\[\]()<>{}]+$/.test(value) ? value : undefined;
}

/** The quote the list's first string element uses. */
function quoteOf(text: string, list: RackCorsOriginList): "'" | '"' | undefined {
  const first = list.elements.map((e) => text[e.start]).find((c) => c === "'" || c === '"');
  return first as "'" | '"' | undefined;
}

/** Drops element `index` with its separator. */
function removeAt(list: RackCorsOriginList, index: number): TextEdit | undefined {
  const els = list.elements;
  // `origins` without arguments would allow nothing: leave it to the user.
  if (els.length < 2) return undefined;
  const el = els[index];
  return index < els.length - 1
    ? { file: el.file, start: el.start, end: els[index + 1].start, newText: '' }
    : { file: el.file, start: els[index - 1].end, end: el.end, newText: '' };
}

/** The literal at a span, unquoted, when it is a plain string or word holding exactly `value`. */
function isLiteral(text: string, span: Span, value: string): boolean {
  const literal = text.slice(span.start, span.end);
  const quoted = /^(['"])(.*)\1$/s.exec(literal);
  return quoted ? quoted[2] === value && !quoted[2].includes('\\') : literal === value;
}

/** `/` escaped where it is not already (a `/.../` literal ends at a bare slash). */
function escapeSlashes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') out += body[i] + (body[++i] ?? '');
    else out += body[i] === '/' ? '\\/' : body[i];
  }
  return out;
}

/**
 * A Ruby regex literal for a JS-style pattern, in the delimiters of `old` (`/.../` or `%r{...}`)
 * with its options; `^`/`$` at the ends become `\A`/`\z` (Ruby's `^`/`$` match at any line).
 */
function regexLiteral(old: string, pattern: string): string | undefined {
  const slash = /^\/(.*)\/([a-z]*)$/s.exec(old);
  const percent = /^%r(.)(.*)([^a-z])([a-z]*)$/s.exec(old);
  if (!slash && !percent) return undefined;
  const body = pattern.replace(/^\^(\\A)?/, '\\A').replace(/(\\z)?\$$/, '\\z');
  if (slash) return `/${escapeSlashes(body)}/${slash[2]}`;
  const [, open, , close, flags] = percent!;
  if (body.includes(close) && open !== close) return undefined;
  return `%r${open}${body}${close}${flags}`;
}

/** Fixes in a Rack::Cors `allow` block. */
export const rackCorsFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt;
    if (!at) return undefined;
    const found = elementAt(policy, at.span.start);
    if (!found) return undefined;
    const text = context.text(at.span.file);
    // Other origins listed beside '*': dropping '*' leaves them as the allowlist.
    if (found.list.elements.length > 1) {
      const edit = removeAt(found.list, found.index);
      return edit && { title: "Remove '*' from origins (the origins listed stay)", edits: [edit] };
    }
    const written = origins.map((o) => element(found.list, o, text));
    if (written.some((w) => w === undefined)) return undefined;
    return {
      title: `Allow only ${origins.join(', ')}`,
      edits: [{ ...at.span, newText: written.join(found.list.separator) }],
    };
  },

  replaceOrigin(policy, origin, value, context) {
    if (!origin.span) return undefined;
    const found = elementAt(policy, origin.span.start);
    const text = context.text(origin.span.file);
    if (!found || !isLiteral(text, origin.span, origin.value)) return undefined;
    const literal = text.slice(origin.span.start, origin.span.end);
    const quote = literal[0] === '"' || literal[0] === "'" ? (literal[0] as "'" | '"') : undefined;
    const newText = quote ? rubyString(value, quote) : element(found.list, value, text);
    return newText === undefined ? undefined : [{ ...origin.span, newText }];
  },

  removeOrigin(policy, origin) {
    const found = origin.span && elementAt(policy, origin.span.start);
    const edit = found && removeAt(found.list, found.index);
    return edit ? [edit] : undefined;
  },

  replacePattern(policy, regex, pattern, context) {
    if (!regex.span || !elementAt(policy, regex.span.start)) return undefined;
    const literal = regexLiteral(
      context.text(regex.span.file).slice(regex.span.start, regex.span.end),
      pattern,
    );
    return literal === undefined ? undefined : [{ ...regex.span, newText: literal }];
  },

  addOrigins(policy, origins, context) {
    const facts = factsOf(policy, 'rack-cors');
    const resource = facts?.setup.resources[facts.resource];
    const list = resource && facts?.setup.blocks[resource.block].list;
    if (!list) return undefined;
    const last = list.elements[list.elements.length - 1];
    const text = context.text(last.file);
    const written = origins.map((o) => element(list, o, text));
    if (written.some((w) => w === undefined)) return undefined;
    return [
      {
        file: last.file,
        start: last.end,
        end: last.end,
        newText: written.map((w) => list.separator + w).join(''),
      },
    ];
  },

  addAllowedHeaders(policy, headers, context) {
    const facts = factsOf(policy, 'rack-cors');
    const resource = facts?.setup.resources[facts.resource];
    const at = resource?.headersAt ?? resource?.argumentsEnd;
    if (!resource || !at) return undefined;
    const text = context.text(at.file);
    const quote = preferredQuote(text);
    // Unset, rack-cors allows only the safelisted headers: add the option after the last argument.
    if (!resource.headersAt)
      return [
        { ...at, newText: `, headers: [${headers.map((h) => rubyString(h, quote)).join(', ')}]` },
      ];
    const written = text.slice(at.start, at.end);
    // `%w[a b]`: one more bare word before the closing delimiter.
    if (/^%w\W/.test(written) && headers.every((h) => /^[\w-]+$/.test(h)))
      return [
        {
          file: at.file,
          start: at.end - 1,
          end: at.end - 1,
          newText: headers.map((h) => ` ${h}`).join(''),
        },
      ];
    // Ruby's array literal reads like JavaScript's for a list of quoted strings.
    const edit = addHeaderNames(text, at, headers, jsSequenceLayout);
    return edit && [edit];
  },
};
