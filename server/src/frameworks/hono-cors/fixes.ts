/**
 * Fixes in `hono/cors` options, and in hand-written `(c, next)` middleware: an allowlist test in
 * place of an echoed Origin, `Vary: Origin` after the write that picks it (JS/TS, the file's
 * quotes and layout).
 */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { varyAfterWrite } from '../../lang/handset-edits';
import {
  addOriginsOr,
  optionEntryFixes,
  pluginAllowOnly,
  type TextSource,
} from '../../lang/javascript/option-edits';
import { jsArray, jsString } from '../../lang/javascript/sequence-edits';
import { preferredQuote } from '../../lang/python/sequence-edits';
import type { Fix, TextEdit } from '../../policy/edits';
import { type Policy, type Span, factsOf } from '../../policy/types';
import { conjuncts, guarded } from './handset';

/** The hand-set writes of a policy at a span (the call), with the tests around each. */
function writesAt(policy: Policy, span: Span | undefined) {
  const facts = factsOf(policy, 'hono-cors');
  if (facts?.kind !== 'handset' || !span) return [];
  return guarded(facts.steps).filter(
    ({ header }) => header.span.start === span.start && header.span.end === span.end,
  );
}

/**
 * `LIST.includes(origin) ? origin : undefined` in place of the echoed Origin (`undefined` makes
 * `c.header` send no Access-Control-Allow-Origin). `?? ''` keeps the test typed when the read
 * may be undefined (not an `if (origin)` branch's own name).
 */
function handsetAllowOnly(policy: Policy, origins: string[], text: string): Fix | undefined {
  const echo = writesAt(policy, policy.origins.reflectAny?.span).find(
    ({ header }) => header.value.kind === 'origin',
  );
  if (!echo) return undefined;
  const { header, conditions } = echo;
  const written = text.slice(header.valueSpan.start, header.valueSpan.end);
  // `origin ?? '*'`: the fallback only answered requests without an Origin.
  const read =
    header.value.kind === 'origin' && header.value.fallback
      ? written.replace(/\s*(\?\?|\|\|)[^]*$/, '')
      : written;
  const narrowed =
    /^[\w$]+$/.test(read) && conditions.flatMap(conjuncts).some((c) => c.kind === 'origin-present');
  const quote = preferredQuote(text);
  const tested = narrowed ? read : `${read} ?? ${quote}${quote}`;
  return {
    title: `Allow only ${origins.join(', ')}`,
    edits: [
      {
        ...header.valueSpan,
        newText: `${jsArray(origins, text)}.includes(${tested}) ? ${read} : undefined`,
      },
    ],
  };
}

/** `c.header('Vary', 'Origin', { append: true })` on a new line after the write at `span`. */
function varyAfter(policy: Policy, text: string, span: Span): TextEdit | undefined {
  const [write] = writesAt(policy, span);
  const statement = write?.header.statement;
  if (!statement) return undefined;
  const { header } = write;
  const quote = preferredQuote(text);
  const semi = text.slice(statement.start, statement.end).trimEnd().endsWith(';') ? ';' : '';
  const call = `${header.receiver}.header(${jsString('Vary', quote)}, ${jsString('Origin', quote)}, { append: true })`;
  return {
    file: statement.file,
    start: statement.end,
    end: statement.end,
    newText: `\n${header.indent}${call}${semi}`,
  };
}

const isHandset = (policy: Policy) => factsOf(policy, 'hono-cors')?.kind === 'handset';

function allowOnly(policy: Policy, origins: string[], context: TextSource): Fix | undefined {
  const facts = factsOf(policy, 'hono-cors');
  if (facts?.kind !== 'handset') return pluginAllowOnly(policy, origins, context, facts);
  const at = policy.origins.reflectAny;
  return at && origins.length && !policy.origins.envDriven
    ? handsetAllowOnly(policy, origins, context.text(at.span.file))
    : undefined;
}

/** Each option fix, for `hono/cors` only (a hand-set policy has no options to edit). */
const libraryOnly =
  <A extends unknown[], R>(fix: (policy: Policy, ...rest: A) => R | undefined) =>
  (policy: Policy, ...rest: A): R | undefined =>
    isHandset(policy) ? undefined : fix(policy, ...rest);

const addOrigins = addOriginsOr(allowOnly, (policy) => !!policy.origins.reflectAny);

export const honoFixes: FrameworkFixes = {
  replaceOrigin: libraryOnly(optionEntryFixes.replaceOrigin),
  removeOrigin: libraryOnly(optionEntryFixes.removeOrigin),
  replacePattern: libraryOnly(optionEntryFixes.replacePattern),
  addAllowedHeaders: libraryOnly(optionEntryFixes.addAllowedHeaders),
  allowOnly,
  addOrigins: (policy, origins, context) =>
    isHandset(policy) && !policy.origins.reflectAny
      ? undefined
      : addOrigins(policy, origins, context),
  addVary: (policy, context) =>
    isHandset(policy)
      ? varyAfterWrite(
          policy,
          (file) => context.text(file),
          (text, span) => varyAfter(policy, text, span),
        )
      : undefined,
};
