/** What hand-written PHP header code adds up to, as the framework-neutral policy. */
import type { PhpCondition, PhpHandsetFacts, PhpHeader, PhpStep } from './facts';
import type { NameList, OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import { preflightBranches, requiresOptions } from '../../lang/handset-branches';

/** Every header written in `steps` (branches and called functions included), with the conditions around it. */
export function headersOf(
  steps: PhpStep[],
  conditions: PhpCondition[] = [],
): { header: PhpHeader; conditions: PhpCondition[] }[] {
  return steps.flatMap((step) => {
    if (step.kind === 'header') return [{ header: step, conditions }];
    if (step.kind === 'call') return headersOf(step.steps, conditions);
    if (step.kind !== 'if') return [];
    return [
      ...headersOf(step.then, [...conditions, step.test]),
      ...headersOf(step.otherwise, [...conditions, { kind: 'not', inner: step.test }]),
    ];
  });
}

type Guard = Extract<PhpCondition, { kind: 'origin-in' | 'origin-match' }>;

/** The allowlist tests (`in_array($origin, ...)`, `=== '...'`, `preg_match(...)`) among some conditions. */
function guards(conditions: PhpCondition[]): Guard[] {
  return conditions.flatMap((c) => {
    if (c.kind === 'origin-in' || c.kind === 'origin-match') return [c];
    if (c.kind === 'and') return guards(c.parts);
    // `$o === A || $o === B`: a guard only when every alternative is one.
    if (c.kind === 'or') {
      const each = c.parts.map((p) => guards([p]));
      return each.every((g) => g.length) ? each.flat() : [];
    }
    return [];
  });
}

/** Whether a condition has a part the extractor could not read. */
const unread = (c: PhpCondition): boolean =>
  c.kind === 'unknown' ||
  (c.kind === 'not' && unread(c.inner)) ||
  ((c.kind === 'and' || c.kind === 'or') && c.parts.some(unread));

const label = (text: string, span: Span) => {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ');
  return raw.length > 70 ? `${raw.slice(0, 67)}...` : raw;
};

const nameList = (values: string[], dynamic: boolean): NameList => {
  const names = values.flatMap((v) =>
    v
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  );
  return { names: names.filter((n) => n !== '*'), wildcard: names.includes('*'), dynamic };
};

/** The neutral policy of a file's hand-written CORS headers. */
export function neutralPolicy(file: string, text: string, facts: PhpHandsetFacts): Policy {
  const written = facts.handlers.flatMap((h) => headersOf(h.steps));
  const named = (name: string) =>
    written.filter(({ header }) => header.name.toLowerCase() === name);
  const origins: OriginPolicy = {
    allowAll: false,
    exact: [],
    regexes: [],
    dynamic: false,
    envDriven: false,
  };
  for (const { header, conditions } of named('access-control-allow-origin')) {
    const { value } = header;
    if (value.kind === 'dynamic' || (value.kind === 'request' && value.header !== 'origin'))
      origins.dynamic = true;
    else if (value.kind === 'literal' && value.value === '*') {
      origins.allowAll = true;
      origins.allowAllAt ??= { span: header.span, label: label(text, header.span) };
    } else if (value.kind === 'literal')
      origins.exact.push({ value: value.value, span: header.valueSpan });
    else {
      const found = guards(conditions);
      // A test the extractor cannot read (`if (allowed($origin))`) may be the allowlist: unknown, never reflect-any.
      if (!found.length && conditions.some(unread)) origins.dynamic = true;
      // Echoing the Origin with no allowlist test around it lets every site in.
      else if (!found.length)
        origins.reflectAny ??= {
          span: header.span,
          label: label(text, header.span),
        } satisfies SourceRef;
      for (const guard of found) {
        if (guard.kind === 'origin-match') {
          origins.regexes.push({
            pattern: guard.pattern,
            flavor: 'pcre',
            span: guard.span,
            flags: guard.modifiers.includes('i') ? 'i' : undefined,
          });
          continue;
        }
        guard.values.forEach((v, i) => origins.exact.push({ value: v, span: guard.spans[i] }));
        if (guard.list) origins.listAt ??= { span: guard.list, label: label(text, guard.list) };
      }
    }
  }
  const literals = (name: string) =>
    named(name).flatMap(({ header }) =>
      header.value.kind === 'literal' ? [header.value.value] : [],
    );
  const dynamic = (name: string) =>
    named(name).some(({ header }) => header.value.kind !== 'literal');
  const credentials = named('access-control-allow-credentials')[0];
  const maxAge = literals('access-control-max-age')[0];
  const preflight = facts.handlers.flatMap((h) => preflightBranches(h.steps))[0];
  // The line that sets the origin on ordinary responses (not inside the OPTIONS branch).
  const originSets = named('access-control-allow-origin');
  const firstOrigin =
    originSets.find(({ conditions }) => !conditions.some(requiresOptions)) ?? originSets[0];
  return {
    framework: 'php-handset',
    file,
    files: [file],
    at: facts.handlers[0].span,
    configured: true,
    handSet: true,
    origins,
    credentials: credentials
      ? credentials.header.value.kind === 'literal'
        ? credentials.header.value.value.toLowerCase() === 'true'
        : 'dynamic'
      : false,
    credentialsAt: credentials
      ? { span: credentials.header.span, label: label(text, credentials.header.span) }
      : undefined,
    methods: nameList(
      literals('access-control-allow-methods'),
      dynamic('access-control-allow-methods'),
    ),
    headers: nameList(
      literals('access-control-allow-headers'),
      dynamic('access-control-allow-headers'),
    ),
    expose: nameList(
      literals('access-control-expose-headers'),
      dynamic('access-control-expose-headers'),
    ),
    maxAge:
      maxAge === undefined
        ? dynamic('access-control-max-age')
          ? 'dynamic'
          : null
        : /^\d+$/.test(maxAge)
          ? Number(maxAge)
          : 'dynamic',
    urlRegex: null,
    allowPrivateNetwork: false,
    varyAt: firstOrigin?.header.span,
    preflightAt: preflight?.span,
    facts,
  };
}
