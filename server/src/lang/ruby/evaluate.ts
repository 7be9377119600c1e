/**
 * A small static evaluator for the Ruby that configures middleware: literals (strings, `%w[]`,
 * symbols, numbers, arrays, regexes), constants and local variables assigned in the same file,
 * `.freeze`, and environment lookups with a default (`ENV.fetch('X', 'a,b').split(',')`,
 * `ENV['X']&.split(',') || [...]`), whose default is used and marked `envDriven`. Anything else
 * is `dynamic`, and nothing is read from a subtree tree-sitter had to repair.
 */
import { nested, TOO_DEEP } from '../nesting';
import type { Node } from 'web-tree-sitter';
import type { Span, StaticValue } from '../../policy/types';
import { noteSettingRead, readEnv, type Fallback } from '../env-values';
import { currentEnvironment } from '../../environment/scope';

/** A statically known Ruby value, with where it came from. */
export type RubyValue =
  | { kind: 'str'; value: string; span: Span; envDriven?: boolean }
  | { kind: 'symbol'; value: string; span: Span }
  | { kind: 'int'; value: number; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  /** `nil`; `envDriven` for `ENV['X']` of an unset variable. */
  | { kind: 'nil'; span: Span; envDriven?: boolean }
  /** A Regexp: its source as Ruby keeps it and its option letters (`i`, `m`, `x`). */
  | { kind: 'regex'; source: string; flags: string; span: Span }
  | { kind: 'array'; items: RubyValue[]; span: Span; envDriven?: boolean }
  /** `proc { }`, `lambda { }`, `->() { }`: code that runs per request. */
  | { kind: 'proc'; span: Span }
  | { kind: 'dynamic'; span: Span; reason: string };

type Scalar = Extract<RubyValue, { kind: 'str' | 'symbol' | 'int' | 'bool' | 'nil' }>;
const isScalar = (v: RubyValue): v is Scalar =>
  ['str', 'symbol', 'int', 'bool', 'nil'].includes(v.kind);
const scalarOf = (v: Scalar) => ('value' in v ? v.value : null);

/** Ruby's truth: everything but `nil` and `false`; undefined for a value not known. */
export function rubyTruth(value: RubyValue | undefined): boolean | undefined {
  if (!value || value.kind === 'dynamic') return undefined;
  return !(value.kind === 'nil' || (value.kind === 'bool' && !value.value));
}

/** The span of a node in `file`. */
export const spanOf = (file: string, node: Node): Span => ({
  file,
  start: node.startIndex,
  end: node.endIndex,
});

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  s: ' ',
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  v: '\v',
};

/** A double-quoted string's escape sequence (`\n`, `\u00e9`, `\x41`, `\"`), decoded. */
function decodeEscape(text: string): string {
  const body = text.slice(1);
  if (body.length === 1) return ESCAPES[body] ?? body;
  const hex = /^(?:x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F ]+)\})$/.exec(body);
  if (hex)
    return (hex[1] ?? hex[2] ?? hex[3])
      .trim()
      .split(/\s+/)
      .map((h) => String.fromCodePoint(parseInt(h, 16)))
      .join('');
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCodePoint(parseInt(body, 8));
  return body;
}

/**
 * Whether a string literal's delimiter is single-quote-like (`'`, `%q`, `%w`): no escapes but `\\`
 * and the delimiter.
 */
const isRaw = (node: Node) => /^(?:'|%q|%w|%i)/.test(node.text);

/**
 * The value of a `string`/`bare_string`/`bare_symbol` node, or undefined when it interpolates
 * (`"#{x}"`): then it is only known at run time.
 */
export function stringValue(node: Node): string | undefined {
  const raw =
    node.parent && (node.type === 'bare_string' || node.type === 'bare_symbol')
      ? isRaw(node.parent)
      : isRaw(node);
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'escape_sequence') out += decodeEscape(child.text);
    else if (child.type === 'string_content')
      out += raw ? child.text.replace(/\\([\\'])/g, '$1') : child.text;
  }
  return out;
}

/** The source of a regex literal as `Regexp#source` keeps it, and its options. */
function regexValue(node: Node): { source: string; flags: string } | undefined {
  const close = node.lastChild;
  let source = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    source += child.text;
  }
  const flags = (close?.text ?? '').replace(/^[^a-z]*/, '');
  // `%r{...}` keeps `/` as is; `/.../` needs `\/`, which Ruby keeps in the source too.
  return { source, flags };
}

/**
 * `list.map { |s| Regexp.new(s) }` over known strings: each string compiled as it is written
 * (unanchored, as `Regexp.new` leaves it), kept at the string's place.
 */
function regexMap(
  receiver: Extract<RubyValue, { kind: 'array' }>,
  method: string,
  block: Node,
): RubyValue | undefined {
  if (method !== 'map' && method !== 'collect') return undefined;
  const param = block.childForFieldName('parameters')?.namedChildren[0]?.text;
  const body = block.childForFieldName('body');
  const statements = body?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
  const call = statements.length === 1 ? statements[0] : undefined;
  const args = call?.childForFieldName('arguments')?.namedChildren ?? [];
  if (
    !param ||
    call?.type !== 'call' ||
    !/^(::)?Regexp$/.test(call.childForFieldName('receiver')?.text ?? '') ||
    call.childForFieldName('method')?.text !== 'new' ||
    args.length !== 1 ||
    args[0]?.text !== param ||
    !receiver.items.every((i) => i.kind === 'str')
  )
    return undefined;
  return {
    ...receiver,
    items: receiver.items.map((i) => ({
      kind: 'regex' as const,
      source: i.kind === 'str' ? i.value : '',
      flags: '',
      span: i.span,
    })),
  };
}

/** Ruby's `String#split(sep)` with a string separator: trailing empty strings are dropped. */
function rubySplit(value: string, sep: string | undefined): string[] {
  const parts = sep === undefined || sep === ' ' ? value.trim().split(/\s+/) : value.split(sep);
  while (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The value bound to a constant or local variable before `offset`, if the file assigns one. */
export type RubyLookup = (name: string, offset: number) => Node | undefined;

/**
 * The last assignment to each constant and local variable of a file (top level and module or
 * class bodies), so `ORIGINS = %w[...]` used further down resolves.
 */
export function assignmentsOf(root: Node): RubyLookup {
  const byName = new Map<string, Node[]>();
  // A worklist, not recursion: modules nested thousands deep must not overflow the stack.
  const pending: Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'assignment') {
        const left = child.childForFieldName('left');
        const right = child.childForFieldName('right');
        if (left && right && (left.type === 'constant' || left.type === 'identifier')) {
          byName.set(left.text, [...(byName.get(left.text) ?? []), right]);
        }
      } else if (['module', 'class', 'body_statement', 'begin_block'].includes(child.type)) {
        pending.push(child);
      }
    }
  }
  // Source order, so the last assignment before an offset is the one that holds there.
  for (const nodes of byName.values()) nodes.sort((a, b) => a.startIndex - b.startIndex);
  return (name, offset) => (byName.get(name) ?? []).filter((n) => n.endIndex <= offset).pop();
}

/** The assignments of every root of a file parsed in segments: the last one before `offset` wins. */
export function assignmentsOfRoots(roots: Node[]): RubyLookup {
  const lookups = roots.map(assignmentsOf);
  return (name, offset) =>
    lookups
      .map((l) => l(name, offset))
      .filter((n) => n !== undefined)
      .pop();
}

/** The receiver of a Rails custom setting: `Rails.application.config.x`, `Rails.configuration.x`, `config.x`. */
const CONFIG_X = /^(?:(?:::)?Rails\.(?:application\.config|configuration)|config)\.x$/;

/** Methods that return their receiver unchanged for our purpose. */
const IDENTITY = new Set(['freeze', 'dup', 'to_a', 'itself']);

/** Evaluates Ruby expressions of one file. */
export class RubyEvaluator {
  private readonly active = new Set<Node['id']>();

  /**
   * `configX`: Rails' custom configuration (`config.x.NAME`) as the current environment sets it
   * (lang/ruby/rails-config.ts); without it every `config.x` read is unknown.
   */
  constructor(
    private readonly file: string,
    private readonly lookup: RubyLookup,
    private readonly configX?: ReadonlyMap<string, RubyValue>,
  ) {}

  private dynamic(node: Node, reason: string): RubyValue {
    return { kind: 'dynamic', span: spanOf(this.file, node), reason };
  }

  evaluate(node: Node | null | undefined): RubyValue | undefined {
    if (!node) return undefined;
    return nested(
      () => this.evaluateNode(node),
      () => this.dynamic(node, TOO_DEEP),
    );
  }

  private evaluateNode(node: Node): RubyValue | undefined {
    // Half-typed code: never guess a value from a subtree tree-sitter had to repair.
    if (node.hasError || node.isMissing)
      return this.dynamic(node, 'the code here has a syntax error');
    const span = spanOf(this.file, node);
    switch (node.type) {
      case 'string':
      case 'bare_string': {
        const value = stringValue(node);
        return value === undefined
          ? this.dynamic(node, 'an interpolated string')
          : { kind: 'str', value, span };
      }
      case 'simple_symbol':
        return { kind: 'symbol', value: node.text.slice(1), span };
      case 'hash_key_symbol':
        return { kind: 'symbol', value: node.text, span };
      case 'delimited_symbol':
      case 'bare_symbol': {
        const value = stringValue(node);
        return value === undefined
          ? this.dynamic(node, 'an interpolated symbol')
          : { kind: 'symbol', value, span };
      }
      case 'integer': {
        const value = Number(node.text.replace(/_/g, ''));
        return Number.isSafeInteger(value)
          ? { kind: 'int', value, span }
          : this.dynamic(node, 'a number');
      }
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.type === 'true', span };
      case 'nil':
        return { kind: 'nil', span };
      case 'regex': {
        const regex = regexValue(node);
        return regex
          ? { kind: 'regex', ...regex, span }
          : this.dynamic(node, 'an interpolated regex');
      }
      case 'array':
      case 'string_array':
      case 'symbol_array':
        return this.array(node);
      case 'parenthesized_statements': {
        const inner = node.namedChildren.filter((c) => c && c.type !== 'comment');
        return inner.length === 1
          ? this.evaluate(inner[0])
          : this.dynamic(node, 'several statements');
      }
      case 'constant':
      case 'identifier':
        return this.name(node);
      case 'call':
        return this.call(node);
      case 'element_reference':
        return (
          this.envIndex(node) ?? this.dynamic(node, `\`${node.text}\` is not known statically`)
        );
      case 'binary':
        return this.binary(node);
      case 'conditional':
        return this.conditional(node);
      case 'unary':
        return this.not(node);
      case 'lambda':
        return { kind: 'proc', span };
      default:
        return this.dynamic(node, `a \`${node.type}\` expression`);
    }
  }

  private name(node: Node): RubyValue {
    const bound = this.lookup(node.text, node.startIndex);
    if (!bound || this.active.has(bound.id))
      return this.dynamic(node, `\`${node.text}\` is not known statically`);
    this.active.add(bound.id);
    try {
      return this.evaluate(bound) ?? this.dynamic(node, `\`${node.text}\` is not known statically`);
    } finally {
      this.active.delete(bound.id);
    }
  }

  private array(node: Node): RubyValue {
    const items: RubyValue[] = [];
    let envDriven = false;
    for (const child of node.namedChildren) {
      if (!child || child.type === 'comment') continue;
      const splat = child.type === 'splat_argument';
      const value = this.evaluate(splat ? child.namedChildren[0] : child);
      if (!value) continue;
      if (splat && value.kind === 'array') {
        items.push(...value.items);
        envDriven ||= !!value.envDriven;
      } else if (splat && value.kind !== 'dynamic') {
        items.push(value);
      } else {
        items.push(splat ? this.dynamic(child, 'a splat of an unknown value') : value);
      }
    }
    return {
      kind: 'array',
      items,
      span: spanOf(this.file, node),
      envDriven: envDriven || undefined,
    };
  }

  /** `ENV['X']`: nil (the variable unset), marked env-driven. */
  private envIndex(node: Node): RubyValue | undefined {
    const object = node.namedChildren[0];
    if (object?.text !== 'ENV' && object?.text !== '::ENV') return undefined;
    return (
      this.envValue(node, node.namedChildren[1] ?? null) ?? {
        kind: 'nil',
        span: spanOf(this.file, node),
        envDriven: true,
      }
    );
  }

  /** The current environment's value of the variable `nameNode` names; undefined when unset there. */
  private envValue(
    node: Node,
    nameNode: Node | null,
    fallback?: Node | null,
  ): RubyValue | undefined {
    const name = this.evaluate(nameNode);
    if (name?.kind !== 'str') return undefined;
    const written: Fallback | undefined = fallback
      ? { text: fallback.text, span: spanOf(this.file, fallback) }
      : undefined;
    const set = readEnv(name.value, spanOf(this.file, node), written);
    if (!set) return undefined;
    return set.kind === 'str'
      ? { kind: 'str', value: set.value, span: set.span, envDriven: true }
      : this.dynamic(node, set.kind === 'dynamic' ? set.reason : 'an environment variable');
  }

  private binary(node: Node): RubyValue {
    const op = node.childForFieldName('operator')?.text;
    const leftNode = node.childForFieldName('left');
    // `ENV['X'] || default`: noted with its default before the read is noted without one.
    if ((op === '||' || op === 'or') && leftNode?.type === 'element_reference')
      this.noteDefault(node, leftNode, node.childForFieldName('right'));
    const left = this.evaluate(leftNode);
    const right = this.evaluate(node.childForFieldName('right'));
    if (!left || !right) return this.dynamic(node, 'an incomplete expression');
    if (op === '||' || op === 'or') {
      if (left.kind === 'dynamic') return left;
      if (rubyTruth(left)) return left;
      return left.kind === 'nil' && left.envDriven ? markEnv(right) : right;
    }
    if ((op === '==' || op === '!=') && isScalar(left) && isScalar(right)) {
      const same = left.kind === right.kind && scalarOf(left) === scalarOf(right);
      return { kind: 'bool', value: op === '==' ? same : !same, span: spanOf(this.file, node) };
    }
    if (op === '+' && left.kind === 'array' && right.kind === 'array') {
      return {
        kind: 'array',
        items: [...left.items, ...right.items],
        span: spanOf(this.file, node),
        envDriven: left.envDriven || right.envDriven || undefined,
      };
    }
    if (op === '+' && left.kind === 'str' && right.kind === 'str') {
      return {
        kind: 'str',
        value: left.value + right.value,
        span: spanOf(this.file, node),
        envDriven: left.envDriven || right.envDriven || undefined,
      };
    }
    return this.dynamic(node, `a \`${op}\` expression`);
  }

  /** `cond ? a : b` when the condition's truth is known (`Rails.env.production? ? a : b`). */
  private conditional(node: Node): RubyValue {
    const truth = rubyTruth(this.evaluate(node.childForFieldName('condition')));
    const branch = node.childForFieldName(truth ? 'consequence' : 'alternative');
    if (truth === undefined || !branch)
      return this.dynamic(node, 'a condition not known statically');
    return this.evaluate(branch) ?? this.dynamic(node, 'an empty branch');
  }

  /** `!x` / `not x` when `x`'s truth is known. */
  private not(node: Node): RubyValue {
    const operator = node.childForFieldName('operator')?.text;
    const truth = rubyTruth(this.evaluate(node.childForFieldName('operand')));
    if ((operator !== '!' && operator !== 'not') || truth === undefined)
      return this.dynamic(node, `\`${node.text}\` is not known statically`);
    return { kind: 'bool', value: !truth, span: spanOf(this.file, node) };
  }

  /**
   * `Rails.env`: the environment's `RAILS_ENV` (set by the environment itself), dynamic outside
   * one; `Rails.env.production?` asks it by name (ActiveSupport's StringInquirer).
   */
  private railsEnv(node: Node, receiverNode: Node, method: string): RubyValue | undefined {
    const span = spanOf(this.file, node);
    if (/^(::)?Rails$/.test(receiverNode.text) && method === 'env') {
      // railties: `ENV["RAILS_ENV"].presence || ENV["RACK_ENV"].presence || "development"`, the
      // same name `railsEnvName` gives the environment's config/environments file.
      const present = (v: StaticValue | undefined) =>
        v?.kind === 'str' && !v.value ? undefined : v;
      const set = present(readEnv('RAILS_ENV', span)) ?? present(readEnv('RACK_ENV', span));
      if (set?.kind === 'str') return { kind: 'str', value: set.value, span };
      if (!set && currentEnvironment()) return { kind: 'str', value: 'development', span };
      return this.dynamic(node, 'the Rails environment, which differs per deployment');
    }
    if (!/^(::)?Rails\.env$/.test(receiverNode.text) || !/^\w+\?$/.test(method)) return undefined;
    const env = this.evaluate(receiverNode);
    return env?.kind === 'str'
      ? { kind: 'bool', value: env.value === method.slice(0, -1), span }
      : env;
  }

  private call(node: Node): RubyValue {
    const receiverNode = node.childForFieldName('receiver');
    const method = node.childForFieldName('method')?.text ?? '';
    const rails = receiverNode && this.railsEnv(node, receiverNode, method);
    if (rails) return rails;
    const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
      (c): c is Node => !!c && c.type !== 'comment',
    );
    const block = node.childForFieldName('block');
    if (!receiverNode) {
      return ['proc', 'lambda'].includes(method) && block
        ? { kind: 'proc', span: spanOf(this.file, node) }
        : this.dynamic(node, `a call of \`${method}\``);
    }
    if (receiverNode.text === 'ENV' || receiverNode.text === '::ENV')
      return this.envFetch(node, method, args, block);
    if (CONFIG_X.test(receiverNode.text) && !args.length && !block) {
      const set = this.configX?.get(method);
      noteSettingRead(`config.x.${method}`, spanOf(this.file, node), set?.span);
      return set ?? this.dynamic(node, `config.x.${method}, which each Rails environment may set`);
    }
    const receiver = this.evaluate(receiverNode);
    if (!receiver || receiver.kind === 'dynamic')
      return receiver ?? this.dynamic(node, 'an unknown receiver');
    const safe = node.children.some((c) => c?.type === '&.');
    // `nil&.anything` is nil; env-driven nil stays env-driven for a later `|| default`.
    if (receiver.kind === 'nil' && safe) return receiver;
    if (IDENTITY.has(method) && !args.length) return receiver;
    const span = spanOf(this.file, node);
    const envDriven = 'envDriven' in receiver && receiver.envDriven ? true : undefined;
    if (method === 'split' && receiver.kind === 'str' && args.length <= 1) {
      const sep = args.length ? this.evaluate(args[0]) : undefined;
      if (args.length && sep?.kind !== 'str')
        return this.dynamic(node, 'a split on an unknown separator');
      const items = rubySplit(receiver.value, sep?.kind === 'str' ? sep.value : undefined).map(
        (value): RubyValue => ({ kind: 'str', value, span: receiver.span, envDriven }),
      );
      return { kind: 'array', items, span, envDriven };
    }
    if (method === 'strip' && receiver.kind === 'str')
      return { ...receiver, value: receiver.value.trim(), span };
    if (receiver.kind === 'array')
      return (
        this.arrayMethod(node, receiver, method, args) ??
        (block && regexMap(receiver, method, block)) ??
        this.dynamic(node, `a call of \`${method}\``)
      );
    if (method === 'to_s' && receiver.kind === 'symbol')
      return { kind: 'str', value: receiver.value, span };
    return this.dynamic(node, `a call of \`${method}\``);
  }

  /** The array methods config files chain: `map(&:strip)`, `reject(&:empty?)`, `compact`, `uniq`, `flatten`. */
  private arrayMethod(
    node: Node,
    receiver: Extract<RubyValue, { kind: 'array' }>,
    method: string,
    args: Node[],
  ): RubyValue | undefined {
    const span = spanOf(this.file, node);
    const symbolArg =
      args.length === 1 && args[0].type === 'block_argument'
        ? args[0].namedChildren[0]?.text
        : undefined;
    const strings = receiver.items.every((i) => i.kind === 'str');
    const result = (items: RubyValue[]): RubyValue => ({
      kind: 'array',
      items,
      span,
      envDriven: receiver.envDriven,
    });
    if (method === 'compact' && !args.length)
      return result(receiver.items.filter((i) => i.kind !== 'nil'));
    if (method === 'flatten' && !args.length)
      return result(receiver.items.flatMap((i) => (i.kind === 'array' ? i.items : [i])));
    if (method === 'uniq' && !args.length && strings) {
      return result(
        receiver.items.filter(
          (item, i, all) =>
            all.findIndex(
              (o) => o.kind === 'str' && item.kind === 'str' && o.value === item.value,
            ) === i,
        ),
      );
    }
    if (method === 'map' && symbolArg === ':strip' && strings)
      return result(
        receiver.items.map((i) => (i.kind === 'str' ? { ...i, value: i.value.trim() } : i)),
      );
    if (method === 'reject' && (symbolArg === ':empty?' || symbolArg === ':blank?') && strings) {
      return result(
        receiver.items.filter(
          (i) =>
            i.kind === 'str' && (symbolArg === ':empty?' ? i.value !== '' : i.value.trim() !== ''),
        ),
      );
    }
    return undefined;
  }

  private noteDefault(node: Node, read: Node, fallback: Node | null): void {
    const object = read.namedChildren[0];
    if (object?.text !== 'ENV' && object?.text !== '::ENV') return;
    const name = this.evaluate(read.namedChildren[1] ?? null);
    if (name?.kind === 'str' && fallback)
      readEnv(name.value, spanOf(this.file, node), {
        text: fallback.text,
        span: spanOf(this.file, fallback),
      });
  }

  /** `ENV.fetch('X', default)` / `ENV.fetch('X') { default }`: the default, env-driven. */
  private envFetch(node: Node, method: string, args: Node[], block: Node | null): RubyValue {
    if (method !== 'fetch') return this.dynamic(node, `ENV.${method}`);
    const fallback =
      args.length === 2
        ? args[1]
        : block?.namedChildren.find((c) => c?.type === 'block_body' || c?.type === 'body_statement')
            ?.namedChildren[0];
    const set = this.envValue(node, args[0] ?? null, fallback);
    if (set) return set;
    const value = this.evaluate(fallback);
    if (!value) return this.dynamic(node, 'an environment variable without a default');
    return markEnv(value);
  }
}

/** The same value marked as coming from an environment variable's default. */
function markEnv(value: RubyValue): RubyValue {
  switch (value.kind) {
    case 'str':
    case 'nil':
      return { ...value, envDriven: true };
    case 'array':
      return { ...value, envDriven: true, items: value.items.map(markEnv) };
    default:
      return value;
  }
}
