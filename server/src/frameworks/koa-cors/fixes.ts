/** Fixes in `@koa/cors` options and hand-written Koa middleware (JS/TS, the file's style). */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { optionEntryFixes, pluginAllowOnly } from '../../lang/javascript/option-edits';
import { preferredQuote } from '../../lang/python/sequence-edits';
import { jsArray, jsString } from '../../lang/javascript/sequence-edits';
import type { Fix } from '../../policy/edits';
import { type Policy, factsOf } from '../../policy/types';

/**
 * An `origin` value letting in exactly `origins`: the one string (sent to every request, which
 * the browser then checks), or a function echoing the request Origin when it is listed (`''`
 * makes `@koa/cors` skip the CORS headers), since `@koa/cors` takes no array.
 */
function originValue(origins: string[], text: string): string {
  const quote = preferredQuote(text);
  if (origins.length === 1) return jsString(origins[0], quote);
  const get = `ctx.get(${jsString('Origin', quote)})`;
  return `(ctx) => (${jsArray(origins, text)}.includes(${get}) ? ${get} : ${quote}${quote})`;
}

/**
 * The echoed Origin in `ctx.set('Access-Control-Allow-Origin', ...)` becomes a test against the
 * list (`''` for others).
 */
function handsetAllowOnly(policy: Policy, origins: string[], text: string): Fix | undefined {
  const facts = factsOf(policy, 'koa-cors');
  const echo =
    facts?.kind === 'handset'
      ? facts.steps.find(
          (s) => s.kind === 'set' && s.span.start === policy.origins.reflectAny?.span.start,
        )
      : undefined;
  const value = echo?.kind === 'set' ? echo.valueSpan : undefined;
  if (!value) return undefined;
  const read = text.slice(value.start, value.end);
  const quote = preferredQuote(text);
  return {
    title: `Allow only ${origins.join(', ')}`,
    edits: [
      {
        ...value,
        newText: `${jsArray(origins, text)}.includes(${read}) ? ${read} : ${quote}${quote}`,
      },
    ],
  };
}

export const koaFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const facts = factsOf(policy, 'koa-cors');
    if (!origins.length) return undefined;
    if (facts?.kind === 'handset') {
      const at = policy.origins.allowAllAt ?? policy.origins.reflectAny;
      return at && !policy.origins.envDriven
        ? handsetAllowOnly(policy, origins, context.text(at.span.file))
        : undefined;
    }
    return pluginAllowOnly(policy, origins, context, facts, { value: originValue });
  },
  replaceOrigin: optionEntryFixes.replaceOrigin,
  removeOrigin(policy, origin, context) {
    const listAt = policy.origins.listAt;
    const rest = policy.origins.exact.map((o) => o.value).filter((o) => o !== origin.value);
    if (
      !listAt ||
      policy.origins.dynamic ||
      policy.origins.envDriven ||
      !rest.length ||
      factsOf(policy, 'koa-cors')?.kind !== 'library'
    )
      return undefined;
    return [
      { ...listAt.span, newText: `origin: ${originValue(rest, context.text(listAt.span.file))}` },
    ];
  },
  replacePattern: optionEntryFixes.replacePattern,
  addOrigins(policy, origins, context) {
    const listAt = policy.origins.listAt;
    const facts = factsOf(policy, 'koa-cors');
    if (facts?.kind !== 'library' || policy.origins.dynamic || policy.origins.envDriven)
      return undefined;
    if (!listAt || policy.origins.reflectAny)
      return koaFixes.allowOnly(policy, origins, context)?.edits;
    // The origin is one string or a checked list: write the whole check with the new origins.
    const all = [
      ...policy.origins.exact.map((o) => o.value),
      ...origins.filter((o) => !policy.origins.exact.some((e) => e.value === o)),
    ];
    return [
      { ...listAt.span, newText: `origin: ${originValue(all, context.text(listAt.span.file))}` },
    ];
  },
  addAllowedHeaders(policy, headers, context) {
    return factsOf(policy, 'koa-cors')?.kind === 'library'
      ? optionEntryFixes.addAllowedHeaders(policy, headers, context)
      : undefined;
  },
  addPreflightHeaders(policy, headers, context) {
    // A hand-written `if (ctx.method === 'OPTIONS') {...}`: the lines go first in its block.
    const facts = factsOf(policy, 'koa-cors');
    const branch =
      facts?.kind === 'handset' ? facts.steps.find((s) => s.kind === 'preflight') : undefined;
    const write = facts?.kind === 'handset' ? facts.steps.find((s) => s.kind === 'set') : undefined;
    if (!branch || !write || write.kind !== 'set') return undefined;
    const text = context.text(branch.span.file);
    const open = text.indexOf('{', text.indexOf(')', branch.span.start));
    if (open < 0 || open > branch.span.end) return undefined;
    const quote = preferredQuote(text);
    const lines = headers
      .map(
        ([name, value]) =>
          `\n${write.indent}  ${write.receiver}.set(${jsString(name, quote)}, ${jsString(value, quote)});`,
      )
      .join('');
    return {
      title: `Add ${headers.map(([name]) => name).join(' and ')} to the OPTIONS answer`,
      edits: [{ file: branch.span.file, start: open + 1, end: open + 1, newText: lines }],
    };
  },
  addVary(policy, context) {
    // A hand-written middleware that echoes the origin: `ctx.vary('Origin')` right after the echo.
    const facts = factsOf(policy, 'koa-cors');
    const echo =
      facts?.kind === 'handset'
        ? facts.steps.find((s) => s.kind === 'set' && s.span.start === policy.varyAt?.start)
        : undefined;
    if (!echo || echo.kind !== 'set') return undefined;
    const text = context.text(echo.statement.file);
    const line = `\n${echo.indent}${echo.receiver}.vary(${jsString('Origin', preferredQuote(text))});`;
    return {
      title: 'Add Vary: Origin',
      edits: [
        {
          file: echo.statement.file,
          start: echo.statement.end,
          end: echo.statement.end,
          newText: line,
        },
      ],
    };
  },
};
