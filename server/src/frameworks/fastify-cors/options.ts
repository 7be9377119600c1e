/**
 * `@fastify/cors` options → the neutral policy's fields and the values the plugin sends. Mirrors
 * `@fastify/cors/index.js` (11.4): options spread over the defaults (`origin: '*'`, methods
 * `GET,HEAD,POST`, `strictPreflight: true`), arrays joined with `, `, strings sent as written, an
 * array holding `'*'` sending `*`, `allowedHeaders` unset echoing the requested headers.
 * Before 11 the default methods were `GET,HEAD,PUT,PATCH,POST,DELETE` (read in the 8.5.0, 9.0.1,
 * 10.0.0 and 10.1.0 tarballs, not run here: the truth suite runs 11 on Fastify 5, and 8.x needs
 * Fastify 4); the project's package.json and lockfile say which major it runs.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, truthy, unwrap } from '../../lang/javascript/evaluate';
import {
  isFunctionNode,
  type JsOption,
  parameterNames,
  returnedExpression,
} from '../../lang/javascript/options-object';
import type { OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import { noOrigins } from '../../policy/types';
import {
  addOriginItems,
  credentialsOnAt,
  envDriven,
  everyOrigin,
  maxAgeSeconds,
  maxAgeSent,
  namesSent,
  oneOrigin,
  optionRef,
  sentText,
  trueFallback,
} from '../../lang/javascript/middleware-options';
import type { FastifyCorsFacts } from './facts';
import {
  branchesBeyondEcho,
  echoFallback,
  type EchoFallback,
} from '../../lang/javascript/origin-echo';

export interface FastifyOptionFields {
  policy: Pick<
    Policy,
    'origins' | 'credentials' | 'credentialsAt' | 'methods' | 'headers' | 'expose' | 'maxAge'
  >;
  facts: Omit<FastifyCorsFacts, 'scope' | 'routes'>;
}

/**
 * How an origin function that lets every origin in answers a request without one:
 * `(origin, cb) => cb(null, true)`, `async () => true` and `cb(null, origin)` add no
 * `Access-Control-Allow-Origin` (`none`); `cb(null, origin || '*')` sends `*` (`any`). Undefined:
 * it does not let every origin in. (`origin || ''` is no echo here: the plugin fails the request on
 * an empty value.)
 */
function everyOriginFallback(fn: Node): EchoFallback | undefined {
  const [origin, cb] = parameterNames(fn);
  const body = fn.childForFieldName('body');
  if (!body || branchesBeyondEcho(body, (n) => n.text === origin)) return undefined;
  const fallbackOf = (value: Node): EchoFallback | undefined => {
    if (unwrap(value).type === 'true') return 'none';
    const echo = echoFallback(value, (n) => n.text === origin);
    return echo === 'any' || unwrap(value).text === origin ? echo : undefined;
  };
  const returned = returnedExpression(fn);
  if (returned && !cb) return fallbackOf(returned);
  const calls = cb
    ? body
        .descendantsOfType('call_expression')
        .filter((c) => c?.childForFieldName('function')?.text === cb)
    : [];
  const fallbacks = new Set(
    calls.map((c) => {
      const args = (c?.childForFieldName('arguments')?.namedChildren ?? []).filter(
        (a): a is Node => !!a && a.type !== 'comment',
      );
      return args.length === 2 && ['null', 'undefined'].includes(unwrap(args[0]).type)
        ? fallbackOf(args[1])
        : undefined;
    }),
  );
  const [only] = fallbacks;
  return fallbacks.size === 1 ? only : undefined;
}

/** The `origin` option: the neutral allowlist and the plugin's mode. */
function originFields(
  js: JsEvaluator,
  option: JsOption | undefined,
  call: Span,
): { origins: OriginPolicy; mode: FastifyCorsFacts['origin'] } {
  const origins: OriginPolicy = noOrigins();
  if (!option)
    return {
      origins: everyOrigin({ span: call, label: '@fastify/cors without an origin option' }),
      mode: { kind: 'fixed', value: '*' },
    };
  const at = (label: string): SourceRef => ({ span: option.pair, label });
  const fn = option.node && js.resolveNode(option.node);
  if (fn && isFunctionNode(fn)) {
    const fallback = everyOriginFallback(fn);
    return {
      origins: fallback
        ? { ...origins, reflectAny: at('The origin function'), listAt: at('origin') }
        : { ...origins, dynamic: true, listAt: at('origin') },
      mode: fallback === 'any' ? { kind: 'match', missingAny: true } : { kind: 'match' },
    };
  }
  const { value } = option;
  if (value.kind === 'str' && value.value === '*')
    return {
      origins: everyOrigin(at(`origin: '*'`), envDriven(value)),
      mode: { kind: 'fixed', value: '*' },
    };
  if (value.kind === 'str' && value.value)
    return { origins: oneOrigin(value, at('origin')), mode: { kind: 'fixed', value: value.value } };
  if (value.kind === 'bool' && value.value)
    return { origins: { ...origins, reflectAny: at('origin: true') }, mode: { kind: 'match' } };
  if (value.kind === 'bool' && !value.value) return { origins, mode: { kind: 'off' } };
  const fallback = value.kind === 'dynamic' && option.node && trueFallback(js, option.node);
  if (fallback)
    return {
      origins: { ...origins, envDriven: envDriven(value), reflectAny: fallback },
      mode: { kind: 'match' },
    };
  if (value.kind === 'dynamic')
    return {
      origins: { ...origins, dynamic: true, envDriven: envDriven(value), listAt: at('origin') },
      mode: { kind: 'match' },
    };
  const items = value.kind === 'list' ? value.items : [value];
  if (items.some((i) => i.kind === 'str' && i.value === '*'))
    return {
      origins: everyOrigin(at(`'*' in origin`), envDriven(value)),
      mode: { kind: 'fixed', value: '*' },
    };
  addOriginItems(origins, items, (item) => {
    if (item.kind === 'bool' && item.value) origins.reflectAny = at('true in origin');
    else if (truthy(item) !== false) origins.dynamic = true;
  });
  return {
    origins: { ...origins, envDriven: origins.envDriven || envDriven(value), listAt: at('origin') },
    mode: { kind: 'match' },
  };
}

const flag = (option: JsOption | undefined, fallback: boolean): boolean =>
  option ? (truthy(option.value) ?? fallback) : fallback;

/** The methods @fastify/cors allows when not told: its major's default (11's when not known). */
export const defaultMethods = (major: number | undefined): string =>
  major !== undefined && major < 11 ? 'GET,HEAD,PUT,PATCH,POST,DELETE' : 'GET,HEAD,POST';

/** The fields of one `register(cors, options)`; undefined when the options are not a readable object. */
export function readFastifyOptions(
  js: JsEvaluator,
  entries: Map<string, JsOption> | undefined,
  options: Span | undefined,
  call: Span,
  major: number | undefined,
): FastifyOptionFields | undefined {
  if (!entries) return undefined;
  const get = (key: string) => entries.get(key);
  const ref = (key: string) => optionRef(get(key), key);
  const methods = get('methods')
    ? sentText(get('methods')!.value, ', ', false)
    : defaultMethods(major);
  const headers = sentText(get('allowedHeaders')?.value, ', ', false);
  const expose = sentText(get('exposedHeaders')?.value, ', ', false);
  const maxAge = get('maxAge')?.value;
  const credentials = get('credentials')?.value;
  const credentialsOn = !credentials
    ? false
    : credentials.kind === 'dynamic'
      ? 'dynamic'
      : truthy(credentials) === true;
  const cacheControl = get('cacheControl')?.value;
  const status = get('optionsSuccessStatus')?.value;
  const { origins, mode } = originFields(js, get('origin'), call);
  return {
    policy: {
      origins,
      credentials: credentialsOn,
      credentialsAt: credentialsOnAt(credentialsOn, get('credentials')),
      methods: namesSent(methods, ref('methods'), false, 'methods'),
      headers: namesSent(headers, ref('allowedHeaders'), true, 'allowedHeaders'),
      expose: namesSent(expose, ref('exposedHeaders'), false, 'exposedHeaders'),
      maxAge: maxAgeSeconds(maxAge),
    },
    facts: {
      origin: mode,
      methods: methods === 'dynamic' ? defaultMethods(major) : (methods ?? ''),
      allowedHeaders: headers === 'dynamic' ? undefined : headers,
      exposedHeaders: expose === 'dynamic' ? undefined : expose,
      maxAge: maxAgeSent(maxAge),
      cacheControl:
        cacheControl?.kind === 'int' && Number.isInteger(cacheControl.value)
          ? `max-age=${cacheControl.value}`
          : cacheControl?.kind === 'str'
            ? cacheControl.value
            : undefined,
      preflight: flag(get('preflight'), true),
      strictPreflight: flag(get('strictPreflight'), true),
      preflightContinue: flag(get('preflightContinue'), false),
      optionsSuccessStatus: status?.kind === 'int' ? status.value : 204,
      options,
      call,
    },
  };
}
