/**
 * What hand-written header code adds up to in the neutral policy, in any language (Python views
 * and hooks, PHP scripts, Rails controllers, Sinatra filters): each language's reader says which
 * value echoes the Origin and which tests guard an echo; the rest reads the same everywhere.
 */
import { type ConditionShape, requiresOptions } from './handset-branches';
import type { NameList, OriginPolicy, Policy, RegexFlavor, SourceRef, Span } from '../policy/types';
import { noOrigins } from '../policy/types';

/** A header write as the policy reads it (the languages' header steps all have this shape). */
export interface HeaderWrite {
  name: string;
  /** A literal carries its `value`; any other kind is the language's own. */
  value: { kind: string; value?: string };
  /** The statement and the value expression. */
  span: Span;
  valueSpan: Span;
}

/** The Origin tested against a list (`in`, `==`, `include?`), in any language. */
export interface OriginInGuard {
  kind: 'origin-in';
  values: string[];
  spans: Span[];
  list?: Span;
  /** The list is read at run time (a setting, `ENV`): the model assumes the asker is in it. */
  configured?: boolean;
}

/**
 * `"*" in LIST` (`in_array`, `include?`, `includes`), written beside `origin in LIST` so that the
 * operator can list `*` for every origin (`"*" in allowed or origin in allowed`; metube and
 * open-notebook, held-out batch 12). With the list known and no `*` in it the test never holds:
 * an allowlist test no origin passes. With the list read at run time it is the operator's choice,
 * as the list itself is: a configured allowlist. A list that holds `*` lets every origin in:
 * undefined, and the reader keeps the test it could not read (no guard).
 */
export function wildcardEntry(
  known: { values: string[]; list: Span } | undefined,
  list: Span | undefined,
): OriginInGuard | undefined {
  if (known?.values.includes('*')) return undefined;
  return known
    ? { kind: 'origin-in', values: [], spans: [], list: known.list }
    : { kind: 'origin-in', values: [], spans: [], list, configured: true };
}

/**
 * The Origin tested against a pattern: a regex (`preg_match`, `re.match`) or a string test read
 * as one (`origin.endswith(".example.com")`, whose code as written is `test`). `modifiers` are
 * PCRE's (`i`); the flavour is PCRE's unless said.
 */
export interface OriginMatchGuard {
  kind: 'origin-match';
  pattern: string;
  modifiers: string;
  span: Span;
  flavor?: RegexFlavor;
  test?: string;
}

/** A test that lets only some origins through: a list (`in`, `==`) or a pattern. */
export type OriginGuard = OriginInGuard | OriginMatchGuard;

/** The code at a span, shortened, as a message names it. */
export const handsetLabel = (text: string, span: Span): string => {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ');
  return raw.length > 70 ? `${raw.slice(0, 67)}...` : raw;
};

/**
 * The origin guards among some conditions: the tests themselves and the parts of an `and`;
 * with `throughOr`, an `or` whose every alternative is a guard (`$o === A || $o === B`).
 */
export function originGuards<C extends ConditionShape>(
  conditions: C[],
  throughOr = false,
): OriginGuard[] {
  return conditions.flatMap((c): OriginGuard[] => {
    // Every language's guard tests carry the OriginGuard fields under these kinds.
    if (c.kind === 'origin-in' || c.kind === 'origin-match') return [c as unknown as OriginGuard];
    // The other branch of `return unless allowed`: a `not` of a `not`.
    const inner = (c as { inner?: C }).inner;
    if (c.kind === 'not' && inner?.kind === 'not') {
      const twice = (inner as { inner?: C }).inner;
      return twice ? originGuards([twice], throughOr) : [];
    }
    if (c.kind === 'and') return originGuards(c.parts ?? [], throughOr);
    if (c.kind === 'or' && throughOr) {
      // An alternative known false (an empty `or`: `ORIGINS == ["*"]` with the list's default)
      // lets nothing through.
      const each = (c.parts ?? [])
        .filter((p) => p.kind !== 'or' || (p.parts ?? []).length > 0)
        .map((p) => originGuards([p], throughOr));
      return each.every((g) => g.length) ? each.flat() : [];
    }
    return [];
  });
}

export interface HandsetSummary {
  origins: OriginPolicy;
  credentials: boolean | 'dynamic';
  credentialsAt?: SourceRef;
  /** Header values per name, with extra values (a library's settings) appended. */
  list(name: string, extra?: string): NameList;
  maxAge(extra?: string): number | null | 'dynamic';
  /** The line that sets the origin on ordinary responses (not only inside an OPTIONS branch). */
  varyAt?: Span;
  /** The writes of the origin on ordinary responses that no `Vary` write runs with. */
  unvariedAt: Span[];
}

/** How a language's header writes read. */
export interface HandsetReading<H extends HeaderWrite, C> {
  /** The code at a span (an allowlist may be imported from another file). */
  label(span: Span): string;
  /** Whether a value echoes the request's Origin (else a non-literal origin is unknown). */
  echoes(value: H['value']): boolean;
  /**
   * The guards around an echo; undefined when a test the reader could not read may be the
   * allowlist (`if (allowed($origin))`): the origins are then unknown, never "every origin".
   */
  guards(conditions: C[]): OriginGuard[] | undefined;
  /** Whether a name listed twice counts once (Ruby's readers keep it once). */
  uniqueNames?: boolean;
  /**
   * Whether the conditions hold only for a request without an Origin header (the `else` of
   * `isset($_SERVER['HTTP_ORIGIN'])`): no browser's CORS request reaches an origin written there.
   */
  withoutOrigin?(conditions: C[]): boolean;
}

/** The names in header values (`GET, POST`), split at commas; a `*` among them is the wildcard. */
export function headerValueNames(values: string[]): { names: string[]; wildcard: boolean } {
  const all = values.flatMap((v) =>
    v
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  );
  return { names: all.filter((n) => n !== '*'), wildcard: all.includes('*') };
}

function nameList(values: string[], dynamic: boolean, unique: boolean): NameList {
  const { names, wildcard } = headerValueNames(values);
  return { names: unique ? [...new Set(names)] : names, wildcard, dynamic };
}

/** The origins an echo of the request's Origin lets in, by the guards around it. */
function echoed(
  origins: OriginPolicy,
  header: HeaderWrite,
  guards: OriginGuard[] | undefined,
  label: (span: Span) => string,
): void {
  if (!guards) {
    // Who passes the test is unknown, but those who do get their own Origin back: the answer
    // varies by Origin all the same (mod-ui's host test, held-out batch 26).
    origins.dynamic = true;
    origins.echoesConfigured ??= { span: header.span, label: label(header.span) };
    return;
  }
  // Echoing the Origin with no allowlist test around it lets every site in.
  if (!guards.length) origins.reflectAny ??= { span: header.span, label: label(header.span) };
  for (const guard of guards) {
    if (guard.kind === 'origin-match') {
      origins.regexes.push({
        pattern: guard.pattern,
        flavor: guard.flavor ?? 'pcre',
        span: guard.span,
        flags: guard.modifiers.includes('i') ? 'i' : undefined,
        ...(guard.test ? { test: guard.test } : {}),
      });
      continue;
    }
    // An allowlist read at run time: the echo answers whoever the operator configured.
    if (guard.configured) {
      origins.dynamic = true;
      origins.echoesConfigured ??= { span: header.span, label: label(header.span) };
    }
    guard.values.forEach((v, i) => origins.exact.push({ value: v, span: guard.spans[i] }));
    if (guard.list) origins.listAt ??= { span: guard.list, label: label(guard.list) };
  }
}

/**
 * Whether two writes never run together: one runs under a test the other runs under the negation
 * of (the two branches of one `if`: the `otherwise` side's condition is a `not` of the same test).
 */
function exclusive<C extends ConditionShape>(a: C[], b: C[]): boolean {
  const negates = (x: C, y: C) => y.kind === 'not' && (y as { inner?: unknown }).inner === x;
  return a.some((x) => b.some((y) => negates(x, y) || negates(y, x)));
}

/** The origins, credentials and header lists some header writes add up to. */
export function summarize<H extends HeaderWrite, C extends ConditionShape>(
  written: { header: H; conditions: C[] }[],
  reading: HandsetReading<H, C>,
): HandsetSummary {
  const { label } = reading;
  const named = (name: string) =>
    written.filter(({ header }) => header.name.toLowerCase() === name);
  const literal = (header: H) =>
    header.value.kind === 'literal' ? (header.value.value ?? '') : undefined;
  const origins: OriginPolicy = noOrigins();
  for (const { header, conditions } of named('access-control-allow-origin')) {
    if (reading.withoutOrigin?.(conditions)) continue;
    const value = literal(header);
    if (value === '*') {
      origins.allowAll = true;
      origins.allowAllAt ??= { span: header.span, label: label(header.span) };
    } else if (value !== undefined) origins.exact.push({ value, span: header.valueSpan });
    else if (reading.echoes(header.value))
      echoed(origins, header, reading.guards(conditions), label);
    else origins.dynamic = true;
  }
  const literals = (name: string, extra?: string) => [
    ...named(name).flatMap(({ header }) => literal(header) ?? []),
    ...(extra ? [extra] : []),
  ];
  const dynamic = (name: string) =>
    named(name).some(({ header }) => header.value.kind !== 'literal');
  // `*` in one branch and credentials in the other (`if listed: origin + credentials; else: *`).
  const stars = named('access-control-allow-origin').filter(
    ({ header, conditions }) => literal(header) === '*' && !reading.withoutOrigin?.(conditions),
  );
  const credentialWrites = named('access-control-allow-credentials');
  if (
    stars.length &&
    credentialWrites.length &&
    stars.every((s) => credentialWrites.every((c) => exclusive(s.conditions, c.conditions)))
  )
    origins.allowAllApart = true;
  // Written only on preflights, it lets no credentialed response be read (ZeroNet's UiRequest,
  // held-out batch 25): the browser asks for it again on the actual response.
  const credentials = credentialWrites.find(({ conditions }) => !conditions.some(requiresOptions));
  const credentialValue = credentials && literal(credentials.header);
  const originSets = named('access-control-allow-origin');
  const firstOrigin =
    originSets.find(({ conditions }) => !conditions.some(requiresOptions)) ?? originSets[0];
  // A Vary write runs with an origin write when it is under no test the origin write is not.
  const varies = named('vary');
  const unvariedAt = originSets
    .filter(
      ({ conditions }) =>
        !conditions.some(requiresOptions) &&
        !reading.withoutOrigin?.(conditions) &&
        !varies.some((v) => v.conditions.every((c) => conditions.includes(c))),
    )
    .map(({ header }) => header.span);
  return {
    origins,
    credentials: !credentials
      ? false
      : credentialValue !== undefined
        ? credentialValue.toLowerCase() === 'true'
        : 'dynamic',
    credentialsAt: credentials && {
      span: credentials.header.span,
      label: label(credentials.header.span),
    },
    list: (name, extra) =>
      nameList(literals(name, extra), dynamic(name), reading.uniqueNames ?? false),
    maxAge(extra) {
      const value = literals('access-control-max-age', extra)[0];
      return value === undefined
        ? dynamic('access-control-max-age')
          ? 'dynamic'
          : null
        : /^\d+$/.test(value)
          ? Number(value)
          : 'dynamic';
    },
    varyAt: firstOrigin?.header.span,
    unvariedAt,
  };
}

/** The policy fields a summary fills as written (no library settings added). */
export const summaryFields = (
  summary: HandsetSummary,
): Pick<
  Policy,
  'origins' | 'credentials' | 'credentialsAt' | 'methods' | 'headers' | 'expose' | 'maxAge'
> => ({
  origins: summary.origins,
  credentials: summary.credentials,
  credentialsAt: summary.credentialsAt,
  methods: summary.list('access-control-allow-methods'),
  headers: summary.list('access-control-allow-headers'),
  expose: summary.list('access-control-expose-headers'),
  maxAge: summary.maxAge(),
});
