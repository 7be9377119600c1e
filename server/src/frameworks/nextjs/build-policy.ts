import type { NextHeader, NextjsFacts } from './facts';
import type { NameList, Policy, SourceRef, Span } from '../../policy/types';

/** One header line as the neutral policy sees it: name, value and where it is written. */
interface Line {
  name: string;
  value: NextHeader['value'];
  guard?: NextHeader['guard'];
  span: Span;
  valueSpan?: Span;
}

/** Every CORS-relevant header line the layers of a policy write. */
function linesOf(facts: NextjsFacts): Line[] {
  const out: Line[] = [];
  for (const entry of facts.config)
    for (const h of entry.headers)
      out.push({
        name: h.key,
        value: { kind: 'literal', value: h.value },
        span: h.span,
        valueSpan: h.valueSpan,
      });
  const mw = facts.middleware;
  if (mw) out.push(...mw.passThrough);
  // Next sends a route's header only when no earlier layer set it (send-response.js).
  const shadowed = new Set(out.map((l) => l.name.toLowerCase()));
  if (mw?.answers) out.push(...mw.answers.response.headers);
  for (const handler of facts.handlers)
    out.push(...handler.response.headers.filter((h) => !shadowed.has(h.name.toLowerCase())));
  return out;
}

const named = (lines: Line[], name: string) => lines.filter((l) => l.name.toLowerCase() === name);

function nameList(lines: Line[]): NameList {
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

/** The framework-neutral policy of a Next.js path from the headers its layers set by hand. */
export function neutralPolicy(
  file: string,
  files: string[],
  facts: NextjsFacts,
  urlRegex: string | null,
  partial: boolean,
  at: Span,
): Policy {
  const lines = linesOf(facts);
  const acao = named(lines, 'access-control-allow-origin');
  const exact: Policy['origins']['exact'] = [];
  let allowAllAt: SourceRef | undefined;
  let reflectAny: SourceRef | undefined;
  let dynamic = partial;
  let listAt: SourceRef | undefined;
  for (const line of acao) {
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
    framework: 'nextjs',
    file,
    files,
    at,
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
    facts: facts,
  };
}
