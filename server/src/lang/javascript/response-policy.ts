/**
 * The neutral policy of CORS headers written by hand on a fetch-API `Response` (Next.js layers,
 * fetch handlers): the header lines in, the origins, credentials and lists they allow out.
 */
import type { WebHeader, WebHeaderValue } from './response-shape';
import type { NameList, Policy, SourceRef, Span } from '../../policy/types';

/** One header line as the neutral policy sees it: name, value and where it is written. */
export interface HeaderLine {
  name: string;
  value: WebHeaderValue;
  guard?: WebHeader['guard'];
  span: Span;
  valueSpan?: Span;
}

const named = (lines: HeaderLine[], name: string) =>
  lines.filter((l) => l.name.toLowerCase() === name);

function nameList(lines: HeaderLine[]): NameList {
  const names = new Set<string>();
  let dynamic = false;
  for (const line of lines) {
    if (line.value.kind !== 'literal') dynamic = true;
    else for (const n of line.value.value.split(',')) if (n.trim()) names.add(n.trim());
  }
  const first = lines[0];
  return {
    names: [...names],
    wildcard: names.has('*'),
    dynamic,
    at: first && { span: first.span, label: first.name },
  };
}

/** What a policy's hand-set header lines allow (all of a `Policy` but where it is and its facts). */
export type HandSetPolicy = Omit<Policy, 'framework' | 'file' | 'files' | 'at' | 'facts'>;

/**
 * The neutral reading of header lines a handler writes by hand: who gets in (literal origins, an
 * echo of the request's Origin, guarded by an allowlist or not), credentials, methods, headers.
 * `partial`: something was not understood, so the origins are not known in full.
 */
export function handSetPolicy(
  lines: HeaderLine[],
  urlRegex: string | null,
  partial: boolean,
): HandSetPolicy {
  const acao = named(lines, 'access-control-allow-origin');
  const exact: Policy['origins']['exact'] = [];
  let allowAllAt: SourceRef | undefined;
  let reflectAny: SourceRef | undefined;
  let dynamic = partial;
  let listAt: SourceRef | undefined;
  let echoesConfigured: SourceRef | undefined;
  // A line sent whenever an Origin comes is sent on every CORS request: as if unguarded.
  for (const line of acao.map((l) => (l.guard?.present ? { ...l, guard: undefined } : l))) {
    const ref = { span: line.valueSpan ?? line.span, label: `Access-Control-Allow-Origin` };
    if (line.value.kind === 'literal' && line.guard?.dynamic) dynamic = true;
    else if (line.value.kind === 'literal') {
      const value = line.value.value;
      if (value === '*') allowAllAt ??= { ...ref, label: `Access-Control-Allow-Origin: *` };
      else if (!exact.some((e) => e.value === value)) exact.push({ value, span: line.valueSpan });
    } else if (line.value.kind === 'request-origin') {
      if (!line.guard)
        reflectAny ??= {
          ...ref,
          label: 'Access-Control-Allow-Origin copied from the request Origin',
        };
      else {
        for (const value of line.guard.allowlist)
          if (!exact.some((e) => e.value === value)) exact.push({ value });
        dynamic ||= line.guard.dynamic;
        listAt ??= ref;
        // An echo after a test varies by origin even where the list is partly unknown.
        if (line.guard.dynamic) echoesConfigured ??= ref;
      }
    } else dynamic = true;
  }
  const acac = named(lines, 'access-control-allow-credentials');
  const credLine = acac.find(
    (l) => l.value.kind === 'literal' && l.value.value === 'true' && !l.guard?.dynamic,
  );
  const maxAgeLine = named(lines, 'access-control-max-age')[0];
  const maxAge =
    maxAgeLine?.value.kind === 'literal' && /^\d+$/.test(maxAgeLine.value.value)
      ? Number(maxAgeLine.value.value)
      : maxAgeLine
        ? 'dynamic'
        : null;
  return {
    configured: lines.some((l) => /^access-control-/i.test(l.name)),
    handSet: true,
    origins: {
      allowAll: !!allowAllAt,
      exact,
      regexes: [],
      dynamic,
      envDriven: false,
      allowAllAt,
      listAt,
      reflectAny,
      echoesConfigured,
    },
    credentials: credLine
      ? true
      : acac.some((l) => l.value.kind !== 'literal' || l.guard?.dynamic)
        ? 'dynamic'
        : false,
    credentialsAt: credLine && {
      span: credLine.span,
      label: 'Access-Control-Allow-Credentials: true',
    },
    methods: nameList(named(lines, 'access-control-allow-methods')),
    headers: nameList(named(lines, 'access-control-allow-headers')),
    expose: nameList(named(lines, 'access-control-expose-headers')),
    maxAge,
    urlRegex,
    allowPrivateNetwork: named(lines, 'access-control-allow-private-network').length > 0,
  };
}
