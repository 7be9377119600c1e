/** What one hand-written Express handler's header writes add up to, as the framework-neutral policy fields. */
import type { NodeCondition, NodeHandler, NodeHeaderWrite, NodeStep, OriginTest } from './facts';
import type { NameList, OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import { noOrigins } from '../../policy/types';
import { requiresOptions } from '../../lang/handset-branches';
import { guardedWrites, type GuardWalk } from '../../lang/guarded-writes';

/** A header write and the conditions it runs under. */
export interface GuardedWrite {
  write: NodeHeaderWrite;
  conditions: NodeCondition[];
}

/** Whether running `steps` always stops the handler (a send, `next()`, `return`, `throw`). */
export function stops(steps: NodeStep[]): boolean {
  return steps.some(
    (s) =>
      s.kind === 'end' ||
      s.kind === 'next' ||
      s.kind === 'error' ||
      s.kind === 'return' ||
      (s.kind === 'if' && stops(s.then) && stops(s.otherwise)),
  );
}

/** `!test`, with `!!test` read as `test`. */
const not = (inner: NodeCondition): NodeCondition =>
  inner.kind === 'not' ? inner.inner : { kind: 'not', inner };

/** How the shared walk reads a handler's steps. */
const walk: GuardWalk<NodeStep, NodeHeaderWrite, NodeCondition> = {
  write: (step) => (step.kind === 'header' ? step : undefined),
  branch: (step) => (step.kind === 'if' ? step : undefined),
  stops,
  negate: not,
};

/**
 * Every header written in `steps` with the conditions around it; after `if (test) return ...`,
 * what follows runs under `!test` (an early exit guards the rest).
 */
export const writesOf = (steps: NodeStep[], conditions: NodeCondition[] = []): GuardedWrite[] =>
  guardedWrites(walk, steps, conditions);

/** The alternatives of an `||` chain (`a || b || c` is `(a || b) || c`). */
const alternatives = (c: NodeCondition): NodeCondition[] =>
  c.kind === 'or' ? c.parts.flatMap(alternatives) : [c];

/**
 * The allowlist tests that must pass for a write to run: positive `origin-in` tests of an
 * and-chain, or an `||` of such tests and "no Origin". `unknown`: something that reads the Origin
 * is not understood, so whether an echo is checked cannot be told. `bypass`: an `||` of the tests
 * and conditions that read no request data (`WIDE_OPEN || isDev || list.includes(origin)`): when
 * those hold, the echo runs for every Origin.
 */
function guards(conditions: NodeCondition[]): { tests: OriginTest[]; bypass?: string } | 'unknown' {
  const tests: OriginTest[] = [];
  let bypass: string | undefined;
  // A test no other condition can stand in for: the write runs only for the origins it allows.
  let strict = false;
  const visit = (c: NodeCondition): boolean => {
    if (c.kind === 'origin-in') {
      tests.push(c);
      strict = true;
    } else if (c.kind === 'and') return c.parts.every(visit);
    else if (c.kind === 'or') {
      const parts = alternatives(c);
      // An alternative that is an allowlist test, or an `&&` holding one (`isDev &&
      // devPattern.test(origin)`): it lets in only what that test allows (shelve, batch 19).
      const testsOf = (p: NodeCondition): OriginTest[] =>
        p.kind === 'origin-in'
          ? [p]
          : p.kind === 'and'
            ? p.parts.filter((q): q is OriginTest => q.kind === 'origin-in')
            : [];
      const guarded = parts.filter((p) => testsOf(p).length);
      const found = guarded.flatMap(testsOf);
      const absent = parts.filter((p) => p.kind === 'not' && p.inner.kind === 'origin-present');
      const others = parts.filter((p) => !guarded.includes(p) && !absent.includes(p));
      if (found.length && !others.length) {
        tests.push(...found);
        strict = true;
      } else if (parts.some((p) => p.kind === 'unknown' && p.origin)) return false;
      else if (found.length && others.every((p) => p.kind === 'unknown' && p.text)) {
        tests.push(...found);
        bypass ??= others.map((p) => (p.kind === 'unknown' ? p.text : '')).join(' || ');
      }
    } else if (c.kind === 'unknown' && c.origin) return false;
    return true;
  };
  return conditions.every(visit) ? { tests, bypass: strict ? undefined : bypass } : 'unknown';
}

/** Source text cut short for messages. */
const shorten = (raw: string): string => (raw.length > 70 ? `${raw.slice(0, 67)}...` : raw);

/** A short label of a span's source text for messages. */
export function label(text: string, span: Span): string {
  return shorten(text.slice(span.start, span.end).replace(/\s+/g, ' '));
}

/** The Origin side: literals, allowlisted echoes, unchecked echoes (`reflectAny`), unknown values. */
function originsOf(text: string, written: GuardedWrite[]): OriginPolicy {
  const origins: OriginPolicy = noOrigins();
  for (const { write, conditions } of written) {
    const { value } = write;
    if (value.kind === 'dynamic') origins.dynamic = true;
    else if (
      value.kind === 'request-data' ||
      (value.kind === 'request' && value.header !== 'origin')
    ) {
      // Taint-lite: a value the caller picks (a query parameter, the Referer) is any origin they like.
      const found = guards(conditions);
      const source = value.kind === 'request' ? `the ${value.header} request header` : value.source;
      if (found === 'unknown') origins.dynamic = true;
      else
        origins.reflectAny ??= {
          span: write.span,
          label: `${label(text, write.span)} (its value is ${source}, which the caller chooses)`,
        };
    } else if (value.kind === 'literal') {
      for (const item of value.values) {
        if (item === '*')
          origins.allowAllAt ??= { span: write.span, label: label(text, write.span) };
        // An empty value allows no origin (`allowed ? origin : ''`).
        else if (item)
          origins.exact.push({
            value: item,
            span: value.values.length === 1 ? write.valueSpan : undefined,
          });
      }
    } else {
      const found = guards(conditions);
      if (found === 'unknown') origins.dynamic = true;
      // Echoing the Origin with no allowlist test around it lets every site in; so does an
      // allowlist test that another condition can stand in for.
      else if (!found.tests.length || found.bypass)
        origins.reflectAny ??= {
          span: write.span,
          label: found.bypass
            ? `${label(text, write.span)} (whenever ${shorten(found.bypass)} is true)`
            : label(text, write.span),
        } satisfies SourceRef;
      for (const test of found === 'unknown' ? [] : found.tests) {
        origins.exact.push(...test.exact);
        origins.regexes.push(...test.regexes.map((r) => ({ ...r, flavor: 'js' as const })));
        origins.dynamic ||= test.dynamic;
        origins.envDriven ||= test.envDriven;
        if (test.list)
          origins.listAt ??= { span: test.list, label: test.listName ?? 'the allowlist' };
      }
    }
  }
  origins.allowAll = !!origins.allowAllAt;
  // The same allowlist often guards several writes (the preflight branch and the rest).
  const once = <T extends { span?: Span }>(list: T[], key: (item: T) => string) =>
    list.filter((item, i) => list.findIndex((o) => key(o) === key(item)) === i);
  origins.exact = once(origins.exact, (o) => `${o.value}@${o.span?.start}`);
  origins.regexes = once(origins.regexes, (r) => `${r.pattern}@${r.span?.start}`);
  return origins;
}

/** A list header's names; echoing the request's `Access-Control-Request-*` allows whatever is asked. */
function nameList(written: GuardedWrite[]): NameList {
  const names = written
    .flatMap(({ write }) => (write.value.kind === 'literal' ? write.value.values : []))
    .flatMap((v) =>
      v
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    );
  const mirrors = written.some(
    ({ write }) =>
      write.value.kind === 'request' && write.value.header.startsWith('access-control-request-'),
  );
  const dynamic = written.some(
    ({ write }) =>
      write.value.kind !== 'literal' &&
      !(write.value.kind === 'request' && write.value.header.startsWith('access-control-request-')),
  );
  return {
    names: names.filter((n) => n !== '*'),
    wildcard: names.includes('*') || mirrors,
    dynamic,
  };
}

/** The neutral fields of one handler's hand-written CORS headers. */
export function neutralFields(
  text: string,
  handler: NodeHandler,
): Pick<
  Policy,
  'origins' | 'credentials' | 'credentialsAt' | 'methods' | 'headers' | 'expose' | 'maxAge'
> & { originSetAt?: Span } {
  const written = writesOf(handler.steps).filter(({ write }) => write.op !== 'vary');
  const named = (name: string) => written.filter(({ write }) => write.name.toLowerCase() === name);
  const literals = (name: string) =>
    named(name).flatMap(({ write }) => (write.value.kind === 'literal' ? write.value.values : []));
  const dynamic = (name: string) => named(name).some(({ write }) => write.value.kind !== 'literal');
  const credentials = named('access-control-allow-credentials')[0];
  const maxAge = literals('access-control-max-age')[0];
  const originSets = named('access-control-allow-origin');
  const ordinary =
    originSets.find(({ conditions }) => !conditions.some(requiresOptions)) ?? originSets[0];
  const credentialValue = credentials?.write.value;
  return {
    origins: originsOf(text, originSets),
    credentials: !credentialValue
      ? false
      : credentialValue.kind === 'literal'
        ? credentialValue.values[0]?.toLowerCase() === 'true'
        : 'dynamic',
    credentialsAt: credentials
      ? { span: credentials.write.span, label: label(text, credentials.write.span) }
      : undefined,
    methods: nameList(named('access-control-allow-methods')),
    headers: nameList(named('access-control-allow-headers')),
    expose: nameList(named('access-control-expose-headers')),
    maxAge:
      maxAge === undefined
        ? dynamic('access-control-max-age')
          ? 'dynamic'
          : null
        : /^\d+$/.test(maxAge)
          ? Number(maxAge)
          : 'dynamic',
    originSetAt: ordinary?.write.span,
  };
}
