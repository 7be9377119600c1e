/**
 * Reads `config/packages/nelmio_cors.yaml` as NelmioCorsBundle's extension does: `defaults`,
 * `paths` (regex keys, falsy values dropped before the merge), `*` normalised to "any",
 * methods upper-cased, headers lower-cased; `%env(NAME)%` resolved from the project's `.env` and
 * `.env.local` when they set it (env-driven), else unknown.
 */
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import type { NameList, OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import { entry, yamlValue, type YamlValue } from '../../lang/yaml/values';
import { parseEnvFile } from '../../workspace/env-files';
import type { NelmioCorsFacts, NelmioOptions, NelmioOrigin } from './facts';
import { phpNelmioRoot } from './php-config';

type Env = Map<string, string>;

/** A top-level `parameters:` map's plain `name: value` lines (quotes taken off). */
function parametersIn(text: string): Env {
  const params: Env = new Map();
  const block = /^parameters:[ \t]*\n((?:[ \t]+.*\n?|[ \t]*\n)*)/m.exec(text)?.[1] ?? '';
  for (const [, name, value] of block.matchAll(/^[ \t]+([\w.-]+):[ \t]*(.+?)[ \t]*$/gm))
    params.set(name, value.replace(/^(['"])(.*)\1$/, '$2'));
  return params;
}

/**
 * `.env` then `.env.local` at the project root (three levels above config/packages/x.yaml|php),
 * and the container parameters `config/services.yaml` (or `config/parameters.yaml`) defines,
 * which `%name%` in the bundle's config stands for (coopcycle, held-out batch 10).
 */
function readEnv(file: string, reader: SourceReader): { env: Env; params: Env; files: string[] } {
  const root = path.resolve(path.dirname(file), '..', '..');
  const env: Env = new Map();
  const params: Env = new Map();
  const files: string[] = [];
  for (const name of ['.env', '.env.local']) {
    const envFile = path.join(root, name);
    const text = reader.read(envFile);
    if (text === undefined) continue;
    files.push(envFile);
    for (const [key, raw] of parseEnvFile(text)) env.set(key, raw.text);
  }
  for (const name of ['config/services.yaml', 'config/parameters.yaml']) {
    const paramFile = path.join(root, name);
    const text = reader.read(paramFile);
    if (text === undefined) continue;
    files.push(paramFile);
    for (const [key, value] of parametersIn(text)) if (!params.has(key)) params.set(key, value);
  }
  return { env, params, files };
}

const strings = (value: YamlValue | undefined): { value: string; span: Span }[] =>
  value?.kind === 'list'
    ? value.items.flatMap((i) =>
        i.kind === 'scalar' && i.value !== null ? [{ value: String(i.value), span: i.span }] : [],
      )
    : value?.kind === 'scalar' && value.value !== null
      ? [{ value: String(value.value), span: value.span }]
      : [];

const truthy = (value: YamlValue | undefined) =>
  !!value &&
  !(value.kind === 'scalar' && !value.value) &&
  !(value.kind === 'list' && !value.items.length);

/** One options map, over `base` (the defaults) with the path's falsy values dropped. */
function options(
  map: YamlValue | undefined,
  base: NelmioOptions,
  { env, params }: { env: Env; params: Env },
  isDefaults: boolean,
): NelmioOptions {
  const get = (key: string) => {
    const value = entry(map, key)?.value;
    return isDefaults || truthy(value) ? value : undefined;
  };
  const out: NelmioOptions = { ...base };
  const origins = get('allow_origin');
  if (origins) {
    const list = strings(origins);
    out.allowOrigin = list.some((o) => o.value === '*')
      ? true
      : list.map((o): NelmioOrigin => {
          // `%name%`: a container parameter, whose value may itself be an `%env(...)%`.
          const parameter = /^%([\w.-]+)%$/.exec(o.value);
          const written = parameter ? params.get(parameter[1]) : o.value;
          if (written === undefined) return { ...o, known: false };
          const placeholder = /^%env\((?:resolve:)?(\w+)\)%$/.exec(written);
          if (!placeholder) return { value: written, span: o.span, known: !/%env\(/.test(written) };
          const resolved = env.get(placeholder[1]);
          return {
            value: resolved ?? o.value,
            span: o.span,
            env: placeholder[1],
            known: resolved !== undefined,
          };
        });
  }
  const bool = (key: string) => {
    const value = get(key);
    return value?.kind === 'scalar' ? !!value.value : undefined;
  };
  out.originRegex = bool('origin_regex') ?? out.originRegex;
  out.allowCredentials = bool('allow_credentials') ?? out.allowCredentials;
  out.allowPrivateNetwork = bool('allow_private_network') ?? out.allowPrivateNetwork;
  const headers = get('allow_headers');
  if (headers)
    out.allowHeaders = strings(headers).some((h) => h.value === '*')
      ? true
      : strings(headers).map((h) => h.value.toLowerCase());
  const methods = get('allow_methods');
  if (methods) out.allowMethods = strings(methods).map((m) => m.value.toUpperCase());
  const expose = get('expose_headers');
  if (expose) out.exposeHeaders = strings(expose).map((h) => h.value);
  const maxAge = get('max_age');
  if (maxAge?.kind === 'scalar' && typeof maxAge.value === 'number') out.maxAge = maxAge.value;
  const forced = get('forced_allow_origin_value');
  if (forced?.kind === 'scalar' && forced.value) out.forcedAllowOriginValue = String(forced.value);
  return out;
}

const DEFAULTS: NelmioOptions = {
  allowOrigin: [],
  originRegex: false,
  allowCredentials: false,
  allowHeaders: [],
  allowMethods: [],
  exposeHeaders: [],
  maxAge: 0,
  allowPrivateNetwork: false,
};

const label = (text: string, span: Span) => {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, ' ');
  return raw.length > 70 ? `${raw.slice(0, 67)}...` : raw;
};

/** The neutral policy of one options set (a path's, or the defaults). */
function neutral(
  file: string,
  files: string[],
  text: string,
  facts: NelmioCorsFacts,
  opts: NelmioOptions,
  map: YamlValue | undefined,
  urlRegex: string | null,
  at: Span,
): Policy {
  const where = (key: string): SourceRef | undefined => {
    const e = entry(map, key) ?? entry(facts.defaultsMap, key);
    return e && { span: e.span, label: label(text, e.span), nameSpan: e.keySpan };
  };
  const originRef = where('allow_origin');
  const origins: OriginPolicy = {
    allowAll: false,
    exact: [],
    regexes: [],
    dynamic: false,
    envDriven: false,
    listAt: originRef,
  };
  // `*` is answered with the request's Origin, never `*`: every site is echoed. Without
  // credentials that reads what `*` reads (anonymous answers), so it is the allow-all the config
  // says; with them, the echo lets any site read the user's answers.
  if (opts.allowOrigin === true && !opts.allowCredentials) {
    origins.allowAll = true;
    origins.allowAllAt = originRef;
  } else if (opts.allowOrigin === true)
    origins.reflectAny = originRef && {
      ...originRef,
      label: `${originRef.label} with allow_credentials`,
    };
  else {
    for (const o of opts.allowOrigin) {
      if (!o.known) origins.dynamic = true;
      else if (opts.originRegex)
        origins.regexes.push({
          pattern: o.value,
          flavor: 'pcre',
          span: o.env ? undefined : o.span,
          flags: 'i',
        });
      else origins.exact.push({ value: o.value, span: o.env ? undefined : o.span });
      if (o.env) origins.envDriven = true;
    }
  }
  const names = (list: true | string[], key: string, option: string): NameList => ({
    names: list === true ? [] : list,
    wildcard: list === true,
    dynamic: false,
    at: where(key),
    option,
  });
  return {
    framework: 'nelmio-cors',
    file,
    files,
    at,
    configured: true,
    origins,
    credentials: opts.allowCredentials,
    credentialsAt: opts.allowCredentials ? where('allow_credentials') : undefined,
    credentialsOption: 'allow_credentials',
    methods: names(opts.allowMethods, 'allow_methods', 'allow_methods'),
    headers: names(opts.allowHeaders, 'allow_headers', 'allow_headers'),
    expose: names(opts.exposeHeaders, 'expose_headers', 'expose_headers'),
    maxAge: opts.maxAge || null,
    urlRegex,
    allowPrivateNetwork: opts.allowPrivateNetwork,
    // CacheableResponseVaryListener adds `Vary: Origin` to every cacheable response; others are not cached.
    varyAt: null,
    facts,
  };
}

/** The nelmio-cors policies of a `nelmio_cors.yaml`: one per path, then the defaults for the rest. */
export async function extractNelmioCors(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  const config = /\.php$/i.test(file) ? phpNelmioRoot(file, tree.root) : yamlValue(file, tree.root);
  const root = entry(config, 'nelmio_cors')?.value;
  if (root?.kind !== 'map') return [];
  const { env, params, files } = readEnv(file, reader);
  const vars = { env, params };
  const defaultsMap = entry(root, 'defaults')?.value;
  const defaults = options(defaultsMap, DEFAULTS, vars, true);
  const pathsMap = entry(root, 'paths')?.value;
  const paths =
    pathsMap?.kind === 'map'
      ? pathsMap.entries.map((e) => ({
          regex: e.key,
          options: options(e.value, defaults, vars, false),
          span: e.span,
          map: e.value,
        }))
      : [];
  const facts: NelmioCorsFacts = {
    defaults,
    paths: paths.map(({ regex, options: o, span }) => ({ regex, options: o, span })),
    defaultsMap,
  };
  const all = [file, ...files];
  // ConfigProvider searches each key anywhere in the path, case-insensitively; a policy's filter
  // matches from the start.
  const filter = (regex: string) => (regex.startsWith('^') ? regex.slice(1) : `.*(?:${regex})`);
  // A path that sets nothing (`'^/api/': ~`) answers with the defaults, as every unmatched path
  // does: the defaults' policy covers it.
  const own = paths.filter(
    (p) => p.map?.kind === 'map' && p.map.entries.some((e) => truthy(e.value)),
  );
  const policies = own.map((p) =>
    neutral(file, all, text, facts, p.options, p.map, filter(p.regex), p.span),
  );
  policies.push(neutral(file, all, text, facts, defaults, defaultsMap, null, root.span));
  return policies;
}
