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
import type { KoaLibraryFacts } from './facts';
import { originRead } from './request-origin';
import {
  ignoredOptions,
  type OptionNames,
  SHARED_NEAR,
  SHARED_WITHOUT,
} from '../../lang/javascript/ignored-options';

const DEFAULT_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';

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

/** The one string a function returns whatever the request (`() => '*'`), if it does. */
function constantReturn(js: JsEvaluator, fn: Node): StaticValue | undefined {
  const returned = returnedExpression(fn);
  const value = returned && js.evaluate(returned);
  return value?.kind === 'str' ? value : undefined;
}

/** The fields of one `cors(options)`; undefined when the options are not a readable object. */
export function readKoaOptions(
  js: JsEvaluator,
  entries: Map<string, JsOption> | undefined,
  options: Span | undefined,
  call: Span,
  legacy = false,
): KoaOptionFields | undefined {
  if (!entries) return undefined;
  const get = (key: string) => entries.get(key);
  const ignored = ignoredOptions(entries, KOA_OPTIONS);
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
    const echo =
      ctx && returned ? echoFallback(returned, (n) => !!originRead(n, ctx, js)) : undefined;
    const reflect = !!echo;
    origin =
      echo === 'any'
        ? { kind: 'function', reflect, missingAny: true }
        : { kind: 'function', reflect };
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
    } else if (legacy && !set) {
      // kcors: no origin option echoes the request Origin, credentials or not.
      origins.reflectAny = originAt('kcors without an origin option');
      origin = { kind: 'fixed', value: '' };
    } else if (!set || set.value === '*') {
      origins.envDriven = !!set && envDriven(set);
      // '*' with credentials: @koa/cors echoes the request Origin instead (kcors sends the '*').
      if (credentials === true && !legacy)
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
  const methods = get('allowMethods')
    ? sentText(get('allowMethods')!.value, ',', true)
    : DEFAULT_METHODS;
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
      allowPrivateNetwork: !legacy && privateNetworkAccess,
    },
    facts: {
      kind: 'library',
      origin,
      allowMethods: methods === 'dynamic' ? DEFAULT_METHODS : methods,
      allowHeaders: headers === 'dynamic' ? undefined : headers,
      exposeHeaders: expose === 'dynamic' ? undefined : expose,
      maxAge:
        maxAge && truthy(maxAge) && (maxAge.kind === 'int' || maxAge.kind === 'str')
          ? String(maxAge.value)
          : undefined,
      secureContext:
        !legacy && !!get('secureContext') && truthy(get('secureContext')!.value) === true,
      privateNetworkAccess: !legacy && privateNetworkAccess,
      options,
      call,
      legacy: legacy || undefined,
    },
  };
}
