import type { FrameworkFixes } from '../../checks/framework-fixes';
import { factsOf } from '../../policy/types';
import { preferredQuote } from '../../lang/python/sequence-edits';
import {
  phpAppend,
  phpLiteral,
  phpLiteralLike,
  phpRemoveAt,
  replacePhpString,
} from '../../lang/php/sequence-edits';
import { escapeDelimiter, pregParts } from '../../lang/php/regex';

/** Fixes in `config/cors.php`: its arrays edited in place, in the file's quotes. */
export const laravelCorsFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const list = factsOf(policy, 'laravel-cors')?.lists.origins;
    if (!list || !origins.length || policy.origins.envDriven) return undefined;
    const text = context.text(list.file);
    const quote =
      (/['"]/.exec(text.slice(list.start, list.end))?.[0] as '"' | "'" | undefined) ??
      preferredQuote(text);
    return {
      title: `Allow only ${origins.join(', ')}`,
      edits: [{ ...list, newText: `[${origins.map((o) => phpLiteral(o, quote)).join(', ')}]` }],
    };
  },

  replaceOrigin: (_policy, origin, value, context) =>
    origin.span &&
    replacePhpString(context.text(origin.span.file), origin.span, origin.value, value),

  removeOrigin(policy, origin, context) {
    const list = factsOf(policy, 'laravel-cors')?.lists.origins;
    if (!list || !origin.span || origin.span.start < list.start || origin.span.end > list.end)
      return undefined;
    const edit = phpRemoveAt(context.text(list.file), list, origin.span.start);
    return edit && [edit];
  },

  replacePattern(policy, regex, pattern, context) {
    const facts = factsOf(policy, 'laravel-cors');
    const written = regex.span && facts?.patterns.find((p) => p.span.start === regex.span!.start);
    const parts = written && pregParts(written.value);
    if (!written || !parts) return undefined;
    const literal = `${written.value.slice(0, parts.bodyStart)}${escapeDelimiter(pattern, parts.open, parts.close)}${parts.close}${parts.modifiers}`;
    const text = context.text(written.span.file);
    return [
      {
        ...written.span,
        newText: phpLiteralLike(text.slice(written.span.start, written.span.end), literal, text),
      },
    ];
  },

  addOrigins(policy, origins, context) {
    const list = factsOf(policy, 'laravel-cors')?.lists.origins;
    if (!list) return undefined;
    const text = context.text(list.file);
    const like = /['"]/.exec(text.slice(list.start, list.end))?.[0] ?? '';
    const edit = phpAppend(
      text,
      list,
      origins.map((o) => phpLiteralLike(like, o, text)),
    );
    return edit && [edit];
  },

  addAllowedHeaders(policy, headers, context) {
    const list = factsOf(policy, 'laravel-cors')?.lists.headers;
    if (!list || policy.headers.wildcard) return undefined;
    const text = context.text(list.file);
    const like = /['"]/.exec(text.slice(list.start, list.end))?.[0] ?? '';
    const edit = phpAppend(
      text,
      list,
      headers.map((h) => phpLiteralLike(like, h, text)),
    );
    return edit && [edit];
  },
};
