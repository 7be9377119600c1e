import type { FrameworkFixes } from '../../checks/framework-fixes';
import type { TextEdit } from '../../policy/edits';
import type { Span } from '../../policy/types';
import { phpAppend, phpLiteralLike, phpRemoveAt } from '../../lang/php/sequence-edits';

/** A YAML scalar for `value` in the quote of `like` (single quotes double a `'`; plain when safe). */
function yamlScalar(like: string, value: string): string | undefined {
  if (like.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (like.startsWith('"')) return /["\\]/.test(value) ? undefined : `"${value}"`;
  return /^[\w.:/-]+$/.test(value) && !/:\s|^[-?:]/.test(value)
    ? value
    : `'${value.replace(/'/g, "''")}'`;
}

/** The quote the file's scalars use (single, as Symfony's recipes write). */
const quoteOf = (text: string, span: Span) =>
  /["']/.exec(text.slice(span.start, span.end))?.[0] ?? "'";

/** The `allow_origin: [...]` flow sequence of a policy, when written as one. */
function flowList(text: string, span: Span | undefined): Span | undefined {
  if (!span) return undefined;
  const written = text.slice(span.start, span.end);
  const open = written.indexOf('[');
  return open >= 0 && written.trimEnd().endsWith(']')
    ? { file: span.file, start: span.start + open, end: span.start + written.trimEnd().length }
    : undefined;
}

/** A scalar in the file's language: the PHP configurator form writes PHP literals. */
const scalarIn = (file: string, text: string, like: string, value: string) =>
  /\.php$/i.test(file) ? phpLiteralLike(like, value, text) : yamlScalar(like, value);

const replaceScalar = (text: string, span: Span, value: string): TextEdit[] | undefined => {
  const scalar = scalarIn(span.file, text, text.slice(span.start, span.end), value);
  return scalar === undefined ? undefined : [{ ...span, newText: scalar }];
};

/** Fixes in `nelmio_cors.yaml`: flow sequences edited in place, scalars in their own quotes. */
export const nelmioCorsFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.listAt;
    if (!at || !origins.length || policy.origins.envDriven) return undefined;
    const text = context.text(at.span.file);
    const list = flowList(text, at.span);
    if (!list) return undefined;
    const q = quoteOf(text, list);
    return {
      title: `Allow only ${origins.join(', ')}`,
      edits: [
        { ...list, newText: `[${origins.map((o) => scalarIn(list.file, text, q, o)).join(', ')}]` },
      ],
    };
  },

  replaceOrigin: (_policy, origin, value, context) =>
    origin.span && replaceScalar(context.text(origin.span.file), origin.span, value),

  removeOrigin(policy, origin, context) {
    const text = origin.span && context.text(origin.span.file);
    const list = text && flowList(text, policy.origins.listAt?.span);
    const edit = text && list && origin.span && phpRemoveAt(text, list, origin.span.start);
    return edit ? [edit] : undefined;
  },

  replacePattern: (_policy, regex, pattern, context) =>
    regex.span && replaceScalar(context.text(regex.span.file), regex.span, pattern),

  addOrigins(policy, origins, context) {
    const at = policy.origins.listAt;
    const text = at && context.text(at.span.file);
    const list = text && flowList(text, at.span);
    if (!text || !list) return undefined;
    const q = quoteOf(text, list);
    const items = origins.map((o) => scalarIn(list.file, text, q, o));
    if (items.some((i) => i === undefined)) return undefined;
    const edit = phpAppend(text, list, items as string[]);
    return edit && [edit];
  },
};
