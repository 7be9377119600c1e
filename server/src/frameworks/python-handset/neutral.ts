/** What hand-written header code adds up to, as the framework-neutral policy. */
import type { HandsetCondition, HandsetHeader, HandsetStep, PythonHandsetFacts } from './facts';
import type { NameList, OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import { preflightBranches, requiresOptions } from '../../lang/handset-branches';

/** Every header written in `steps` (branches and returns included), with the conditions around it. */
export function headersOf(
  steps: HandsetStep[],
  conditions: HandsetCondition[] = [],
): { header: HandsetHeader; conditions: HandsetCondition[] }[] {
  return steps.flatMap((step) => {
    if (step.kind === 'header') return [{ header: step, conditions }];
    if (step.kind === 'return') return step.headers.map((header) => ({ header, conditions }));
    return [
      ...headersOf(step.then, [...conditions, step.test]),
      ...headersOf(step.otherwise, [...conditions, { kind: 'not', inner: step.test }]),
    ];
  });
}

/** The allowlist tests (`origin in ALLOWED`, `origin == "..."`) among some conditions. */
function allowlists(
  conditions: HandsetCondition[],
): Extract<HandsetCondition, { kind: 'origin-in' }>[] {
  return conditions.flatMap((c) =>
    c.kind === 'origin-in' ? [c] : c.kind === 'and' ? allowlists(c.parts) : [],
  );
}

/** The code at a span, shortened, as a message names it; `textOf` gives the text of the span's file. */
const labelIn = (textOf: (file: string) => string, span: Span) => {
  const raw = textOf(span.file).slice(span.start, span.end).replace(/\s+/g, ' ');
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

/** The neutral policy of a module's hand-written CORS headers. */
export function neutralPolicy(
  file: string,
  files: string[],
  textOf: (file: string) => string,
  facts: PythonHandsetFacts,
): Policy {
  // An allowlist may be imported: its span is in another file, so each label reads its own file.
  const label = (span: Span) => labelIn(textOf, span);
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
    if (value.kind === 'dynamic') origins.dynamic = true;
    else if (value.kind === 'literal' && value.value === '*') {
      origins.allowAll = true;
      origins.allowAllAt ??= { span: header.span, label: label(header.span) };
    } else if (value.kind === 'literal')
      origins.exact.push({ value: value.value, span: header.valueSpan });
    else {
      const lists = allowlists(conditions);
      // Echoing the Origin with no allowlist test around it lets every site in.
      if (!lists.length)
        origins.reflectAny ??= { span: header.span, label: label(header.span) } satisfies SourceRef;
      for (const list of lists) {
        if (list.configured) {
          origins.dynamic = true;
          origins.echoesConfigured ??= { span: header.span, label: label(header.span) };
        }
        list.values.forEach((v, i) => origins.exact.push({ value: v, span: list.spans[i] }));
        if (list.list) origins.listAt ??= { span: list.list, label: label(list.list) };
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
  const preflightHandler = facts.handlers.find((h) => preflightBranches(h.steps).length);
  const preflight = preflightHandler && preflightBranches(preflightHandler.steps)[0];
  const originHandler = facts.handlers.find((h) =>
    headersOf(h.steps).some(
      ({ header }) => header.name.toLowerCase() === 'access-control-allow-origin',
    ),
  );
  // The line that sets the origin on ordinary responses (not inside the OPTIONS branch).
  const originSets = named('access-control-allow-origin');
  const firstOrigin =
    originSets.find(({ conditions }) => !conditions.some(requiresOptions)) ?? originSets[0];
  return {
    framework: 'python-handset',
    file,
    files,
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
      ? { span: credentials.header.span, label: label(credentials.header.span) }
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
    samplePath: (preflightHandler ?? originHandler)?.route?.sample,
    varyAt: firstOrigin?.header.span,
    preflightAt: preflight?.span,
    facts,
  };
}
