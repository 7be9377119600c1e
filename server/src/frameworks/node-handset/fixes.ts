/**
 * Fixes in Express handlers that write CORS headers by hand, in JS/TS syntax and the file's own
 * style (quotes, semicolons, `res.set` vs `res.setHeader`): an allowlist test around an echoed
 * Origin, `res.vary('Origin')`, the missing lines of a hand OPTIONS answer.
 */
import type { CheckContext } from '../../checks/types';
import type { Fix, TextEdit } from '../../policy/edits';
import { opensArray, writtenAllowlist } from '../../lang/handset-edits';
import { preflightBranches } from '../../lang/handset-branches';
import { writesOf } from './neutral';
import type { NodeHandler, NodeHeaderWrite, NodeStep } from './facts';
import { type Policy, type Span, factsOf } from '../../policy/types';
import { expressFixes } from '../express-cors/fixes';
import type { FrameworkFixes } from '../../checks/framework-fixes';
import {
  jsAppend,
  jsArray,
  jsRemoveAt,
  jsString,
  jsStringLike,
} from '../../lang/javascript/sequence-edits';
import { preferredQuote } from '../../lang/python/sequence-edits';

const slice = (text: string, span: Span) => text.slice(span.start, span.end);

/** The handler a policy is about. */
const ownHandler = (policy: Policy): NodeHandler | undefined => {
  const facts = factsOf(policy, 'node-handset');
  return facts?.handlers[facts.own];
};

/** The write a source ref points at. */
const writeAt = (handler: NodeHandler, span: Span): NodeHeaderWrite | undefined =>
  writesOf(handler.steps).find(
    ({ write }) => write.span.start === span.start && write.span.end === span.end,
  )?.write;

/** Whether the file ends its statements with `;` (judged by the statement at hand). */
const semicolon = (text: string, span: Span | undefined) =>
  span && slice(text, span).trimEnd().endsWith(';') ? ';' : '';

/** Whether the handler already sends `Vary: Origin` (`res.vary('Origin')`, a `Vary` write naming it). */
const variesOnOrigin = (handler: NodeHandler) =>
  writesOf(handler.steps).some(
    ({ write }) =>
      write.name.toLowerCase() === 'vary' &&
      write.value.kind === 'literal' &&
      write.value.values.some((v) => /(^|,)\s*(origin|\*)\s*(,|$)/i.test(v)),
  );

/** The text of the line a statement starts on. */
function lineOf(text: string, offset: number): string {
  const end = text.indexOf('\n', offset);
  return text.slice(offset, end < 0 ? text.length : end);
}

/**
 * `res.vary('Origin');` (plain Node: `res.setHeader('Vary', 'Origin')`) as the handler's first
 * statement, with a `;` when that statement has one; when it opens or closes a block (`if (...)
 * {`), when the file ends a call statement with one anywhere.
 */
function varyEdit(handler: NodeHandler, text: string, file: string): TextEdit | undefined {
  const first = handler.firstStatement;
  if (!first || !handler.res) return undefined;
  const line = lineOf(text, first.start);
  const semi = (/[{}]\s*$/.test(line) ? /\)[ \t]*;[ \t]*$/m.test(text) : /;\s*$/.test(line))
    ? ';'
    : '';
  const quote = preferredQuote(text);
  // Plain Node's response has no `vary()`, nor has a Next.js API route's (a helper of
  // lettercms' pages/api, held-out batch 47: `res.vary` threw): `vary` only where the module
  // shows Express. Nothing has set Vary yet at the first statement, so `setHeader` loses nothing.
  const call =
    handler.plainNode || !/['"]express['"]/.test(text)
      ? `setHeader(${jsString('Vary', quote)}, ${jsString('Origin', quote)})`
      : `vary(${jsString('Origin', quote)})`;
  return {
    file,
    start: first.start,
    end: first.start,
    newText: `${handler.res}.${call}${semi}\n${first.indent}`,
  };
}

/**
 * Only `origins` get the Origin echoed: an `if (list.includes(origin))` around the write when it
 * stands alone, else `list.includes(origin) ? origin : ''` in place of its value; plus
 * `Vary: Origin`, since the answer now depends on it.
 */
function allowOnly(policy: Policy, origins: string[], context: CheckContext): Fix | undefined {
  const handler = ownHandler(policy);
  const at = policy.origins.allowAllAt ?? policy.origins.reflectAny;
  const write = handler && at && writeAt(handler, at.span);
  if (!handler || !write || policy.origins.envDriven) return undefined;
  const file = write.span.file;
  const text = context.text(file);
  const title = `Allow only ${origins.join(', ')}`;
  const star = policy.origins.allowAll ? /^(['"`])\*\1$/.exec(slice(text, write.valueSpan)) : null;
  // One origin can simply replace `'*'`.
  if (star && origins.length === 1)
    return {
      title,
      edits: [{ ...write.valueSpan, newText: jsStringLike(star[0], origins[0], text) }],
    };
  if (!star && !policy.origins.reflectAny) return undefined;
  const origin = star
    ? handler.req && `${handler.req}.headers.origin`
    : slice(text, write.valueSpan);
  if (!origin) return undefined;
  // TypeScript types a request header `string | undefined`, which a `string[]` cannot be asked
  // (and calls `?? ''` an error on a value never undefined, so only on the header itself).
  const asked =
    /\.[cm]?tsx?$/.test(file) && /\.headers\.origin$/.test(origin) ? `${origin} ?? ''` : origin;
  const test = `${jsArray(origins, text)}.includes(${asked})`;
  const edits: TextEdit[] = [];
  if (write.statement) {
    const statement = slice(text, write.statement);
    const offset = write.valueSpan.start - write.statement.start;
    const echoed =
      statement.slice(0, offset) +
      origin +
      statement.slice(offset + write.valueSpan.end - write.valueSpan.start);
    edits.push({ ...write.statement, newText: `if (${test}) ${echoed}` });
  } else edits.push({ ...write.valueSpan, newText: `${test} ? ${origin} : ''` });
  const vary = variesOnOrigin(handler) ? undefined : varyEdit(handler, text, file);
  if (vary) edits.push(vary);
  return { title, edits };
}

/** The step that sends the preflight answer: inside the OPTIONS branch, or the `app.options` handler's own. */
function preflightEnd(handler: NodeHandler): Extract<NodeStep, { kind: 'end' }> | undefined {
  const firstEnd = (steps: NodeStep[]): Extract<NodeStep, { kind: 'end' }> | undefined => {
    for (const step of steps) {
      if (step.kind === 'end') return step;
      if (step.kind === 'if') return undefined;
    }
    return undefined;
  };
  const branch = preflightBranches(handler.steps)[0];
  return firstEnd(branch ? branch.then : handler.steps);
}

/** Fixes in hand-written Express CORS code. */
export const nodeHandsetFixes: FrameworkFixes = {
  allowOnly,

  replaceOrigin: expressFixes.replaceOrigin,

  removeOrigin(policy, origin, context) {
    const list = writtenAllowlist(policy, (f) => context.text(f), opensArray);
    if (
      !list ||
      !origin.span ||
      origin.span.start < list.span.start ||
      origin.span.end > list.span.end
    )
      return undefined;
    const edit = jsRemoveAt(list.text, list.span, origin.span.start);
    return edit && [edit];
  },

  replacePattern: expressFixes.replacePattern,

  addOrigins(policy, origins, context) {
    const list = writtenAllowlist(policy, (f) => context.text(f), opensArray);
    const edit =
      list &&
      jsAppend(
        list.text,
        list.span,
        origins.map((o) => jsString(o, preferredQuote(list.text))),
      );
    return edit && [edit];
  },

  addVary(policy, context) {
    const handler = ownHandler(policy);
    const edit = handler && varyEdit(handler, context.text(handler.span.file), handler.span.file);
    return edit && { title: 'Send Vary: Origin from this middleware', edits: [edit] };
  },

  addPreflightHeaders(policy, headers, context) {
    const handler = ownHandler(policy);
    const end = handler && preflightEnd(handler);
    if (!handler || !end) return undefined;
    const file = end.span.file;
    const text = context.text(file);
    const q = preferredQuote(text);
    const style = writesOf(handler.steps).find(({ write }) => /^access-control-/i.test(write.name))
      ?.write.method;
    // Plain Node has only `setHeader`; Express apps keep the style the handler uses.
    const method =
      handler.plainNode || style === 'setHeader' ? 'setHeader' : style === 'header' ? style : 'set';
    const call = ([name, value]: [string, string]) =>
      `${method}(${jsString(name, q)}, ${jsString(value, q)})`;
    const title = `Answer preflights with ${headers.map(([n]) => n).join(' and ')}`;
    // After `res.writeHead(204, {...})` nothing more can be set: add entries to its object.
    const branch = preflightBranches(handler.steps)[0];
    const head = writesOf(branch ? branch.then : handler.steps)
      .filter(({ write }) => write.method === 'writeHead')
      .pop()?.write;
    if (head)
      return {
        title,
        edits: [
          {
            file,
            start: head.span.end,
            end: head.span.end,
            newText: headers.map(([n, v]) => `, ${jsString(n, q)}: ${jsString(v, q)}`).join(''),
          },
        ],
      };
    const statement = end.at.statement;
    if (statement) {
      const lineStart = text.lastIndexOf('\n', statement.start - 1) + 1;
      const indent = text.slice(lineStart, statement.start);
      if (!indent.trim()) {
        const lines = headers
          .map((h) => `${end.at.receiver}.${call(h)}${semicolon(text, statement)}\n${indent}`)
          .join('');
        return {
          title,
          edits: [{ file, start: statement.start, end: statement.start, newText: lines }],
        };
      }
    }
    // `return res.sendStatus(204)` as a one-line branch: chain the lines before the send.
    return {
      title,
      edits: [
        {
          file,
          start: end.at.afterReceiver,
          end: end.at.afterReceiver,
          newText: headers.map((h) => `.${call(h)}`).join(''),
        },
      ],
    };
  },
};
