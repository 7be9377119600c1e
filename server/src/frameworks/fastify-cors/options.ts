/**
 * `@fastify/cors` options → the neutral policy's fields and the values the plugin sends. Mirrors
 * `@fastify/cors/index.js` (11.4): options spread over the defaults (`origin: '*'`, methods
 * `GET,HEAD,POST`, `strictPreflight: true`), arrays joined with `, `, strings sent as written, an
 * array holding `'*'` sending `*`, `allowedHeaders` unset echoing the requested headers.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, truthy, unwrap } from '../../lang/javascript/evaluate';
import {
  isFunctionNode,
  type JsOption,
  parameterNames,
  returnedExpression,
} from '../../lang/javascript/options-object';
import type {
  NameList,
  OriginPolicy,
  Policy,
  SourceRef,
  Span,
  StaticValue,
} from '../../policy/types';
import { noOrigins } from '../../policy/types';
import type { FastifyCorsFacts } from './facts';

export interface FastifyOptionFields {
  policy: Pick<
    Policy,
    'origins' | 'credentials' | 'credentialsAt' | 'methods' | 'headers' | 'expose' | 'maxAge'
  >;
  facts: Omit<FastifyCorsFacts, 'scope' | 'routes'>;
}

const env = (value: StaticValue): boolean => 'envDriven' in value && !!value.envDriven;

/** A string or array option as the plugin sends it (`join(', ')`); `dynamic` when unknown. */
function sent(value: StaticValue | undefined): string | undefined | 'dynamic' {
  if (!value || value.kind === 'none') return undefined;
  if (value.kind === 'str') return value.value;
  if (value.kind === 'list')
    return value.items.every((i) => i.kind === 'str')
      ? value.items.map((i) => (i.kind === 'str' ? i.value : '')).join(', ')
      : 'dynamic';
  return 'dynamic';
}

function nameList(
  text: string | undefined | 'dynamic',
  at: SourceRef | undefined,
  option: string,
  echoWhenUnset: boolean,
): NameList {
  if (text === 'dynamic') return { names: [], wildcard: false, dynamic: true, at, option };
  const names = (text ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return { names, wildcard: echoWhenUnset && text === undefined, dynamic: false, at, option };
}

/** Whether an origin function lets every origin in: `(origin, cb) => cb(null, true)`, `async () => true`. */
function reflectsEveryOrigin(fn: Node): boolean {
  const [origin, cb] = parameterNames(fn);
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const branches = [
    'if_statement',
    'ternary_expression',
    'switch_statement',
    'try_statement',
    'binary_expression',
  ].some((t) => body.descendantsOfType(t).length > 0);
  if (branches) return false;
  const returned = returnedExpression(fn);
  if (returned && (returned.type === 'true' || returned.text === origin) && !cb) return true;
  const calls = cb
    ? body
        .descendantsOfType('call_expression')
        .filter((c) => c?.childForFieldName('function')?.text === cb)
    : [];
  return (
    calls.length > 0 &&
    calls.every((c) => {
      const args = (c?.childForFieldName('arguments')?.namedChildren ?? []).filter(
        (a): a is Node => !!a && a.type !== 'comment',
      );
      return (
        args.length === 2 &&
        ['null', 'undefined'].includes(unwrap(args[0]).type) &&
        (unwrap(args[1]).type === 'true' || unwrap(args[1]).text === origin)
      );
    })
  );
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
      origins: {
        ...origins,
        allowAll: true,
        allowAllAt: { span: call, label: '@fastify/cors without an origin option' },
      },
      mode: { kind: 'fixed', value: '*' },
    };
  const at = (label: string): SourceRef => ({ span: option.pair, label });
  const fn = option.node && js.resolveNode(option.node);
  if (fn && isFunctionNode(fn)) {
    const reflect = reflectsEveryOrigin(fn);
    return {
      origins: reflect
        ? { ...origins, reflectAny: at('The origin function'), listAt: at('origin') }
        : { ...origins, dynamic: true, listAt: at('origin') },
      mode: { kind: 'match' },
    };
  }
  const { value } = option;
  if (value.kind === 'str' && value.value === '*')
    return {
      origins: { ...origins, allowAll: true, allowAllAt: at(`origin: '*'`), envDriven: env(value) },
      mode: { kind: 'fixed', value: '*' },
    };
  if (value.kind === 'str' && value.value)
    return {
      origins: {
        ...origins,
        exact: [{ value: value.value, span: value.span }],
        listAt: at('origin'),
        envDriven: env(value),
      },
      mode: { kind: 'fixed', value: value.value },
    };
  if (value.kind === 'bool' && value.value)
    return { origins: { ...origins, reflectAny: at('origin: true') }, mode: { kind: 'match' } };
  if (value.kind === 'bool' && !value.value) return { origins, mode: { kind: 'off' } };
  if (value.kind === 'dynamic')
    return {
      origins: { ...origins, dynamic: true, envDriven: env(value), listAt: at('origin') },
      mode: { kind: 'match' },
    };
  const items = value.kind === 'list' ? value.items : [value];
  if (items.some((i) => i.kind === 'str' && i.value === '*'))
    return {
      origins: {
        ...origins,
        allowAll: true,
        allowAllAt: at(`'*' in origin`),
        envDriven: env(value),
      },
      mode: { kind: 'fixed', value: '*' },
    };
  for (const item of items) {
    if (item.kind === 'str') origins.exact.push({ value: item.value, span: item.span });
    else if (item.kind === 'regex')
      origins.regexes.push({
        pattern: item.pattern,
        flags: item.flags,
        flavor: 'js',
        span: item.span,
      });
    else if (item.kind === 'bool' && item.value) origins.reflectAny = at('true in origin');
    else if (truthy(item) !== false) origins.dynamic = true;
    if (env(item)) origins.envDriven = true;
  }
  return {
    origins: { ...origins, envDriven: origins.envDriven || env(value), listAt: at('origin') },
    mode: { kind: 'match' },
  };
}

const flag = (option: JsOption | undefined, fallback: boolean): boolean =>
  option ? (truthy(option.value) ?? fallback) : fallback;

/** The fields of one `register(cors, options)`; undefined when the options are not a readable object. */
export function readFastifyOptions(
  js: JsEvaluator,
  entries: Map<string, JsOption> | undefined,
  options: Span | undefined,
  call: Span,
): FastifyOptionFields | undefined {
  if (!entries) return undefined;
  const get = (key: string) => entries.get(key);
  const ref = (key: string): SourceRef | undefined => {
    const option = get(key);
    return option && { span: option.pair, label: key };
  };
  const methods = get('methods') ? sent(get('methods')!.value) : 'GET,HEAD,POST';
  const headers = sent(get('allowedHeaders')?.value);
  const expose = sent(get('exposedHeaders')?.value);
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
      credentialsAt:
        credentialsOn === true
          ? { span: get('credentials')!.pair, label: 'credentials: true' }
          : undefined,
      methods: nameList(methods, ref('methods'), 'methods', false),
      headers: nameList(headers, ref('allowedHeaders'), 'allowedHeaders', true),
      expose: nameList(expose, ref('exposedHeaders'), 'exposedHeaders', false),
      maxAge:
        !maxAge || maxAge.kind === 'none' ? null : maxAge.kind === 'int' ? maxAge.value : 'dynamic',
    },
    facts: {
      origin: mode,
      methods: methods === 'dynamic' ? 'GET,HEAD,POST' : (methods ?? ''),
      allowedHeaders: headers === 'dynamic' ? undefined : headers,
      exposedHeaders: expose === 'dynamic' ? undefined : expose,
      maxAge: maxAge?.kind === 'int' || maxAge?.kind === 'str' ? String(maxAge.value) : undefined,
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
