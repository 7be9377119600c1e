/** What a Sinatra app's hand-set headers and sinatra-cross_origin settings add up to, as the neutral policy. */
import { preflightBranches, requiresOptions } from '../../lang/handset-branches';
import { headerWrites, originAllowlists } from '../../lang/ruby/handset';
import type { NameList, OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import type { SinatraFacts } from './facts';

const label = (text: string, span: Span) => {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ');
  return raw.length > 70 ? `${raw.slice(0, 67)}...` : raw;
};

const names = (values: string[], dynamic: boolean): NameList => {
  const all = values.flatMap((v) => v.split(',').map((n) => n.trim()).filter(Boolean));
  return { names: all.filter((n) => n !== '*'), wildcard: all.includes('*'), dynamic };
};

/** Whether any handler calls the `cross_origin` helper. */
const callsCrossOrigin = (facts: SinatraFacts) => JSON.stringify(facts.handlers.map((h) => h.steps), (k, v) => (k === 'node' ? undefined : v)).includes('"name":"cross_origin"');

export function neutralPolicy(file: string, text: string, facts: SinatraFacts): Policy | undefined {
  const written = facts.handlers.flatMap((h) => headerWrites(h.steps));
  const named = (name: string) => written.filter(({ header }) => header.name.toLowerCase() === name);
  const cross = facts.crossOrigin && (facts.crossOrigin.enabled || callsCrossOrigin(facts)) ? facts.crossOrigin : undefined;
  if (!named('access-control-allow-origin').length && !cross) return undefined;
  const origins: OriginPolicy = { allowAll: false, exact: [], regexes: [], dynamic: false, envDriven: false };
  for (const { header, conditions } of named('access-control-allow-origin')) {
    const { value } = header;
    if (value.kind === 'dynamic') origins.dynamic = true;
    else if (value.kind === 'literal' && value.value === '*') {
      origins.allowAll = true;
      origins.allowAllAt ??= { span: header.span, label: label(text, header.span) };
    } else if (value.kind === 'literal') origins.exact.push({ value: value.value, span: header.valueSpan });
    else {
      const lists = originAllowlists(conditions);
      if (!lists.length) origins.reflectAny ??= { span: header.span, label: label(text, header.span) } satisfies SourceRef;
      for (const list of lists) {
        list.values.forEach((v, i) => origins.exact.push({ value: v, span: list.spans[i] }));
        if (list.list) origins.listAt ??= { span: list.list, label: label(text, list.list) };
      }
    }
  }
  const literals = (name: string, extra?: string) => [...named(name).flatMap(({ header }) => (header.value.kind === 'literal' ? [header.value.value] : [])), ...(extra ? [extra] : [])];
  const dynamic = (name: string) => named(name).some(({ header }) => header.value.kind !== 'literal');
  let credentials: boolean | 'dynamic' = false;
  let credentialsAt: SourceRef | undefined;
  const handsetCredentials = named('access-control-allow-credentials')[0];
  if (handsetCredentials) {
    credentials = handsetCredentials.header.value.kind === 'literal' ? handsetCredentials.header.value.value.toLowerCase() === 'true' : 'dynamic';
    credentialsAt = { span: handsetCredentials.header.span, label: label(text, handsetCredentials.header.span) };
  }
  // A filter on every path that sets the origin itself runs after the extension's and wins.
  const overridden = facts.handlers.some((h) => h.stage !== 'route' && h.regex === null && headerWrites(h.steps).some(({ header, conditions }) => !conditions.length && header.name.toLowerCase() === 'access-control-allow-origin'));
  if (cross && !overridden) {
    const at = cross.origin.at ?? cross.enabledAt ?? cross.registeredAt;
    if (cross.origin.value === ':any') origins.reflectAny ??= { span: at, label: cross.origin.at ? label(text, at) : "sinatra-cross_origin's default allow_origin :any" };
    else if (cross.origin.value === undefined) origins.dynamic = true;
    else origins.exact.push({ value: cross.origin.value, span: cross.origin.valueAt });
    if (cross.credentials.value === 'true' && credentials !== true) {
      credentials = true;
      const where = cross.credentials.at ?? cross.enabledAt ?? cross.registeredAt;
      credentialsAt = { span: where, label: cross.credentials.at ? label(text, where) : "sinatra-cross_origin's default allow_credentials true" };
    }
  }
  const setting = (value: string | undefined) => (value === ':any' ? undefined : value);
  const maxAge = literals('access-control-max-age', setting(cross?.maxAge.value))[0];
  const optionsRoute = facts.handlers.find((h) => h.stage === 'route' && h.methods?.includes('OPTIONS'));
  const branchHandler = facts.handlers.find((h) => preflightBranches(h.steps).length);
  const originSets = named('access-control-allow-origin');
  const firstOrigin = originSets.find(({ conditions }) => !conditions.some(requiresOptions)) ?? originSets[0];
  const originHandler = facts.handlers.find((h) => h.stage === 'route' && headerWrites(h.steps).length);
  return {
    framework: 'sinatra',
    file,
    files: [file],
    at: facts.handlers[0]?.span ?? cross?.registeredAt,
    configured: true,
    handSet: !cross,
    origins,
    credentials,
    credentialsAt,
    methods: names(literals('access-control-allow-methods', setting(cross?.methods.value)), dynamic('access-control-allow-methods')),
    headers: names(literals('access-control-allow-headers', setting(cross?.headers.value)), dynamic('access-control-allow-headers')),
    expose: names(literals('access-control-expose-headers', setting(cross?.expose.value)), dynamic('access-control-expose-headers')),
    maxAge: maxAge === undefined ? (dynamic('access-control-max-age') ? 'dynamic' : null) : /^\d+$/.test(maxAge) ? Number(maxAge) : 'dynamic',
    urlRegex: null,
    allowPrivateNetwork: false,
    samplePath: originHandler?.sample && !originHandler.sample.includes('x') ? originHandler.sample : undefined,
    varyAt: firstOrigin?.header.span ?? null,
    preflightAt: optionsRoute?.span ?? (branchHandler && preflightBranches(branchHandler.steps)[0]?.span),
    facts,
  };
}
