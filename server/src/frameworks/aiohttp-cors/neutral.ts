/** What an aiohttp_cors setup adds up to, as the framework-neutral policy. */
import type { NameList, OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import type { AiohttpConfig, AiohttpCorsFacts, AiohttpEntry } from './facts';

const label = (text: string, span: Span): string => {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ').replace(/\( /g, '(');
  return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
};

/** Every config the setup uses: the defaults, each resource's and route's, the every-route one. */
export function configsOf(facts: AiohttpCorsFacts): AiohttpConfig[] {
  const configs = [facts.defaults, ...(facts.everyRoute ? [facts.everyRoute] : [])];
  for (const resource of facts.resources)
    for (const c of [resource.cors, ...Object.values(resource.methodConfig)])
      if (c && !configs.includes(c)) configs.push(c);
  return configs;
}

function nameList(
  entries: AiohttpEntry[],
  pick: (e: AiohttpEntry) => '*' | string[] | null,
  option: string,
  written: (e: AiohttpEntry) => Span | undefined,
  text: string,
  extra: string[] = [],
  dynamic = false,
): NameList {
  const names = new Set<string>(extra);
  let wildcard = false;
  for (const entry of entries) {
    const value = pick(entry);
    if (value === '*') wildcard = true;
    else for (const name of value ?? []) names.add(name);
  }
  const at = entries.map(written).find((s) => s);
  return {
    names: [...names],
    wildcard,
    dynamic: dynamic || entries.some((e) => e.options.dynamic),
    option,
    at: at && { span: at, label: label(text, at) },
  };
}

export function neutralPolicy(
  file: string,
  files: string[],
  text: string,
  at: Span,
  facts: AiohttpCorsFacts,
): Policy {
  const configs = configsOf(facts);
  const entries = configs.flatMap((c) => c.entries);
  const star = entries.find((e) => e.origin === '*');
  const origins: OriginPolicy = {
    // `*` is a key like any other: aiohttp_cors answers any origin with that origin (never `*`).
    allowAll: !!star,
    allowAllAt: star && { span: star.keyAt, label: label(text, star.entryAt) },
    exact: entries.filter((e) => e.origin !== '*').map((e) => ({ value: e.origin, span: e.keyAt })),
    regexes: [],
    dynamic: configs.some((c) => c.dynamic),
    envDriven: false,
    listAt: facts.defaults.dict ? { span: facts.defaults.dict, label: 'defaults' } : undefined,
  };
  const credentialed = entries.find((e) => e.options.credentials);
  const credentialsAt: SourceRef | undefined = credentialed && {
    span: credentialed.options.written.allow_credentials?.at ?? credentialed.options.at,
    label: label(
      text,
      credentialed.options.written.allow_credentials?.at ?? credentialed.options.at,
    ),
  };
  const enabled = facts.resources.filter((r) => r.cors);
  // Checks ask about the sample request: it must be one the app serves, since a resource
  // routed for POST only answers GET with a 405 and no CORS headers.
  const methodOf = (methods: string[]) =>
    ['GET', 'POST', 'HEAD'].find((m) => methods.includes(m)) ??
    methods.find((m) => m !== 'OPTIONS');
  const sample =
    enabled.find((r) => methodOf(r.methods) === 'GET') ??
    enabled.find((r) => methodOf(r.methods)) ??
    enabled[0];
  const sampleMethod = sample && methodOf(sample.methods);
  const routed = [...new Set(enabled.flatMap((r) => Object.keys(r.methodConfig)))];
  const everywhere = !!facts.everyRoute || facts.routesUnknown;
  const maxAge = entries.find((e) => e.options.maxAge !== null)?.options.maxAge ?? null;
  /** One of the three name options over every entry, linked to where the first entry writes it. */
  const list = (
    key: 'methods' | 'headers' | 'expose',
    option: 'allow_methods' | 'allow_headers' | 'expose_headers',
    extra?: string[],
    dynamic?: boolean,
  ) =>
    nameList(
      entries,
      (e) => e.options[key],
      option,
      (e) => e.options.written[option]?.at,
      text,
      extra,
      dynamic,
    );
  return {
    framework: 'aiohttp-cors',
    file,
    files,
    at,
    configured: true,
    origins,
    credentials: credentialed ? true : entries.some((e) => e.options.dynamic) ? 'dynamic' : false,
    credentialsAt,
    credentialsOption: 'allow_credentials',
    methods: list('methods', 'allow_methods', routed, facts.routesUnknown),
    headers: list('headers', 'allow_headers'),
    expose: list('expose', 'expose_headers'),
    maxAge,
    // Only resources given to `cors.add` get CORS headers.
    urlRegex:
      everywhere || !enabled.length ? '^.*$' : `(?:${enabled.map((r) => r.regex).join('|')})`,
    allowPrivateNetwork: false,
    samplePath: sample?.sample,
    sampleMethod: sampleMethod === 'GET' ? undefined : sampleMethod,
    facts,
  };
}
