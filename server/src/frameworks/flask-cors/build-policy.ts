/** One Flask-CORS resource (or decorated route) as a neutral Policy plus the library's facts. */
import { escapeRegex } from '../../base/regex';
import type { FlaskCorsFacts, WrittenOption } from './facts';
import type { IgnoredOption, NameList, Policy, SourceRef, Span } from '../../policy/types';
import { OPTION_NAMES, type RawOption } from './options';
import {
  flexibleString,
  patternList,
  probablyRegex,
  truthy,
  type LocatedPattern,
} from './serialize';

/** Everything the builder needs about one resource. */
export interface ResourceInput {
  file: string;
  files: string[];
  /** The text of a file the options were read from (the app's, or a config module's). */
  textOf: (file: string) => string;
  via: FlaskCorsFacts['via'];
  /** The resource pattern after `re_fix`, or the route's regex. */
  resource: string;
  resourceIsRegex: boolean;
  options: Map<string, RawOption>;
  /** A `**splat` or a config file may have set this option. */
  hidden: (name: string) => boolean;
  /** The `CORS(...)`/`@cross_origin(...)` call, and how to name it in messages. */
  call: Span;
  callLabel: string;
  insertAt?: Span;
  ineffective?: SourceRef;
}

const ALL_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';

/** The source text of a span, shortened for a message. */
const label = (textOf: (file: string) => string, span: Span) => {
  const raw = textOf(span.file).slice(span.start, span.end).replace(/\s+/g, ' ');
  return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
};

const names = (value: string | null | 'dynamic', dynamic = false): NameList =>
  value === 'dynamic'
    ? { names: [], wildcard: false, dynamic: true }
    : { names: value ? value.split(/,\s*/) : [], wildcard: false, dynamic };

/** Names written for Flask-CORS options (other libraries' names, singulars), lower-cased. */
const NEAR: Record<string, string> = {
  origin: 'origins',
  allow_origin: 'origins',
  allow_origins: 'origins',
  allowed_origins: 'origins',
  credentials: 'supports_credentials',
  allow_credentials: 'supports_credentials',
  support_credentials: 'supports_credentials',
  headers: 'allow_headers',
  allowed_headers: 'allow_headers',
  expose: 'expose_headers',
  exposed_headers: 'expose_headers',
  method: 'methods',
  allow_methods: 'methods',
  allowed_methods: 'methods',
  maxage: 'max_age',
};

/** What Flask-CORS does without each option a near miss stands for (its DEFAULT_OPTIONS). */
const WITHOUT: Record<string, string> = {
  origins: 'every origin is allowed (origins defaults to *)',
  supports_credentials:
    'it sends no Access-Control-Allow-Credentials, so the browser refuses every credentialed request',
  allow_headers: 'its preflights allow whatever request headers the browser asks for',
  expose_headers: 'scripts can read no response header beyond the safelisted ones',
  methods: 'its preflights allow every method',
  max_age: 'it sends no Access-Control-Max-Age, so browsers cache preflights for 5 seconds at most',
};

/**
 * Options Flask-CORS does not know and ignores (`get_cors_options` only logs "Unknown option"),
 * near one it does: `@cross_origin(origin='localhost')` allows every origin (Opensoft-2019,
 * held-out batch 47, run with flask-cors 6.0.2). At the key, quotes left out.
 */
function ignoredOptions(
  options: Map<string, RawOption>,
  textOf: (file: string) => string,
): IgnoredOption[] {
  return [...options].flatMap(([name, option]) => {
    const meant = NEAR[name.toLowerCase()];
    if (!meant || options.has(meant) || (OPTION_NAMES as readonly string[]).includes(name))
      return [];
    const written = textOf(option.at.file).slice(option.at.start, option.at.end);
    const at = written.indexOf(name);
    if (at < 0 || at > 1) return [];
    const start = option.at.start + at;
    const span = { file: option.at.file, start, end: start + name.length };
    return [{ library: 'Flask-CORS', name, span, meant, effect: WITHOUT[meant] }];
  });
}

/** `origins=None` as the call or resource writes it (see `FlaskCorsFacts.originsNone`). */
function originsNone(option: RawOption | undefined): Pick<FlaskCorsFacts, 'originsNone'> {
  const value = option?.value;
  if (!option || option.config || !value) return {};
  if (value.kind === 'none') return { originsNone: { at: option.at } };
  return value.kind === 'dynamic' && value.noneWhenUnset
    ? { originsNone: { at: option.at, variable: value.noneWhenUnset } }
    : {};
}

/** Builds the Policy of one resource from its merged options. */
export function resourcePolicy(input: ResourceInput): Policy {
  const { options, hidden, file, textOf } = input;
  const option = (name: string) => options.get(name);
  const known = (name: string) => !hidden(name) && option(name)?.value.kind !== 'dynamic';
  const bool = (name: string, fallback: boolean): boolean | 'dynamic' => {
    const o = option(name);
    if (hidden(name)) return 'dynamic';
    return o ? truthy(o.value) : fallback;
  };
  const patterns = (name: string, fallback: string) => {
    const o = option(name);
    if (!o)
      return {
        patterns: [{ value: fallback, compiled: false, span: input.call }] as LocatedPattern[],
        dynamic: hidden(name),
      };
    const list = patternList(file, o.value, o.node);
    return { patterns: list.patterns, dynamic: list.dynamic || hidden(name) };
  };
  const str = (name: string, upper = false): string | null | 'dynamic' => {
    const o = option(name);
    if (hidden(name)) return 'dynamic';
    return o ? flexibleString(o.value, upper) : null;
  };

  const origins = patterns('origins', '.*');
  const headers = patterns('allow_headers', '.*');
  const methods = option('methods')
    ? str('methods', true)
    : hidden('methods')
      ? 'dynamic'
      : ALL_METHODS;
  const expose = str('expose_headers');
  const maxAgeOption = option('max_age');
  // `if v` drops a max_age of 0 (an int), but not the string '0'.
  const maxAge =
    maxAgeOption && known('max_age')
      ? maxAgeOption.value.kind === 'int' && maxAgeOption.value.value === 0
        ? null
        : flexibleString(maxAgeOption.value)
      : maxAgeOption || hidden('max_age')
        ? 'dynamic'
        : null;
  const credentials = bool('supports_credentials', false);

  const originsAt = option('origins');
  // Unwritten origins under a config file (`app.config.from_object(...)`, which may set
  // CORS_ORIGINS) are unknown: the '*' default is only what runs if the file does not set them.
  const fromConfig = origins.dynamic && !originsAt;
  const neutral = fromConfig ? [] : origins.patterns;
  const wildcard = neutral.find((p) => p.value === '.*' && !p.compiled);
  const allowAllAt: SourceRef | undefined = wildcard && {
    span: originsAt ? originsAt.at : input.call,
    label: originsAt ? label(textOf, originsAt.at) : `${input.callLabel} without origins`,
  };
  const credentialsOption = option('supports_credentials');

  const written: Record<string, WrittenOption> = {};
  for (const [name, o] of options)
    written[name] = { at: o.at, value: { file, start: o.node.startIndex, end: o.node.endIndex } };

  const facts: FlaskCorsFacts = {
    via: input.via,
    resource: input.resource,
    resourceIsRegex: input.resourceIsRegex,
    origins: origins.patterns.map(({ value, compiled }) => ({ value, compiled })),
    allowHeaders: headers.patterns.map(({ value, compiled }) => ({ value, compiled })),
    methods: methods === 'dynamic' || methods === null ? ALL_METHODS : methods,
    expose: expose === 'dynamic' ? null : expose,
    maxAge: maxAge === 'dynamic' ? null : maxAge,
    supportsCredentials: credentials === true,
    sendWildcard: bool('send_wildcard', false) === true,
    varyHeader: bool('vary_header', true) !== false,
    alwaysSend: bool('always_send', true) !== false,
    written,
    insertAt: input.insertAt,
    ineffective: input.ineffective,
    ...originsNone(originsAt),
  };

  const ignored = ignoredOptions(options, textOf);
  return {
    framework: 'flask-cors',
    file,
    files: input.files,
    at: input.call,
    configured: true,
    origins: {
      allowAll: !!wildcard,
      allowAllAt,
      exact: neutral
        .filter((p) => !p.compiled && !probablyRegex(p.value))
        .map((p) => ({ value: p.value, span: p.span })),
      regexes: neutral
        .filter((p) => p !== wildcard && (p.compiled || probablyRegex(p.value)))
        .map((p) => ({ pattern: p.value, flavor: 'python-match' as const, span: p.span })),
      dynamic: origins.dynamic,
      envDriven: !!originsAt && 'envDriven' in originsAt.value && !!originsAt.value.envDriven,
      listAt: originsAt ? { span: originsAt.at, label: label(textOf, originsAt.at) } : undefined,
    },
    credentials,
    credentialsAt:
      credentials === true && credentialsOption
        ? { span: credentialsOption.at, label: label(textOf, credentialsOption.at) }
        : undefined,
    methods: names(methods),
    headers: {
      names: headers.patterns.map((p) => p.value).filter((v) => v !== '.*'),
      wildcard: headers.patterns.some((p) => p.value === '.*'),
      dynamic: headers.dynamic,
    },
    expose: names(expose),
    maxAge:
      maxAge === 'dynamic'
        ? 'dynamic'
        : maxAge === null
          ? null
          : /^\d+$/.test(maxAge)
            ? Number(maxAge)
            : 'dynamic',
    // A literal resource must equal the path; `$` is close enough to Python's `==` here.
    urlRegex: input.resourceIsRegex ? input.resource : `${escapeRegex(input.resource)}$`,
    allowPrivateNetwork: false,
    varyAt: facts.written.vary_header?.at,
    ...(ignored.length ? { ignoredOptions: ignored } : {}),
    facts,
  };
}
