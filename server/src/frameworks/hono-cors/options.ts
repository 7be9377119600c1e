/**
 * `hono/cors` options → the neutral policy's fields and the values the middleware sends. Mirrors
 * `hono/dist/middleware/cors/index.js`: options spread over the defaults (`origin: '*'`, seven
 * methods, no headers), arrays joined with `,`, an empty `allowHeaders` echoing the request's.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, jsStringValue, unwrap } from '../../lang/javascript/evaluate';
import {
  firstArgument,
  isFunctionNode,
  type JsOption,
  parameterNames,
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
import { type EchoFallback, echoFallback } from '../../lang/javascript/origin-echo';
import { functionReturns } from '../../lang/javascript/returns';

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

const REFERER_OR_ORIGIN = /^(?:referer|referrer|origin)$/i;

/**
 * Whether every value an origin function returns is the asking page's own origin: its `origin`
 * parameter, `c.req.header('origin')`, or the origin of the Referer or Origin
 * (`new URL(ref).origin`: a Referer is the asking page's own URL), each maybe with a `'*'`
 * fallback or `'*'` for a request without them (ActivityPub, held-out batch 18). The fallback,
 * or undefined when some return is anything else (a listed origin, `null`, a bare `return`).
 */
function askerEcho(js: JsEvaluator, fn: Node): EchoFallback | 'absent' | undefined {
  const [param, context] = parameterNames(fn);
  const header = (n: Node, names: RegExp): boolean => {
    const call = unwrap(n);
    if (call.type !== 'call_expression' || !context) return false;
    const [arg] = [firstArgument(call)];
    const name = arg && jsStringValue(arg);
    return (
      call.childForFieldName('function')?.text.replace(/\s+/g, '') === `${context}.req.header` &&
      !!name &&
      names.test(name)
    );
  };
  const asker = (n: Node): boolean => {
    const node = js.resolveNode(n);
    if (n.text === param || header(node, /^origin$/i)) return true;
    // `new URL(x).origin` of the Referer or the Origin.
    if (node.type !== 'member_expression' || node.childForFieldName('property')?.text !== 'origin')
      return false;
    const made = unwrap(node.childForFieldName('object') ?? node);
    const [url] = made.type === 'new_expression' ? [firstArgument(made)] : [];
    return (
      made.childForFieldName('constructor')?.text === 'URL' &&
      !!url &&
      (url.text === param || header(js.resolveNode(url), REFERER_OR_ORIGIN))
    );
  };
  const body = fn.childForFieldName('body');
  // A bare `return` hands the middleware `undefined`: no header for that request.
  if (body?.descendantsOfType('return_statement').some((r) => r && !r.namedChildren.length))
    return undefined;
  let fallback: EchoFallback | 'absent' = 'none';
  const each = (value: Node): boolean => {
    const inner = unwrap(value);
    if (inner.type === 'ternary_expression') {
      const [a, b] = [
        inner.childForFieldName('consequence'),
        inner.childForFieldName('alternative'),
      ];
      return !!a && !!b && each(a) && each(b);
    }
    if (/^(['"`])\*\1$/.test(inner.text)) {
      fallback = 'any';
      return true;
    }
    // `c.req.header('origin') ?? '*'`: the header read is undefined without one, unlike the
    // parameter (`''`), so `??` falls back too.
    const op = inner.type === 'binary_expression' && inner.childForFieldName('operator')?.text;
    const left = inner.childForFieldName('left');
    const right = inner.childForFieldName('right');
    if (op === '??' && left && right && asker(left) && left.text !== param) {
      const before = fallback;
      if (!each(right)) return false;
      // `'*'` here only where the header is absent, unless another return gives it always.
      if (fallback === 'any' && before !== 'any') fallback = 'absent';
      return true;
    }
    const echo = echoFallback(inner, asker);
    if (echo === 'any') fallback = 'any';
    return !!echo;
  };
  const returned = functionReturns(fn) ?? [];
  return returned.length &&
    returned.some((r) => !/^(['"`])\*\1$/.test(r.text)) &&
    returned.every(each)
    ? fallback
    : undefined;
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
    const echo = askerEcho(js, fn);
    const reflect = !!echo;
    return {
      origins: reflect
        ? { ...origins, reflectAny: at('The origin function'), listAt: at('origin') }
        : { ...origins, dynamic: true, listAt: at('origin') },
      mode:
        echo === 'any' || echo === 'absent'
          ? { kind: 'function', reflect, missingAny: echo === 'any' ? true : 'absent' }
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
