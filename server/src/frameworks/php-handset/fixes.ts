import type { CheckContext } from '../../checks/types';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import type { Fix, TextEdit } from '../../policy/edits';
import { type Policy, type Span, factsOf } from '../../policy/types';
import { varyAfterWrite, writtenAllowlist } from '../../lang/handset-edits';
import { preflightBranches } from '../../lang/handset-branches';
import { preferredQuote } from '../../lang/python/sequence-edits';
import {
  phpAppend,
  phpLiteral,
  phpLiteralLike,
  phpRemoveAt,
  replacePhpString,
} from '../../lang/php/sequence-edits';
import { escapeDelimiter } from '../../lang/php/regex';
import { headersOf } from './neutral';
import type { PhpHeader, PhpStep } from './facts';

/** The quote a statement's first string literal uses, else the file's. */
const quoteOf = (written: string, text: string): '"' | "'" =>
  (/['"]/.exec(written)?.[0] as '"' | "'" | undefined) ?? preferredQuote(text);

/**
 * Code writing `headers`, in the style of the header write at `span`: more `header('N: v');`
 * lines, more `$x->headers->set('N', 'v');` lines, or more `->header('N', 'v')` links of a chain.
 */
function writeLike(text: string, span: Span, headers: [string, string][]): string | undefined {
  const written = text.slice(span.start, span.end);
  const q = quoteOf(written, text);
  const s = (v: string) => phpLiteral(v, q);
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  if (/^\\?header\s*\(/i.test(written))
    return headers.map(([n, v]) => `\n${indent}header(${s(`${n}: ${v}`)});`).join('');
  const setter = /^(\$\w+(?:->\w+)*?->headers->set)\s*\(/.exec(written);
  if (setter) return headers.map(([n, v]) => `\n${indent}${setter[1]}(${s(n)}, ${s(v)});`).join('');
  const link = /->(header|withHeader)\s*\([^;]*\)$/.exec(written);
  if (link && !written.trimEnd().endsWith(';'))
    return headers.map(([n, v]) => `->${link[1]}(${s(n)}, ${s(v)})`).join('');
  return undefined;
}

/** An edit adding `headers` right after the header write at `span`. */
function addAfter(text: string, span: Span, headers: [string, string][]): TextEdit | undefined {
  const newText = writeLike(text, span, headers);
  if (newText === undefined) return undefined;
  // A statement ends at its `;` (a chained call's span does not include it).
  return { file: span.file, start: span.end, end: span.end, newText };
}

/** `[...]` or `array(...)`: an allowlist written in place. */
const opensPhpList = (text: string, span: Span) =>
  /^(\[|array\s*\()/i.test(text.slice(span.start, span.end));

/** The header writes directly in a branch (not nested deeper). */
const direct = (steps: PhpStep[]): PhpHeader[] =>
  steps.filter((s): s is PhpHeader => s.kind === 'header');

/** Whether the code writes `Vary: Origin` anywhere. */
const sendsVary = (policy: Policy) =>
  headersOf(factsOf(policy, 'php-handset')?.handlers.flatMap((h) => h.steps) ?? []).some(
    ({ header }) =>
      header.name.toLowerCase() === 'vary' &&
      header.value.kind === 'literal' &&
      /\borigin\b/i.test(header.value.value),
  );

/**
 * Puts an allowlist test in front of the `header()` line that echoes the Origin:
 * `if (in_array($_SERVER['HTTP_ORIGIN'] ?? '', [...], true)) header(...);`, and a `Vary: Origin`
 * line after it when the code sends none.
 */
function guardEcho(policy: Policy, origins: string[], context: CheckContext): Fix | undefined {
  const facts = factsOf(policy, 'php-handset');
  const at = policy.origins.reflectAny;
  const write =
    facts &&
    at &&
    headersOf(facts.handlers.flatMap((h) => h.steps)).find(
      ({ header }) => header.span.start === at.span.start,
    )?.header;
  if (!write || write.value.kind !== 'request' || !write.value.at || !origins.length)
    return undefined;
  const text = context.text(write.span.file);
  const statement = text.slice(write.span.start, write.span.end);
  if (!/^\\?header\s*\(/i.test(statement) || !statement.endsWith(';')) return undefined;
  const echoed = text.slice(write.value.at.start, write.value.at.end);
  // Without `?? ''` a missing Origin is a warning; a variable already holds the fallback.
  const subject = /^\$\w+$/.test(echoed) || /\?\?/.test(echoed) ? echoed : `${echoed} ?? ''`;
  const q = quoteOf(statement, text);
  const list = `[${origins.map((o) => phpLiteral(o, q)).join(', ')}]`;
  const edits: TextEdit[] = [
    { ...write.span, newText: `if (in_array(${subject}, ${list}, true)) ${statement}` },
  ];
  const vary = sendsVary(policy) ? undefined : addAfter(text, write.span, [['Vary', 'Origin']]);
  if (vary) edits.push(vary);
  return { title: `Allow only ${origins.join(', ')}`, edits };
}

/** Fixes in PHP code that writes CORS headers by hand. */
export const phpHandsetFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    if (policy.origins.reflectAny) return guardEcho(policy, origins, context);
    const at = policy.origins.allowAllAt;
    if (!at || !origins.length || origins.some((o) => /[\\'"$]/.test(o))) return undefined;
    const text = context.text(at.span.file);
    const written = text.slice(at.span.start, at.span.end);
    const stars = [...written.matchAll(/\*/g)];
    if (stars.length !== 1) return undefined;
    const start = at.span.start + stars[0].index!;
    const title = `Allow only ${origins.join(', ')}`;
    // One origin replaces the `*`; several need an allowlist test that echoes the one that matched.
    if (origins.length === 1)
      return { title, edits: [{ file: at.span.file, start, end: start + 1, newText: origins[0] }] };
    const star = /^(\\?header\s*\(\s*)(['"])(.*)\*\2/is.exec(written);
    if (!star || !written.endsWith(';')) return undefined;
    const origin = "$_SERVER['HTTP_ORIGIN']";
    const line = star[2] === "'" ? `'${star[3]}' . ${origin}` : `"${star[3]}{${origin}}"`;
    const echoed = `${star[1]}${line}${written.slice(star[0].length)}`;
    const list = `[${origins.map((o) => phpLiteral(o, star[2] as '"' | "'")).join(', ')}]`;
    const edits: TextEdit[] = [
      { ...at.span, newText: `if (in_array(${origin} ?? '', ${list}, true)) ${echoed}` },
    ];
    const vary = sendsVary(policy) ? undefined : addAfter(text, at.span, [['Vary', 'Origin']]);
    if (vary) edits.push(vary);
    return { title, edits };
  },

  replaceOrigin: (_policy, origin, value, context) =>
    origin.span &&
    replacePhpString(context.text(origin.span.file), origin.span, origin.value, value),

  removeOrigin(policy, origin, context) {
    const list = writtenAllowlist(policy, (f) => context.text(f), opensPhpList);
    const edit = list && origin.span && phpRemoveAt(list.text, list.span, origin.span.start);
    return edit ? [edit] : undefined;
  },

  replacePattern(_policy, regex, pattern, context) {
    const span = regex.span;
    if (!span) return undefined;
    const text = context.text(span.file);
    // The span is the body inside the delimiters when the literal is written in place.
    if (text.slice(span.start, span.end) !== regex.value) return undefined;
    const quote = text.lastIndexOf("'", span.start) > text.lastIndexOf('"', span.start) ? "'" : '"';
    const delimiter = text[span.start - 1];
    const close = text[span.end];
    let body = escapeDelimiter(pattern, delimiter, close);
    if (quote === '"') body = body.replace(/\$(?=[A-Za-z_{])/g, '\\$');
    if (quote === "'" && /'|\\$/.test(body)) return undefined;
    return [{ ...span, newText: body }];
  },

  addOrigins(policy, origins, context) {
    const list = writtenAllowlist(policy, (f) => context.text(f), opensPhpList);
    if (!list) return undefined;
    const first = /['"]/.exec(list.text.slice(list.span.start, list.span.end))?.[0] ?? '';
    const edit = phpAppend(
      list.text,
      list.span,
      origins.map((o) => phpLiteralLike(first, o, list.text)),
    );
    return edit && [edit];
  },

  addVary: (policy, context) => varyAfterWrite(policy, (f) => context.text(f), addAfter),

  addPreflightHeaders(policy, headers, context) {
    const branch = factsOf(policy, 'php-handset')?.handlers.flatMap((h) =>
      preflightBranches(h.steps),
    )[0];
    if (!branch) return undefined;
    const text = context.text(branch.span.file);
    const title = `Answer preflights with ${headers.map(([n]) => n).join(' and ')}`;
    const written = direct(branch.then);
    const last = written[written.length - 1];
    const edit = last && addAfter(text, last.span, headers);
    if (edit) return { title, edits: [edit] };
    // No header in the branch yet: lines before its first statement, in the style of the file's other writes.
    const like = headersOf(
      factsOf(policy, 'php-handset')?.handlers.flatMap((h) => h.steps) ?? [],
    )[0]?.header;
    const first = branch.then[0];
    if (!like || !first) return undefined;
    const lines = writeLike(text, like.span, headers);
    if (!lines?.startsWith('\n')) return undefined;
    const lineStart = text.lastIndexOf('\n', first.span.start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    if (text.slice(lineStart, first.span.start).trim()) return undefined;
    const body = lines
      .split('\n')
      .slice(1)
      .map((l) => `${indent}${l.trimStart()}\n`)
      .join('');
    return {
      title,
      edits: [{ file: branch.span.file, start: lineStart, end: lineStart, newText: body }],
    };
  },
};
