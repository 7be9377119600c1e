/** Header lines added next to hand-written ones in Ruby (Sinatra filters, Rails callbacks), in their style. */
import type { TextEdit } from '../../policy/edits';
import type { Span } from '../../policy/types';
import { rubyPreferredQuote, rubyString } from './literals';

/**
 * Lines setting `headers` right after the statement at `span` (`headers['A'] = ...`,
 * `response.headers['A'] = ...`), or more pairs after a `headers 'A' => v` pair.
 */
export function addHeadersAfter(
  text: string,
  span: Span,
  headers: [string, string][],
): TextEdit | undefined {
  const written = text.slice(span.start, span.end);
  const q = rubyPreferredQuote(text);
  const s = (v: string) => rubyString(v, q);
  if (/^['"]/.test(written))
    return {
      file: span.file,
      start: span.end,
      end: span.end,
      newText: headers.map(([n, v]) => `, ${s(n)} => ${s(v)}`).join(''),
    };
  const target = /^((?:response\.)?headers|response)\[/.exec(written);
  const setter = /^response\.set_header\(/.test(written);
  if (!target && !setter) return undefined;
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const indent = text.slice(lineStart, span.start);
  if (indent.trim()) return undefined;
  // A modifier (`... if cond`) stays on its own statement: the new line is unconditional.
  const lineEnd = text.indexOf('\n', span.end);
  const end = lineEnd < 0 ? text.length : lineEnd;
  const line = ([n, v]: [string, string]) =>
    target ? `${target[1]}[${s(n)}] = ${s(v)}` : `response.set_header(${s(n)}, ${s(v)})`;
  return {
    file: span.file,
    start: end,
    end,
    newText: headers.map((h) => `\n${indent}${line(h)}`).join(''),
  };
}
