/**
 * Reads the block given to Rack::Cors (`allow do origins ...; resource ... end`) the way rack-cors
 * 1.1.1 runs it: `allow` opens a block of origins and resources, `origins` replaces the block's
 * origin list (and `'*'` makes it public for good), `resource` captures whether the block is
 * public at that moment. Statements under `if`/`unless`/`case` count as maybe-run: their origins
 * make the block dynamic.
 */
import type { Node } from 'web-tree-sitter';
import type { RackCorsBlock, RackCorsOrigin, RackCorsOriginList, RackCorsResource } from './facts';
import type { Span } from '../../policy/types';
import { spanOf, type RubyEvaluator, type RubyValue } from '../../lang/ruby/evaluate';
import { rackCorsPathPattern, rubyQuote } from '../../lang/ruby/regex';
import { blockOrigins } from './origin-block';
import { resourceOptions } from './options';
import { branchTaken, statementsOf } from '../../lang/ruby/branches';

/** Statements that may or may not run (their contents are walked with `maybe`). */
const BRANCHES = new Set([
  'if',
  'unless',
  'if_modifier',
  'unless_modifier',
  'case',
  'then',
  'else',
  'elsif',
  'when',
  'begin',
  'ensure',
  'rescue',
]);

/** The call's argument nodes (without comments). */
export const argsOf = (call: Node): Node[] =>
  (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (c): c is Node => !!c && c.type !== 'comment',
  );

/** The block of a call and its first parameter's name (`do |cfg|`), if any. */
function blockOf(call: Node): { body: Node[]; param?: string } | undefined {
  const block = call.childForFieldName('block');
  if (!block) return undefined;
  const param = block.namedChildren.find((c) => c?.type === 'block_parameters')?.namedChildren[0]
    ?.text;
  const body = block.namedChildren.find(
    (c) => c?.type === 'body_statement' || c?.type === 'block_body',
  );
  return { body: body ? body.namedChildren.filter((c): c is Node => !!c) : [], param };
}

/**
 * The calls of a block body in order, with whether they sit under a branch. A conditional the
 * environment decides (`if Rails.env.production?`) runs its taken part only, as surely as the
 * code around it.
 */
function* calls(
  body: Node[],
  evaluator: RubyEvaluator,
  maybe = false,
): Generator<{ call: Node; maybe: boolean }> {
  for (const node of body) {
    if (node.type === 'call' || node.type === 'identifier') yield { call: node, maybe };
    else if (BRANCHES.has(node.type)) {
      const taken = branchTaken(node, evaluator);
      if (taken === null) continue;
      yield* taken
        ? calls(statementsOf(taken), evaluator, maybe)
        : calls(
            node.namedChildren.filter((c): c is Node => !!c),
            evaluator,
            true,
          );
    }
  }
}

/**
 * `LIST.each do |item| ... end` (or `each_with_index`, `{ }`) over a list the evaluator reads:
 * its items, the block's first parameter and body. A list it cannot read gives one run with an
 * unknown item, so the resources inside are still read (with a run-time path).
 */
function loopOf(
  call: Node,
  evaluator: RubyEvaluator,
): { items: (RubyValue | undefined)[]; param?: string; body: Node[] } | undefined {
  if (
    call.type !== 'call' ||
    !/^each(_with_index)?$/.test(call.childForFieldName('method')?.text ?? '')
  )
    return undefined;
  const block = blockOf(call);
  const receiver = call.childForFieldName('receiver');
  if (!block || !receiver) return undefined;
  const list = evaluator.evaluate(receiver);
  return {
    items: list?.kind === 'array' && list.items.length ? list.items : [undefined],
    param: block.param,
    body: block.body,
  };
}

/**
 * `"/api/#{name}/*"` with the loop's item for `name` (`%w[articles users].each do |name|`), when
 * the string interpolates nothing else and the item is a string.
 */
function filledString(
  node: Node,
  param: string,
  item: RubyValue | undefined,
): RubyValue | undefined {
  if (node.type !== 'string' || item?.kind !== 'str') return undefined;
  let value = '';
  for (const child of node.namedChildren) {
    if (child?.type === 'string_content') value += child.text;
    else if (child?.type === 'interpolation' && child.namedChildren[0]?.text === param)
      value += item.value;
    else return undefined;
  }
  return { ...item, value };
}

/** The method name of a call to `name` on no receiver or on the block's parameter. */
function methodOf(call: Node, param: string | undefined): string | undefined {
  if (call.type === 'identifier') return call.text;
  const receiver = call.childForFieldName('receiver');
  if (receiver && receiver.text !== param) return undefined;
  return call.childForFieldName('method')?.text;
}

/** One origin value as rack-cors 1.1.1's `origins` maps it. */
function originEntry(value: RubyValue): RackCorsOrigin | undefined {
  switch (value.kind) {
    case 'regex':
      return { kind: 'regex', source: value.source, flags: value.flags, span: value.span };
    case 'proc':
      return { kind: 'dynamic', span: value.span };
    case 'str':
      if (value.value === '') return undefined; // `reject { |s| s == '' }`
      if (value.value === '*') return { kind: 'any', span: value.span };
      if (/^https?:\/\//m.test(value.value) || value.value === 'file://')
        return { kind: 'exact', value: value.value, span: value.span };
      // Anything else is a host with any scheme: `^[a-z][a-z0-9.+-]*:\/\/#{Regexp.quote(n)}$`.
      return {
        kind: 'regex',
        source: `^[a-z][a-z0-9.+-]*:\\/\\/${rubyQuote(value.value)}$`,
        flags: '',
        span: value.span,
        compiled: value.value,
      };
    default:
      return { kind: 'dynamic', span: value.span };
  }
}

/** `args.flatten`: every value, arrays opened. */
const flat = (values: RubyValue[]): RubyValue[] =>
  values.flatMap((v) => (v.kind === 'array' ? flat(v.items) : [v]));

/** The literal list an `origins` call is written as, for fixes. */
function originList(file: string, call: Node, args: Node[]): RackCorsOriginList | undefined {
  const literal = (n: Node) => ['string', 'regex', 'simple_symbol'].includes(n.type);
  const spans = (nodes: Node[]): Span[] => nodes.map((n) => spanOf(file, n));
  const callSpan = spanOf(file, call);
  if (args.length === 1 && (args[0].type === 'array' || args[0].type === 'string_array')) {
    const items = args[0].namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (!items.every((i) => literal(i) || i.type === 'bare_string')) return undefined;
    const words = args[0].type === 'string_array';
    return { call: callSpan, elements: spans(items), separator: words ? ' ' : ', ', words };
  }
  if (!args.length || !args.every(literal)) return undefined;
  return { call: callSpan, elements: spans(args), separator: ', ', words: false };
}

/** What Rack::Cors is configured with: its blocks and, in order, its resources. */
export function readSetup(
  file: string,
  middlewareCall: Node,
  evaluator: RubyEvaluator,
  legacy: boolean,
): { blocks: RackCorsBlock[]; resources: RackCorsResource[] } {
  const blocks: RackCorsBlock[] = [];
  const resources: RackCorsResource[] = [];
  const outer = blockOf(middlewareCall);
  if (!outer) return { blocks, resources };
  for (const { call, maybe: maybeAllow } of calls(outer.body, evaluator)) {
    if (methodOf(call, outer.param) !== 'allow') continue;
    const inner = call.type === 'call' ? blockOf(call) : undefined;
    if (!inner) continue;
    const block: RackCorsBlock = {
      origins: [],
      public: false,
      dynamic: maybeAllow,
      envDriven: false,
    };
    const index = blocks.push(block) - 1;
    for (const { call: statement, maybe } of calls(inner.body, evaluator, maybeAllow)) {
      const loop = loopOf(statement, evaluator);
      if (loop) {
        // `PATTERNS.each do |pattern| resource pattern, ... end`: one resource per item, in order.
        for (const item of loop.items)
          for (const { call: looped, maybe: branch } of calls(loop.body, evaluator, maybe)) {
            const args = looped.type === 'call' ? argsOf(looped) : [];
            if (methodOf(looped, inner.param) !== 'resource' || !args.length) continue;
            const bound = args[0].type === 'identifier' && args[0].text === loop.param;
            const filled = loop.param ? filledString(args[0], loop.param, item) : undefined;
            resources.push(
              readResource(
                file,
                index,
                block.public,
                looped,
                args,
                evaluator,
                legacy,
                branch,
                bound ? { path: item } : filled ? { path: filled } : undefined,
              ),
            );
          }
        continue;
      }
      const method = methodOf(statement, inner.param);
      const args = statement.type === 'call' ? argsOf(statement) : [];
      if (method === 'origins') readOrigins(file, block, statement, args, evaluator, maybe);
      if (method === 'resource' && args.length)
        resources.push(
          readResource(file, index, block.public, statement, args, evaluator, legacy, maybe),
        );
    }
  }
  return { blocks, resources };
}

function readOrigins(
  file: string,
  block: RackCorsBlock,
  call: Node,
  args: Node[],
  evaluator: RubyEvaluator,
  maybe: boolean,
): void {
  // A proc argument (`->(source, env) { ... }`, `lambda { |source, env| ... }`) is read like a block.
  const procs = args.map((a) =>
    a.type === 'lambda' ? a : a.type === 'call' && a.text.startsWith('lambda') ? a : undefined,
  );
  const read = procs.map((p) => p && blockOrigins(file, p, evaluator));
  const values = args.map((a, i) =>
    read[i] || a.type === 'block_argument'
      ? undefined
      : a.type === 'splat_argument'
        ? evaluator.evaluate(a.namedChildren[0])
        : evaluator.evaluate(a),
  );
  const entries: RackCorsOrigin[] = read.flatMap((r) => r ?? []);
  for (const value of flat(values.filter((v): v is RubyValue => !!v))) {
    const entry = originEntry(value);
    if (entry) entries.push(entry);
    if ('envDriven' in value && value.envDriven) block.envDriven = true;
  }
  // `origins { |source, env| ... }` (or `&blk`) is one more entry: the tests it makes on the
  // origin when it is only that, else decided at run time.
  if (call.childForFieldName('block') || args.some((a) => a.type === 'block_argument'))
    entries.push(
      ...(blockOrigins(file, call, evaluator) ?? [{ kind: 'dynamic', span: spanOf(file, call) }]),
    );
  // A later `origins` call replaces the list; one under a branch may or may not have run.
  if (maybe) for (const e of entries) if (e.kind === 'exact') e.conditional = true;
  block.origins = maybe ? [...block.origins, ...entries] : entries;
  block.dynamic ||= maybe || entries.some((e) => e.kind === 'dynamic');
  if (entries.some((e) => e.kind === 'any')) block.public = true;
  block.list = maybe ? undefined : originList(file, call, args);
}

/** The `name: value` / `:name => value` options of a call, or undefined when splatted from elsewhere. */
function optionsOf(
  args: Node[],
  evaluator: RubyEvaluator,
): Map<string, RubyValue & { pair?: Span }> | undefined {
  const options = new Map<string, RubyValue & { pair?: Span }>();
  const pairs = args.flatMap((a) =>
    a.type === 'hash' ? a.namedChildren.filter((c): c is Node => !!c) : [a],
  );
  for (const node of pairs) {
    if (node.type === 'hash_splat_argument') return undefined;
    if (node.type !== 'pair') continue;
    const key = evaluator.evaluate(node.childForFieldName('key'));
    const value = evaluator.evaluate(node.childForFieldName('value'));
    // `opts[:name]`: only Symbol keys are read (a `'headers' =>` key is ignored).
    if (key?.kind === 'symbol' && value)
      options.set(key.value, {
        ...value,
        pair: { ...value.span, start: node.startIndex, end: node.endIndex },
      });
  }
  return options;
}

function readResource(
  file: string,
  block: number,
  isPublic: boolean,
  call: Node,
  args: Node[],
  evaluator: RubyEvaluator,
  legacy: boolean,
  maybe: boolean,
  loop?: { path: RubyValue | undefined },
): RackCorsResource {
  // `resource item` in a loop: the path is the loop's item (unknown when the list is not read).
  const path = loop ? loop.path : evaluator.evaluate(args[0]);
  // Kept as Ruby source: the model runs it on the linear-time matcher (flavor `ruby`).
  const regex =
    path?.kind === 'str'
      ? { source: rackCorsPathPattern(path.value), flags: '' }
      : path?.kind === 'regex'
        ? { source: path.source, flags: path.flags }
        : undefined;
  const given = optionsOf(args.slice(1), evaluator);
  const options = resourceOptions(given, legacy);
  const last = args[args.length - 1];
  return {
    credentialsAt: options.credentials === true ? given?.get('credentials')?.pair : undefined,
    block,
    pattern: regex?.source ?? 'dynamic',
    patternFlags: regex?.flags ?? '',
    anchored: path?.kind === 'str',
    ...options,
    conditional: options.conditional || maybe,
    public: isPublic,
    span: spanOf(file, call),
    headersAt: given?.get('headers')?.span,
    argumentsEnd: last && { file, start: last.endIndex, end: last.endIndex },
  };
}
