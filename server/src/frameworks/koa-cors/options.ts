/**
 * `@koa/cors` 5 options → the neutral policy's fields and the values the middleware sends.
 * Mirrors `@koa/cors/index.js` (5.0.0): arrays joined with `,`, `maxAge` sent when truthy,
 * `allowHeaders` unset echoing the requested headers, `origin` unset meaning `'*'`, and `'*'` with
 * credentials echoing the request Origin (so every site gets credentialed access).
 */
import type { Node } from 'web-tree-sitter';
import { echoFallback } from '../../lang/javascript/origin-echo';
import { type JsEvaluator, truthy, unwrap } from '../../lang/javascript/evaluate';
import {
  isFunctionNode,
  type JsOption,
  parameterNames,
  returnedExpression,
} from '../../lang/javascript/options-object';
import type { OriginPolicy, Policy, SourceRef, Span, StaticValue } from '../../policy/types';
import { noOrigins } from '../../policy/types';
import {
  credentialsOnAt,
  envDriven,
  namesSent,
  optionRef,
  sentText,
} from '../../lang/javascript/middleware-options';
import type { KoaLibraryFacts, KoaVariant } from './facts';
import { originRead } from './request-origin';
import {
  ignoredOptions,
  type OptionNames,
  SHARED_NEAR,
  SHARED_WITHOUT,
} from '../../lang/javascript/ignored-options';

const DEFAULT_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';
/** koa2-cors' `allowMethods` default, sent on every preflight. */
const KOA2_DEFAULT_METHODS = 'GET,PUT,POST,PATCH,DELETE,HEAD,OPTIONS';

/** `@koa/cors`'s option names: the cors package's `allowedHeaders` is a near miss here. */
const KOA_OPTIONS: OptionNames = {
  library: '@koa/cors',
  without: {
    origin: SHARED_WITHOUT.origin,
    credentials: SHARED_WITHOUT.credentials,
    allowHeaders: SHARED_WITHOUT.allowed,
    exposeHeaders: SHARED_WITHOUT.exposed,
    allowMethods: `its preflights allow its default methods (${DEFAULT_METHODS})`,
    maxAge: SHARED_WITHOUT.maxAge,
  },
  others: ['keepHeadersOnError', 'secureContext', 'privateNetworkAccess'],
  near: {
    ...SHARED_NEAR,
    allowedheaders: 'allowHeaders',
    allowedheader: 'allowHeaders',
    allowheader: 'allowHeaders',
    headers: 'allowHeaders',
    allow_headers: 'allowHeaders',
    exposedheaders: 'exposeHeaders',
    exposedheader: 'exposeHeaders',
    exposeheader: 'exposeHeaders',
    expose_headers: 'exposeHeaders',
    methods: 'allowMethods',
    method: 'allowMethods',
    allowedmethods: 'allowMethods',
  },
};

export interface KoaOptionFields {
  policy: Pick<
    Policy,
    | 'origins'
    | 'credentials'
    | 'credentialsAt'
    | 'credentialsOption'
    | 'methods'
    | 'headers'
    | 'expose'
    | 'maxAge'
    | 'allowPrivateNetwork'
    | 'ignoredOptions'
  >;
  facts: KoaLibraryFacts;
}

/**
 * `LIST.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''` (or `.has`): the allowlist an origin
 * function checks, when it is that ternary with a falsy other branch.
 */
function listTest(
  js: JsEvaluator,
  returned: Node,
  ctx: string,
): Pick<OriginPolicy, 'exact' | 'dynamic' | 'envDriven'> | undefined {
  if (returned.type !== 'ternary_expression') return undefined;
  const condition = returned.childForFieldName('condition');
  const yes = returned.childForFieldName('consequence');
  const no = returned.childForFieldName('alternative');
  const test = condition && unwrap(condition);
  const fn = test?.type === 'call_expression' ? test.childForFieldName('function') : undefined;
  const arg = test
    ?.childForFieldName('arguments')
    ?.namedChildren.find((a) => a && a.type !== 'comment');
  const target = fn?.childForFieldName('object');
  if (
    !yes ||
    !no ||
    !arg ||
    !target ||
    !['includes', 'has'].includes(fn?.childForFieldName('property')?.text ?? '')
  )
    return undefined;
  if (!originRead(arg, ctx, js) || !originRead(yes, ctx, js) || truthy(js.evaluate(no)) !== false)
    return undefined;
  const value = js.evaluate(target);
  if (value.kind !== 'list') return { exact: [], dynamic: true, envDriven: envDriven(value) };
  const exact = value.items.flatMap((i) =>
    i.kind === 'str' ? [{ value: i.value, span: i.span }] : [],
  );
  return {
    exact,
    dynamic: exact.length !== value.items.length,
    envDriven: envDriven(value) || value.items.some(envDriven),
  };
}

/** `ctx.headers.Origin`: Node lowercases the names of the request's headers, so it is never set. */
function neverSet(node: Node, ctx: string): boolean {
  const at = ctx.replace(/[$]/g, '\\$');
  return new RegExp(`^${at}(?:\\.request)?\\.headers?\\.(?=\\w*[A-Z])\\w+$`).test(node.text);
}

/** The operands of an `a || b || c` chain, left to right. */
function orChain(node: Node): Node[] {
  const inner = unwrap(node);
  const left = inner.childForFieldName('left');
  const right = inner.childForFieldName('right');
  return inner.type === 'binary_expression' &&
    inner.childForFieldName('operator')?.text === '||' &&
    left &&
    right
    ? [...orChain(left), ...orChain(right)]
    : [inner];
}

/**
 * An origin function's value that echoes the request's Origin, and what it returns for a request
 * without one: `ctx.get('Origin') || '*'`, or a fixed site (`ctx.headers.Origin ||
 * ctx.headers.origin || 'http://127.0.0.1'`: vip-project's koa2-cors, held-out batch 36, lets every
 * site in); undefined when it does not echo.
 */
function originEcho(
  js: JsEvaluator,
  returned: Node,
  ctx: string,
): { missing?: string } | undefined {
  const isOrigin = (n: Node) => !!originRead(n, ctx, js);
  const echo = echoFallback(returned, isOrigin);
  if (echo) return echo === 'any' ? { missing: '*' } : {};
  const live = orChain(returned).filter((n) => !neverSet(n, ctx));
  if (live.length && live.every(isOrigin)) return {};
  const reads = live.slice(0, -1);
  if (!reads.length || !reads.every(isOrigin)) return undefined;
  const fallback = js.evaluate(live[live.length - 1]);
  if (truthy(fallback) === false) return {};
  return fallback.kind === 'str' ? { missing: fallback.value } : undefined;
}

/** The one string a function returns whatever the request (`() => '*'`), if it does. */
function constantReturn(js: JsEvaluator, fn: Node): StaticValue | undefined {
  const returned = returnedExpression(fn);
  const value = returned && js.evaluate(returned);
  return value?.kind === 'str' ? value : undefined;
}

/** koa2-cors reads the same names, without @koa/cors' later additions. */
const KOA2_OPTIONS: OptionNames = {
  ...KOA_OPTIONS,
  library: 'koa2-cors',
  without: {
    ...KOA_OPTIONS.without,
    allowMethods: `its preflights allow its default methods (${KOA2_DEFAULT_METHODS})`,
  },
  others: [],
};

/** The fields of one `cors(options)`; undefined when the options are not a readable object. */
export function readKoaOptions(
  js: JsEvaluator,
  entries: Map<string, JsOption> | undefined,
  options: Span | undefined,
  call: Span,
  variant?: KoaVariant,
): KoaOptionFields | undefined {
  if (!entries) return undefined;
  const get = (key: string) => entries.get(key);
  const koa2 = variant === 'koa2-cors';
  const ignored = ignoredOptions(entries, koa2 ? KOA2_OPTIONS : KOA_OPTIONS);
  const ref = (key: string) => optionRef(get(key), key);
  const credentialsOption = get('credentials');
  const credentialsFn =
    credentialsOption?.node && isFunctionNode(js.resolveNode(credentialsOption.node));
  const credentials: boolean | 'dynamic' = !credentialsOption
    ? false
    : credentialsFn || credentialsOption.value.kind === 'dynamic'
      ? 'dynamic'
      : truthy(credentialsOption.value) === true;
  const origins: OriginPolicy = noOrigins();
  const originOption = get('origin');
  let origin: KoaLibraryFacts['origin'] = { kind: 'fixed', value: '*' };
  const fn = originOption?.node && js.resolveNode(originOption.node);
  const originAt = (label: string): SourceRef =>
    originOption ? { span: originOption.pair, label } : { span: call, label };
  // `origin(ctx) { return '*'; }`: the function answers every request with one string, which
  // the middleware then treats as it treats that string written as the option.
  const constant = fn && isFunctionNode(fn) ? constantReturn(js, fn) : undefined;
  const written = constant ? "The origin function's '*'" : `origin: '*'`;
  if (fn && isFunctionNode(fn) && !constant) {
    const [ctx] = parameterNames(fn);
    const returned = returnedExpression(fn);
    const echo = ctx && returned ? originEcho(js, returned, ctx) : undefined;
    const reflect = !!echo;
    origin = { kind: 'function', reflect, ...echo };
    const list = !reflect && ctx && returned ? listTest(js, returned, ctx) : undefined;
    if (reflect) origins.reflectAny = originAt('The origin function');
    else if (list) {
      origins.exact.push(...list.exact);
      origins.dynamic = list.dynamic;
      origins.envDriven = list.envDriven;
    } else origins.dynamic = true;
    origins.listAt = originAt('origin');
  } else {
    const value = constant ?? originOption?.value;
    const set = value && truthy(value) !== false ? value : undefined;
    if (set && set.kind !== 'str') {
      origins.dynamic = true;
      origins.envDriven = envDriven(set);
      origins.listAt = originAt('origin');
      origin = { kind: 'function', reflect: false };
    } else if (variant && !set) {
      // kcors and koa2-cors: no origin option echoes the request Origin, credentials or not.
      origins.reflectAny = originAt(`${variant} without an origin option`);
      origin = { kind: 'fixed', value: '' };
    } else if (!set || set.value === '*') {
      origins.envDriven = !!set && envDriven(set);
      // '*' with credentials: @koa/cors echoes the request Origin instead (the variants send '*').
      if (credentials === true && !variant)
        origins.reflectAny = originAt(
          originOption
            ? `${written} with credentials`
            : '@koa/cors with credentials and no origin option',
        );
      else {
        origins.allowAll = true;
        origins.allowAllAt = originAt(originOption ? written : 'cors() without an origin option');
      }
    } else {
      origins.exact.push({ value: set.value, span: set.span });
      origins.listAt = originAt('origin');
      origins.envDriven = envDriven(set);
      origin = { kind: 'fixed', value: set.value };
    }
  }
  const defaultMethods = koa2 ? KOA2_DEFAULT_METHODS : DEFAULT_METHODS;
  const methods = get('allowMethods')
    ? sentText(get('allowMethods')!.value, ',', true)
    : defaultMethods;
  const headers = sentText(get('allowHeaders')?.value, ',', true);
  const expose = sentText(get('exposeHeaders')?.value, ',', true);
  const maxAge = get('maxAge')?.value;
  const privateNetworkAccess =
    !!get('privateNetworkAccess') && truthy(get('privateNetworkAccess')!.value) === true;
  return {
    policy: {
      ...(ignored.length ? { ignoredOptions: ignored } : {}),
      origins,
      credentials,
      credentialsAt: credentialsOnAt(credentials, credentialsOption),
      credentialsOption: 'credentials',
      methods: namesSent(methods, ref('allowMethods'), false, 'allowMethods'),
      headers: namesSent(headers, ref('allowHeaders'), true, 'allowHeaders'),
      expose: namesSent(expose, ref('exposeHeaders'), false, 'exposeHeaders'),
      maxAge:
        !maxAge || truthy(maxAge) === false
          ? null
          : maxAge.kind === 'int'
            ? maxAge.value
            : maxAge.kind === 'str' && /^\d+$/.test(maxAge.value)
              ? Number(maxAge.value)
              : 'dynamic',
      allowPrivateNetwork: !variant && privateNetworkAccess,
    },
    facts: {
      kind: 'library',
      origin,
      allowMethods: methods === 'dynamic' ? defaultMethods : methods,
      allowHeaders: headers === 'dynamic' ? undefined : headers,
      exposeHeaders: expose === 'dynamic' ? undefined : expose,
      maxAge:
        maxAge && truthy(maxAge) && (maxAge.kind === 'int' || maxAge.kind === 'str')
          ? String(maxAge.value)
          : undefined,
      secureContext:
        !variant && !!get('secureContext') && truthy(get('secureContext')!.value) === true,
      privateNetworkAccess: !variant && privateNetworkAccess,
      options,
      call,
      variant,
    },
  };
}
