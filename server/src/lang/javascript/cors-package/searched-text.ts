/**
 * `ALLOWED.indexOf(origin) !== -1` / `ALLOWED.includes(origin)` where ALLOWED is a string, not an
 * array: JavaScript's String methods search for the origin inside the text, so any piece of it
 * passes (`https://chatapp.co` for `https://chatapp.com`; mohit0224/chat_app_backend, held-out
 * batch 56, whose `process.env.CORS_ORIGIN` is read as is; checked with the real cors package in
 * truth case express/function-string-indexof).
 */
import { escapeRegex } from '../../../base/regex/escape';
import type { OriginPolicy, Span, StaticValue } from '../../../policy/types';
import { type JsEvaluator, envNameOf, spanOf, unwrap } from '../evaluate';
import type { Node } from 'web-tree-sitter';

/** A searched text longer than this is not turned into a pattern (it grows with the text). */
const MAX_TEXT = 500;

/**
 * The origins a search of `text` lets in, as one anchored regex: every prefix of the text from
 * each place a scheme starts (an Origin begins with its scheme). Pieces that start elsewhere
 * (`ttps://...`) are no origin a browser sends.
 */
export function searchedTextPattern(text: string): string | undefined {
  if (text.length > MAX_TEXT) return undefined;
  const starts = [...text.matchAll(/(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\//gi)].map((m) => m.index);
  if (!starts.length) return undefined;
  return `^(?:${starts.map((at) => prefixes(text.slice(at))).join('|')})$`;
}

/** Characters nested one group per character; longer texts nest one group per chunk of them. */
const CHUNK = 16;

/**
 * A pattern of the non-empty prefixes of `piece`. One group per character nests as deep as the
 * text is long, past what the bounded regex engine reads (a 200-character allowlist matched
 * nothing); chunked, a 500-character text nests about 50 deep.
 */
function prefixes(piece: string): string {
  const nested = (part: string) =>
    [...part].reduceRight((inner, c) => `${escapeRegex(c)}${inner ? `(?:${inner})?` : ''}`, '');
  if (piece.length <= CHUNK) return nested(piece);
  const head = piece.slice(0, CHUNK);
  return `(?:${escapeRegex(head)}(?:${prefixes(piece.slice(CHUNK))})?|${nested(head.slice(0, -1))})`;
}

/** The allowlist fields a text search gives: the text (known) or its variable (unknown). */
export type SearchedText = Pick<OriginPolicy, 'exact' | 'regexes' | 'iteratedString'> & {
  dynamic: boolean;
};

/**
 * What `target.indexOf(origin)` / `target.includes(origin)` allows when `target` is a string:
 * undefined when it is not one (an array, a Set, something unknown not read from the environment).
 */
export function searchedText(
  js: JsEvaluator,
  test: Node,
  target: Node,
  value: StaticValue,
): SearchedText | undefined {
  const span: Span = spanOf(js.file, test);
  const label = test.text.replace(/\s+/g, ' ');
  if (value.kind === 'str') {
    const pattern = searchedTextPattern(value.value);
    const envDriven = !!value.envDriven;
    return {
      exact: [{ value: value.value, span: value.span }],
      regexes: pattern ? [{ pattern, flavor: 'js', span, test: label }] : [],
      dynamic: !pattern,
      iteratedString: { span, label, envDriven, searchedBy: 'code' },
    };
  }
  const variable = value.kind === 'dynamic' ? envNameOf(unwrap(js.resolveNode(target))) : undefined;
  if (!variable) return undefined;
  return {
    exact: [],
    regexes: [],
    dynamic: true,
    iteratedString: { span, label, envDriven: true, envText: variable, searchedBy: 'code' },
  };
}
