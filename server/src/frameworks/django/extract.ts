import { declares, declaresWithout, pinnedBelow } from '../../lang/python/requirements';
import type { SourceTree } from '../../parsing/source-tree';
import {
  factsOf,
  type NameList,
  type OriginPolicy,
  type Policy,
  type Setting,
  type StaticValue,
} from '../../policy/types';
import { environmentOf } from '../../environment/resolve';
import { matchesWithinBudget } from '../../base/budget';
import { parseText } from '../../parsing/parser';
import { signalReceiver, type SignalReceiver } from './signal';
import { configurationSettings } from './configuration-classes';
import type { DjangoFacts } from './facts';
import { SettingsModuleReader } from '../../lang/python/settings-module';
import { partialStrings } from '../../lang/python/evaluate';
import type { SourceReader } from '../../base/source-reader';
import { namesReadByGetattr } from './config-source';
import { allowAllStandsIn, overriddenNames } from './overridden';
import { decidedForDevelopment } from './development-decides';
import { CORS_MIDDLEWARE, corsheadersModules, defaultHeaders, defaultMethods } from './defaults';

/** The setting names django-cors-headers reads, new name first, deprecated alias second. */
export const corsSettingAliases = {
  CORS_ALLOW_ALL_ORIGINS: 'CORS_ORIGIN_ALLOW_ALL',
  CORS_ALLOWED_ORIGINS: 'CORS_ORIGIN_WHITELIST',
  CORS_ALLOWED_ORIGIN_REGEXES: 'CORS_ORIGIN_REGEX_WHITELIST',
} as const;

/**
 * The settings django-cors-headers, allauth headless and our checks read (`ALLOWED_HOSTS` and
 * `CSRF_TRUSTED_ORIGINS` name the production site: works-in-dev-only's origins; WhiteNoise's).
 */
const isCorsRelevant = (name: string) =>
  /^(CORS_|HEADLESS_)\w*$/.test(name) ||
  [
    'INSTALLED_APPS',
    'MIDDLEWARE',
    'ALLOWED_HOSTS',
    'CSRF_TRUSTED_ORIGINS',
    // What WhiteNoise serves ahead of CorsMiddleware, and the header it sends there.
    'STATIC_URL',
    'WHITENOISE_ALLOW_ALL_ORIGINS',
    // Whether CommonMiddleware ever answers ahead of CorsMiddleware.
    'APPEND_SLASH',
    'PREPEND_WWW',
    'DISALLOWED_USER_AGENTS',
  ].includes(name);

/**
 * Whether a settings module sets up django-cors-headers. HEADLESS_* alone does not count: an
 * allauth headless frontend served from the API's own origin needs no CORS.
 */
function configuresCors(settings: Map<string, Setting>): boolean {
  const mentions = (name: string, needle: string) => {
    const value = settings.get(name)?.value;
    return (
      value?.kind === 'list' &&
      value.items.some((i) => i.kind === 'str' && i.value.startsWith(needle))
    );
  };
  if (mentions('INSTALLED_APPS', 'corsheaders') || mentions('MIDDLEWARE', 'corsheaders.'))
    return true;
  const names = [...settings.keys()].filter((name) => name.startsWith('CORS_'));
  // Flask-CORS reads `app.config` keys of the same prefix (CORS_ORIGINS, CORS_SUPPORTS_CREDENTIALS):
  // a module with only those configures Flask, not django-cors-headers.
  if (
    names.some((name) => FLASK_CORS_ONLY.has(name)) &&
    !names.some((name) => DJANGO_ONLY.has(name))
  )
    return false;
  return names.length > 0;
}

/**
 * A module of `CORS_*` constants in a project that is not a Django one: its dependency files name
 * no Django, or the module imports another web framework, and nothing installs corsheaders. A
 * FastAPI app's `config.py` with `CORS_ALLOWED_ORIGINS = [... "*"]` feeds CORSMiddleware, where
 * `*` is allow-all, not an origin without a scheme (romm's shape, held-out batch 28).
 */
function notDjango(
  file: string,
  text: string,
  settings: Map<string, Setting>,
  reader: SourceReader,
): boolean {
  const installs = ['INSTALLED_APPS', 'MIDDLEWARE'].some((name) => settings.has(name));
  if (installs || /\bdjango\b/i.test(text)) return false;
  return (
    /^[ \t]*(?:from|import)[ \t]+(?:fastapi|starlette|flask|quart|sanic|litestar|aiohttp|pydantic_settings)\b/m.test(
      text,
    ) || declaresWithout(file, reader, /\bdjango\b/i)
  );
}

/**
 * django-cors-middleware (zestedesavoir's fork of django-cors-headers 1.x, same `corsheaders`
 * module) declared instead of django-cors-headers: it knows only the `CORS_ORIGIN_*` names
 * (read in its 1.5.0 `corsheaders/defaults.py`; drf-blog-api, held-out batch 36).
 */
const corsMiddlewareFork = (file: string, reader: SourceReader): boolean =>
  declares(file, reader, /\bdjango[-_]cors[-_]middleware\b/i) &&
  !declares(file, reader, /\bdjango[-_]cors[-_]headers\b/i);

/** Flask-CORS configuration keys that django-cors-headers does not read. */
const FLASK_CORS_ONLY = new Set([
  'CORS_ORIGINS',
  'CORS_SUPPORTS_CREDENTIALS',
  'CORS_METHODS',
  'CORS_RESOURCES',
  'CORS_SEND_WILDCARD',
  'CORS_AUTOMATIC_OPTIONS',
  'CORS_VARY_HEADER',
  'CORS_ALWAYS_SEND',
  'CORS_INTERCEPT_EXCEPTIONS',
]);

/** django-cors-headers settings that Flask-CORS does not read. */
const DJANGO_ONLY = new Set([
  'CORS_ALLOWED_ORIGINS',
  'CORS_ALLOW_ALL_ORIGINS',
  'CORS_ORIGIN_WHITELIST',
  'CORS_ORIGIN_ALLOW_ALL',
  'CORS_ALLOWED_ORIGIN_REGEXES',
  'CORS_ORIGIN_REGEX_WHITELIST',
  'CORS_ALLOW_CREDENTIALS',
  'CORS_URLS_REGEX',
  'CORS_PREFLIGHT_MAX_AGE',
]);

/**
 * `CORS_*` names this module's own functions or classes read: constants of a hand-written
 * middleware (`CORS_ALLOWED_ORIGINS = "*"` written into the header it sets), not settings the
 * library reads.
 */
function ownConstants(text: string, tree: SourceTree, names: string[]): Set<string> {
  const wanted = new Set(names);
  const found = new Set<string>();
  // Found by text, confirmed by the tree: a keystroke must not walk every node of a long module.
  for (const match of matchesWithinBudget(text, /(?<![\p{L}\p{N}_])CORS_[\p{L}\p{N}_]*/gu)) {
    const name = match[0];
    if (!wanted.has(name) || found.has(name)) continue;
    // At the start of a line: a module-level statement (a definition's body is indented).
    if (match.index === 0 || text[match.index - 1] === '\n') continue;
    const path = tree.ancestorsAt(match.index);
    const id = path[path.length - 1];
    const inside = path.some(
      (n) => n.type === 'function_definition' || n.type === 'class_definition',
    );
    if (id.type === 'identifier' && id.text === name && inside) found.add(name);
  }
  return found;
}

/** The effective value of a setting read through its deprecated alias, as corsheaders' conf does. */
export function effectiveSetting(
  settings: Map<string, Setting>,
  name: string,
): Setting | undefined {
  const alias = (corsSettingAliases as Record<string, string>)[name];
  return settings.get(name) ?? (alias ? settings.get(alias) : undefined);
}

const strings = (value: StaticValue | undefined) =>
  value?.kind === 'list' ? value.items.flatMap((i) => (i.kind === 'str' ? [i] : [])) : [];
const hasDynamic = (value: StaticValue | undefined) =>
  value?.kind === 'dynamic' ||
  (value?.kind === 'list' && value.items.some((i) => i.kind === 'dynamic'));
const isEnv = (value: StaticValue | undefined) =>
  !!value &&
  value.kind !== 'dynamic' &&
  value.kind !== 'none' &&
  (('envDriven' in value && !!value.envDriven) ||
    (value.kind === 'list' && value.items.some((i) => 'envDriven' in i && i.envDriven)));

function nameList(settings: Map<string, Setting>, option: string, fallback: string[]): NameList {
  const setting = settings.get(option);
  const value = setting?.value;
  if (!setting || !value) return { names: fallback, wildcard: false, dynamic: false, option };
  const at = { span: setting.statement, label: setting.name, nameSpan: setting.nameSpan };
  // A bare string is iterated per character by corsheaders (`", ".join("abc")` is "a, b, c").
  const names = value.kind === 'str' ? [...value.value] : strings(value).map((s) => s.value);
  return {
    names,
    wildcard: false,
    dynamic: hasDynamic(value) || (value.kind !== 'list' && value.kind !== 'str'),
    at,
    option,
  };
}

function bool(value: StaticValue | undefined, fallback: boolean): boolean | 'dynamic' {
  if (!value) return fallback;
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'dynamic') return 'dynamic';
  // Settings are used for their truthiness.
  if (value.kind === 'str') return value.value !== '';
  if (value.kind === 'int') return value.value !== 0;
  if (value.kind === 'list') return value.items.length > 0;
  return false;
}

function origins(settings: Map<string, Setting>): OriginPolicy {
  const allowAll = effectiveSetting(settings, 'CORS_ALLOW_ALL_ORIGINS')?.value;
  const exact = effectiveSetting(settings, 'CORS_ALLOWED_ORIGINS')?.value;
  const regexes = effectiveSetting(settings, 'CORS_ALLOWED_ORIGIN_REGEXES')?.value;
  const all = bool(allowAll, false);
  const allowAllSetting = effectiveSetting(settings, 'CORS_ALLOW_ALL_ORIGINS');
  const listSetting = effectiveSetting(settings, 'CORS_ALLOWED_ORIGINS');
  // Where the allowed origins are written: the list, else the regexes (URLDRF's two localhost
  // patterns under CORS_ALLOW_ALL_ORIGINS, held-out batch 44).
  const writtenList = listSetting ?? effectiveSetting(settings, 'CORS_ALLOWED_ORIGIN_REGEXES');
  return {
    allowAllAt:
      all === true && allowAllSetting
        ? { span: allowAllSetting.statement, label: allowAllSetting.name }
        : undefined,
    listAt: writtenList ? { span: writtenList.value.span, label: writtenList.name } : undefined,
    partial: partialStrings(exact),
    iteratedString:
      exact?.kind === 'str' && listSetting
        ? { span: exact.span, label: listSetting.name, envDriven: !!exact.envDriven }
        : // An environment variable read as is (`os.environ.get("X", [])`: artemmj, held-out
          // batch 57): one string wherever it is set.
          (exact?.kind === 'dynamic' || exact?.kind === 'list') && exact.envText && listSetting
          ? {
              span: listSetting.statement,
              label: listSetting.name,
              envDriven: true,
              envText: exact.envText,
            }
          : undefined,
    allowAll: all === true,
    exact:
      exact?.kind === 'str'
        ? [...exact.value].map((value) => ({ value, span: exact.span }))
        : strings(exact).map((s) => ({ value: s.value, span: s.span })),
    regexes: strings(regexes).map((s) => ({
      pattern: s.value,
      flavor: 'python-match' as const,
      span: s.span,
    })),
    dynamic: all === 'dynamic' || hasDynamic(exact) || hasDynamic(regexes),
    envDriven: isEnv(allowAll) || isEnv(exact) || isEnv(regexes),
  };
}

/** Where CorsMiddleware stands: the model sends nothing without it. */
function middlewareFacts(
  value: StaticValue | undefined,
): Pick<DjangoFacts, 'corsMiddleware' | 'middleware'> {
  // A settings fragment without MIDDLEWARE (it may come from a file we cannot see) is unknown.
  if (!value) return { corsMiddleware: 'dynamic' };
  if (value.kind !== 'list' || hasDynamic(value)) return { corsMiddleware: 'dynamic' };
  const middleware = strings(value).map((s) => s.value);
  return {
    corsMiddleware: middleware.includes(CORS_MIDDLEWARE) ? 'present' : 'missing',
    middleware,
  };
}

/**
 * The django-cors-headers policy of a settings module (with the settings files it imports),
 * or null when the module does not configure CORS.
 */
export async function extractDjango(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy | null> {
  const module = await new SettingsModuleReader(reader, corsheadersModules, isCorsRelevant).read(
    file,
    text,
    tree,
  );
  const { settings } = module;
  for (const name of ownConstants(
    text,
    tree,
    [...settings.keys()].filter((n) => n.startsWith('CORS_')),
  ))
    settings.delete(name);
  // django-configurations: the class in force holds the settings (class attributes, not constants).
  const classBased = await configurationSettings(file, text, tree, reader, isCorsRelevant);
  for (const [name, setting] of classBased?.settings ?? []) settings.set(name, setting);
  // A fragment's settings that the project's settings module sets again after it.
  const ownCors = [...settings].filter(
    ([n, s]) => n.startsWith('CORS_') && s.statement.file === file,
  );
  const overrides = await overriddenNames(
    file,
    ownCors.map(([n]) => n),
    reader,
  );
  for (const name of overrides.everywhere) settings.delete(name);
  if (!configuresCors(settings) || notDjango(file, text, settings, reader)) {
    const receiver = signalReceiver(file, text, tree);
    return receiver ? signalPolicy(file, receiver, reader) : null;
  }
  const policy = policyOf(file, settings, module.files, reader);
  const stands = policy.origins.allowAll ? allowAllStandsIn(overrides) : undefined;
  return stands ? { ...policy, environments: stands } : policy;
}

/** The policy a settings map gives (`file`: where it is reported). */
function policyOf(
  file: string,
  settings: Map<string, Setting>,
  files: string[],
  reader: SourceReader,
): Policy {
  const get = (name: string) => settings.get(name)?.value;
  const middleware = middlewareFacts(get('MIDDLEWARE'));
  const middlewareSetting = settings.get('MIDDLEWARE');
  const maxAge = get('CORS_PREFLIGHT_MAX_AGE');
  const urlRegex = get('CORS_URLS_REGEX');
  const originPolicy = origins(settings);
  const allowAllAt = originPolicy.allowAllAt?.span;
  return {
    framework: 'django',
    file,
    configured: true,
    inactive:
      middleware.corsMiddleware === 'missing' && middlewareSetting
        ? {
            span: middlewareSetting.nameSpan,
            label: 'MIDDLEWARE lacks corsheaders.middleware.CorsMiddleware',
          }
        : undefined,
    origins: originPolicy,
    decidedForDevelopmentAt: allowAllAt && decidedForDevelopment(allowAllAt, reader),
    credentials: bool(get('CORS_ALLOW_CREDENTIALS'), false),
    credentialsAt: settings.has('CORS_ALLOW_CREDENTIALS')
      ? { span: settings.get('CORS_ALLOW_CREDENTIALS')!.statement, label: 'CORS_ALLOW_CREDENTIALS' }
      : undefined,
    credentialsOption: 'CORS_ALLOW_CREDENTIALS',
    methods: nameList(settings, 'CORS_ALLOW_METHODS', defaultMethods),
    headers: nameList(settings, 'CORS_ALLOW_HEADERS', defaultHeaders),
    expose: nameList(settings, 'CORS_EXPOSE_HEADERS', []),
    maxAge: maxAge === undefined ? 86400 : maxAge.kind === 'int' ? maxAge.value : 'dynamic',
    urlRegex:
      urlRegex === undefined ? '^.*$' : urlRegex.kind === 'str' ? urlRegex.value : 'dynamic',
    allowPrivateNetwork: false,
    files,
    facts: {
      settings,
      ...middleware,
      readByGetattr: namesReadByGetattr(
        file,
        [...settings.keys()].filter((name) => name.startsWith('CORS_')),
        reader,
      ),
      ...(pinnedBelow(file, reader, 'django-cors-headers', '3.5.0') ||
      corsMiddlewareFork(file, reader)
        ? { before35: true }
        : {}),
      ...(pinnedBelow(file, reader, 'django-cors-headers', '3.0.0') ? { before30: true } : {}),
    },
  };
}

/**
 * A module connecting a `check_request_enabled` receiver: the settings of the project's settings
 * module (the library's defaults when none is found), with every origin let in by the receiver.
 * What the receiver returns is not read: it is taken to enable every request.
 */
async function signalPolicy(
  file: string,
  { at: receiver, testsOrigin }: SignalReceiver,
  reader: SourceReader,
): Promise<Policy> {
  const settingsFile = ['production', 'development']
    .map((name) => environmentOf(name, file, reader).settings?.file)
    .find((f) => f !== undefined && f !== file);
  const text = settingsFile && reader.read(settingsFile);
  let base: Policy | null = null;
  if (settingsFile && text !== undefined) {
    const tree = await parseText('python', text);
    try {
      base = await extractDjango(settingsFile, text, tree, reader);
    } finally {
      tree.delete();
    }
  }
  base ??= policyOf(file, new Map(), [file], reader);
  const facts = factsOf(base, 'django');
  return {
    ...base,
    file,
    files: [...new Set([file, ...base.files])],
    at: receiver.span,
    // A receiver that tests the Origin lets in the origins it reads at run time; one that does
    // not lets every origin in.
    origins: testsOrigin
      ? { ...base.origins, dynamic: true, echoesConfigured: receiver }
      : { ...base.origins, allowAll: true, allowAllAt: receiver },
    urlRegex: testsOrigin ? base.urlRegex : '^.*$',
    inactive: undefined,
    facts: facts && {
      ...facts,
      signal: { at: receiver, settingsAllowAll: base.origins.allowAll, testsOrigin },
    },
  };
}
