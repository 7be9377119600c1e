/**
 * `hono/cors` options → the neutral policy's fields and the values the middleware sends. Mirrors
 * `hono/dist/middleware/cors/index.js`: options spread over the defaults (`origin: '*'`, seven
 * methods, no headers), arrays joined with `,`, an empty `allowHeaders` echoing the request's.
 */
import type { JsEvaluator } from '../../lang/javascript/evaluate';
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
import {
  credentialsOnAt,
  envDriven,
  everyOrigin,
  maxAgeSeconds,
  maxAgeSent,
  optionRef,
} from '../../lang/javascript/middleware-options';
import type { HonoLibraryFacts } from './facts';
import { echoFallback } from '../../lang/javascript/origin-echo';

const DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'QUERY'];

export interface HonoOptionFields {
  policy: Pick<
    Policy,
    'origins' | 'credentials' | 'credentialsAt' | 'methods' | 'headers' | 'expose' | 'maxAge'
  >;
  facts: HonoLibraryFacts;
}

/** The strings of an array option (Hono calls `.join(',')`); `dynamic` when any is unknown. */
function strings(value: StaticValue | undefined): string[] | 'dynamic' | undefined {
  if (!value || value.kind === 'none') return undefined;
  if (value.kind !== 'list') return 'dynamic';
  const out = value.items.map((i) => (i.kind === 'str' ? i.value : undefined));
  return out.every((s): s is string => s !== undefined) ? out : 'dynamic';
}

function nameList(
  value: string[] | 'dynamic' | undefined,
  at: SourceRef | undefined,
  option: string,
  echoWhenEmpty: boolean,
): NameList {
  if (value === 'dynamic') return { names: [], wildcard: false, dynamic: true, at, option };
  const names = value ?? [];
  return { names, wildcard: echoWhenEmpty && names.length === 0, dynamic: false, at, option };
}

/** The `origin` option: the neutral allowlist and how the middleware decides. */
function originFields(
  js: JsEvaluator,
  option: JsOption | undefined,
  call: Span,
): { origins: OriginPolicy; mode: HonoLibraryFacts['origin'] } {
  const origins: OriginPolicy = noOrigins();
  if (!option)
    return {
      origins: everyOrigin({ span: call, label: 'cors() without an origin option' }),
      mode: { kind: 'any' },
    };
  const at = (label: string): SourceRef => ({ span: option.pair, label });
  const fn = option.node && js.resolveNode(option.node);
  if (fn && isFunctionNode(fn)) {
    // `(origin) => origin` echoes every request Origin, the empty one included; the middleware
    // hands the function `''` for a request without one, so `origin || '*'` then returns `'*'`.
    const [param] = parameterNames(fn);
    const returned = returnedExpression(fn);
    const echo = param && returned ? echoFallback(returned, (n) => n.text === param) : undefined;
    const reflect = !!echo;
    return {
      origins: reflect
        ? { ...origins, reflectAny: at('The origin function'), listAt: at('origin') }
        : { ...origins, dynamic: true, listAt: at('origin') },
      mode:
        echo === 'any'
          ? { kind: 'function', reflect, missingAny: true }
          : { kind: 'function', reflect },
    };
  }
  const { value } = option;
  if (value.kind === 'str' && value.value === '*')
    return {
      origins: everyOrigin(at(`origin: '*'`), envDriven(value)),
      mode: { kind: 'any' },
    };
  const items = value.kind === 'list' ? value.items : [value];
  for (const item of items) {
    if (item.kind === 'str') origins.exact.push({ value: item.value, span: item.span });
    else origins.dynamic = true;
    if (envDriven(item)) origins.envDriven = true;
  }
  return {
    origins: { ...origins, envDriven: origins.envDriven || envDriven(value), listAt: at('origin') },
    mode: { kind: 'list' },
  };
}

/** The fields of one `cors(options)`; undefined when the options are not a readable object. */
export function readHonoOptions(
  js: JsEvaluator,
  entries: Map<string, JsOption> | undefined,
  options: Span | undefined,
  call: Span,
): HonoOptionFields | undefined {
  if (!entries) return undefined;
  const get = (key: string) => entries.get(key);
  const ref = (key: string) => optionRef(get(key), key);
  const methods = get('allowMethods') ? strings(get('allowMethods')!.value) : DEFAULT_METHODS;
  const headers = strings(get('allowHeaders')?.value);
  const expose = strings(get('exposeHeaders')?.value);
  const maxAge = get('maxAge')?.value;
  const credentials = get('credentials')?.value;
  const credentialsOn = !credentials
    ? false
    : credentials.kind === 'bool'
      ? credentials.value
      : credentials.kind === 'dynamic'
        ? 'dynamic'
        : credentials.kind !== 'none' && !(credentials.kind === 'int' && credentials.value === 0);
  const { origins, mode } = originFields(js, get('origin'), call);
  const joined = (v: string[] | 'dynamic' | undefined) =>
    Array.isArray(v) && v.length ? v.join(',') : undefined;
  return {
    policy: {
      origins,
      credentials: credentialsOn,
      credentialsAt: credentialsOnAt(credentialsOn, get('credentials')),
      methods: nameList(methods, ref('allowMethods'), 'allowMethods', false),
      headers: nameList(headers, ref('allowHeaders'), 'allowHeaders', true),
      expose: nameList(expose, ref('exposeHeaders'), 'exposeHeaders', false),
      maxAge: maxAgeSeconds(maxAge),
    },
    facts: {
      kind: 'library',
      origin: mode,
      allowMethods: methods === 'dynamic' ? DEFAULT_METHODS.join(',') : (methods ?? []).join(','),
      allowHeaders: joined(headers),
      exposeHeaders: joined(expose),
      maxAge: maxAgeSent(maxAge),
      options,
      call,
    },
  };
}
