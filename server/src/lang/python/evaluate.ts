import { nested, TOO_DEEP } from '../nesting';
import type { Node } from 'web-tree-sitter';
import type { Span, StaticValue } from '../../policy/types';
import { castBool, readEnv } from '../env-values';
import { SourceTree } from '../../parsing/source-tree';

/** The static value a name has at the point of evaluation, if it is bound. */
export type Lookup = (name: string) => StaticValue | undefined;

/** A node's text without whitespace: a dotted name as written, even across lines. */
export const compact = (node: Node | null | undefined): string =>
  node?.text.replace(/\s+/g, '') ?? '';

/** The span of a node in `file`. */
export const spanOf = (file: string, node: Node): Span => ({
  file,
  start: node.startIndex,
  end: node.endIndex,
});

const dynamic = (file: string, node: Node, reason: string): StaticValue => ({
  kind: 'dynamic',
  span: spanOf(file, node),
  reason,
});

const simpleEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

function decodeEscape(text: string): string {
  const body = text.slice(1);
  if (body[0] in simpleEscapes && body.length === 1) return simpleEscapes[body[0]];
  if (/^(x|u|U)[0-9a-fA-F]+$/.test(body)) return String.fromCodePoint(parseInt(body.slice(1), 16));
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCodePoint(parseInt(body, 8));
  return text;
}

/** The text of `node` between two absolute offsets inside it. */
const textBetween = (node: Node, from: number, to: number) =>
  node.text.slice(from - node.startIndex, to - node.startIndex);

/** The value of a `string` node, or undefined when it interpolates (f-strings) or is bytes. */
export function stringValue(node: Node): string | undefined {
  const start = node.children[0];
  const prefix = (start?.text ?? '').replace(/['"]/g, '').toLowerCase();
  if (prefix.includes('b')) return undefined;
  const raw = prefix.includes('r');
  let out = '';
  for (const child of node.children) {
    if (!child || child.type === 'string_start' || child.type === 'string_end') continue;
    if (child.type === 'interpolation') return undefined;
    if (raw || child.type !== 'string_content') {
      out += child.text;
      continue;
    }
    // Escape sequences are children of string_content: decode them, keep the text between.
    let at = child.startIndex;
    for (const escape of child.children) {
      if (escape?.type !== 'escape_sequence') continue;
      out += textBetween(child, at, escape.startIndex) + decodeEscape(escape.text);
      at = escape.endIndex;
    }
    out += textBetween(child, at, child.endIndex);
  }
  return out;
}

/** Python's `bool(value)`, when the value is known. */
export function truthiness(value: StaticValue): boolean | undefined {
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'str':
      return value.value !== '';
    case 'int':
      return value.value !== 0;
    case 'none':
      return false;
    case 'list':
      return value.items.length > 0;
    case 'dict':
      return value.entries.length > 0;
    default:
      return undefined;
  }
}

/** `os.getenv` / `os.environ.get` / `environ.get` call targets, as written. */
const envGetters = new Set(['os.getenv', 'os.environ.get', 'environ.get', 'getenv']);

/** A call that reads an environment variable: its name, its default and the cast it applies. */
interface EnvCall {
  name: Node;
  fallback?: Node;
  cast?: 'bool' | 'list';
  /** Read inside `bool(...)` without a cast: the truth of its text (see `EnvRead.truthOfText`). */
  truthOfText?: true;
  /** `os.getenv`-like: None when unset and no default (django-environ and decouple raise). */
  noneWhenUnset?: true;
}

const keyword = (args: Node[], name: string): Node | undefined =>
  args
    .find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)
    ?.childForFieldName('value') ?? undefined;

/**
 * `os.getenv(X, d)`, `os.environ.get(X, d)`; django-environ's `env(X, default=d)`, `env.bool`,
 * `env.list`, `env.str`; python-decouple's `config(X, default=d, cast=bool|Csv())`.
 */
function envCallOf(name: string, args: Node[]): EnvCall | undefined {
  const first = args[0];
  if (!first || first.type === 'keyword_argument') return undefined;
  const positional = args[1]?.type === 'keyword_argument' ? undefined : args[1];
  if (envGetters.has(name))
    return { name: first, fallback: positional ?? keyword(args, 'default'), noneWhenUnset: true };
  const environ = /^env(?:\.(bool|list|str))?$/.exec(name);
  if (environ)
    return {
      name: first,
      fallback: keyword(args, 'default'),
      cast: environ[1] === 'bool' ? 'bool' : environ[1] === 'list' ? 'list' : undefined,
    };
  if (name === 'config' && first.type === 'string') {
    const cast = keyword(args, 'cast')?.text.replace(/\s+/g, '');
    return {
      name: first,
      fallback: keyword(args, 'default'),
      cast: cast === 'bool' ? 'bool' : cast === 'Csv()' ? 'list' : undefined,
    };
  }
  return undefined;
}

/** An env wrapper: its fallback parameter, and the cast its body applies (see `envWrapper`). */
interface EnvWrapper {
  fallback: string;
  cast?: 'list';
}

/** The env wrappers of each module, by name (see `envWrapper`), read once per tree. */
const wrappersOf = new WeakMap<object, Map<string, EnvWrapper>>();

/**
 * A module function of two parameters that returns an environment read of the first, falling
 * back to the second (`def _get_env(var, fallback=None): val = os.environ.get(var) or fallback;
 * ...`: romm, held-out batch 28): `_get_env("X", "*")` reads as `os.environ.get("X", "*")`. A
 * body that splits the read on commas gives a list (`[p.strip() for p in os.getenv(name,
 * default).split(",") if p.strip()]`: WP1404, held-out batch 39); one that splits otherwise is no
 * wrapper. Undefined when `name` is no such function of the module `call` is in.
 */
function envWrapper(call: Node, name: string): EnvWrapper | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  // The whole module: a long one is parsed in segments, and the function may be in another.
  const module = SourceTree.of(call.tree);
  const key = module ?? call.tree;
  let wrappers = wrappersOf.get(key);
  if (!wrappers) {
    wrappers = new Map();
    for (const statement of module?.topLevel() ?? call.tree.rootNode.children) {
      if (statement?.type !== 'function_definition') continue;
      const params = (statement.childForFieldName('parameters')?.namedChildren ?? []).map((p) =>
        p?.type === 'identifier'
          ? p.text
          : p?.namedChildren.find((c) => c?.type === 'identifier')?.text,
      );
      // Two parameters only: a third (netbox-docker's `map_fn`, batch 27) changes the value.
      const [read, fallback] = params;
      const body = statement.childForFieldName('body')?.text ?? '';
      if (!read || !fallback || params.length !== 2) continue;
      const getter = `(?:os\\.environ\\.get|os\\.getenv|environ\\.get|getenv)\\(\\s*${read}\\s*`;
      const split = /\.split\(\s*(?:(['"]),\1\s*)?\)?/.exec(body);
      if (
        (!split || split[1]) &&
        (new RegExp(`${getter},\\s*${fallback}\\s*\\)`).test(body) ||
          new RegExp(`${getter}\\)\\s+or\\s+${fallback}\\b`).test(body))
      )
        wrappers.set(statement.childForFieldName('name')?.text ?? '', {
          fallback,
          cast: split ? 'list' : undefined,
        });
    }
    wrappersOf.set(key, wrappers);
  }
  return wrappers.get(name);
}

/** A call's arguments, comments left out. */
const argumentsOf = (call: Node): Node[] =>
  (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a): a is Node => !!a && a.type !== 'comment',
  );

/** The mapping `os.environ[...]` reads, as written. */
const ENVIRON = new Set(['os.environ', 'environ']);

/** The value a dict has at a key equal to `key` (a string, number or boolean). */
function entryOf(
  dict: Extract<StaticValue, { kind: 'dict' }>,
  key: StaticValue,
): StaticValue | undefined {
  if (!('value' in key)) return undefined;
  return dict.entries.find(
    (e) => e.key.kind === key.kind && 'value' in e.key && e.key.value === key.value,
  )?.value;
}

const isEnv = (value: StaticValue): boolean => 'envDriven' in value && !!value.envDriven;

/** Evaluates what a reader of settings files can: literals, names, `+`, splats, env defaults. */
export class PythonEvaluator {
  constructor(
    readonly file: string,
    private readonly lookup: Lookup,
  ) {}

  evaluate(node: Node | null): StaticValue | undefined {
    if (!node) return undefined;
    return nested(
      () => this.evaluateNode(node),
      () => dynamic(this.file, node, TOO_DEEP),
    );
  }

  private evaluateNode(node: Node): StaticValue | undefined {
    const file = this.file;
    // Half-typed code: never guess a value from a subtree tree-sitter had to repair.
    if (node.hasError || node.isMissing)
      return dynamic(file, node, 'the code here has a syntax error');
    switch (node.type) {
      case 'string': {
        const value = stringValue(node);
        if (value !== undefined) return { kind: 'str', value, span: spanOf(file, node) };
        return this.fString(node) ?? dynamic(file, node, 'an f-string or bytes');
      }
      case 'concatenated_string': {
        let value = '';
        for (const part of node.namedChildren) {
          const v = part ? stringValue(part) : undefined;
          if (v === undefined) return dynamic(file, node, 'an f-string or bytes');
          value += v;
        }
        return { kind: 'str', value, span: spanOf(file, node) };
      }
      case 'integer': {
        const value = Number(node.text.replace(/_/g, ''));
        return Number.isFinite(value)
          ? { kind: 'int', value, span: spanOf(file, node) }
          : dynamic(file, node, 'a number');
      }
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.type === 'true', span: spanOf(file, node) };
      case 'none':
        return { kind: 'none', span: spanOf(file, node) };
      case 'parenthesized_expression':
        return this.evaluate(node.namedChildren.find((c) => c && c.type !== 'comment') ?? null);
      case 'list':
      case 'tuple':
      case 'set':
        return this.sequence(node);
      case 'attribute':
        // A dotted name the lookup knows (`settings.cors_origins` of a pydantic settings class).
        return this.lookup(node.text.replace(/\s+/g, '')) ?? this.dictionary(node);
      case 'dictionary':
        return this.dictionary(node);
      case 'identifier': {
        const name = node.text.replace(/\s+/g, '');
        return this.lookup(name) ?? dynamic(file, node, `\`${name}\` is not known statically`);
      }
      case 'binary_operator':
        return this.binary(node);
      case 'call':
        return this.call(node);
      case 'not_operator': {
        const inner = this.evaluate(node.childForFieldName('argument'));
        const truth = inner ? truthiness(inner) : undefined;
        return truth === undefined || !inner
          ? dynamic(file, node, 'a `not` of an unknown value')
          : {
              kind: 'bool',
              value: !truth,
              span: spanOf(file, node),
              envDriven: 'envDriven' in inner && !!inner.envDriven,
            };
      }
      case 'subscript':
        return this.subscript(node);
      case 'list_comprehension':
        return this.comprehension(node);
      case 'comparison_operator':
        return this.comparison(node);
      case 'boolean_operator':
        return this.booleanOperator(node);
      case 'conditional_expression':
        return this.conditional(node);
      default:
        return dynamic(file, node, `a \`${node.type}\` expression`);
    }
  }

  /**
   * `a if test else b`: the branch the test picks when it is known; one picked by an environment
   * default is what runs unless the variable is set (Endurain's `origins if ENV == "development"
   * else HOST`, held-out batch 25), so its value is env-driven.
   */
  private conditional(node: Node): StaticValue {
    const [then, test, otherwise] = node.namedChildren.filter((c) => c && c.type !== 'comment');
    const condition = this.evaluate(test ?? null);
    // `a if os.getenv("X") else b` with X unset: None, so `b` (blueboot's allowlist, held-out
    // batch 57), as a fresh checkout runs it.
    const unset = condition?.kind === 'dynamic' && !!condition.noneWhenUnset;
    const truth = unset ? false : condition && truthiness(condition);
    if (truth === undefined || !condition)
      return dynamic(this.file, node, 'a conditional on a value not known statically');
    const chosen = this.evaluate((truth ? then : otherwise) ?? null);
    if (!chosen) return dynamic(this.file, node, 'a conditional');
    return (unset || ('envDriven' in condition && condition.envDriven)) &&
      chosen.kind !== 'none' &&
      chosen.kind !== 'dict' &&
      chosen.kind !== 'dynamic'
      ? { ...chosen, envDriven: true }
      : chosen;
  }

  /**
   * An f-string: a string when every value it interpolates is known (a string or a number, no
   * conversion or format spec), else dynamic with its literal pieces (`parts`). Undefined for
   * what is not an f-string (bytes).
   */
  private fString(node: Node): StaticValue | undefined {
    const prefix = (node.children[0]?.text ?? '').replace(/['"]/g, '').toLowerCase();
    if (!prefix.includes('f') || prefix.includes('b')) return undefined;
    const parts: (string | null)[] = [];
    let envDriven = false;
    for (const child of node.children) {
      if (!child || child.type === 'string_start' || child.type === 'string_end') continue;
      if (child.type !== 'interpolation') {
        // The literal piece alone, decoded as a plain string of the same quoting would be.
        const piece =
          child.type === 'string_content' ? this.literalPiece(child, prefix) : child.text;
        parts.push(piece.replace(/\{\{/g, '{').replace(/\}\}/g, '}'));
        continue;
      }
      const expression = child.childForFieldName('expression');
      const plain = child.namedChildren.every((c) => !c || c.id === expression?.id);
      const value = plain ? this.evaluate(expression) : undefined;
      if (value?.kind === 'str' || value?.kind === 'int') {
        parts.push(String(value.value));
        envDriven ||= !!value.envDriven;
      } else parts.push(null);
    }
    const span = spanOf(this.file, node);
    if (parts.every((p): p is string => p !== null))
      return { kind: 'str', value: parts.join(''), span, envDriven };
    return {
      kind: 'dynamic',
      span,
      reason: 'an f-string with a value not known statically',
      parts,
    };
  }

  /** A `string_content` of an f-string, its escape sequences decoded unless the string is raw. */
  private literalPiece(content: Node, prefix: string): string {
    if (prefix.includes('r')) return content.text;
    let out = '';
    let at = content.startIndex;
    for (const escape of content.children) {
      if (escape?.type !== 'escape_sequence') continue;
      out += textBetween(content, at, escape.startIndex) + decodeEscape(escape.text);
      at = escape.endIndex;
    }
    return out + textBetween(content, at, content.endIndex);
  }

  private sequence(node: Node): StaticValue {
    const items: StaticValue[] = [];
    let envDriven = false;
    for (const child of node.namedChildren) {
      if (!child || child.type === 'comment') continue;
      if (child.type === 'list_splat') {
        const inner = this.evaluate(child.namedChildren[0] ?? null);
        if (inner?.kind === 'list') {
          items.push(...inner.items);
          envDriven ||= !!inner.envDriven;
        } else items.push(dynamic(this.file, child, 'a splat of an unknown value'));
        continue;
      }
      const value = this.evaluate(child);
      if (value) items.push(value);
    }
    return {
      kind: 'list',
      items,
      span: spanOf(this.file, node),
      tuple: node.type === 'tuple',
      envDriven,
    };
  }

  private dictionary(node: Node): StaticValue {
    const entries: { key: StaticValue; value: StaticValue }[] = [];
    for (const pair of node.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const key = this.evaluate(pair.childForFieldName('key'));
      const value = this.evaluate(pair.childForFieldName('value'));
      if (key && value) entries.push({ key, value });
    }
    return { kind: 'dict', entries, span: spanOf(this.file, node) };
  }

  private binary(node: Node): StaticValue {
    const operator = node.childForFieldName('operator')?.text;
    const left = this.evaluate(node.childForFieldName('left'));
    const right = this.evaluate(node.childForFieldName('right'));
    if (operator === '+' && left && right) {
      const envDriven =
        ('envDriven' in left && !!left.envDriven) || ('envDriven' in right && !!right.envDriven);
      if (left.kind === 'list' && right.kind === 'list')
        return {
          kind: 'list',
          items: [...left.items, ...right.items],
          span: spanOf(this.file, node),
          envDriven,
        };
      if (left.kind === 'str' && right.kind === 'str')
        return {
          kind: 'str',
          value: left.value + right.value,
          span: spanOf(this.file, node),
          envDriven,
        };
    }
    return dynamic(this.file, node, 'an expression that is not a list or string sum');
  }

  private call(node: Node): StaticValue {
    const fn = node.childForFieldName('function');
    const args = argumentsOf(node);
    const name = fn?.text.replace(/\s+/g, '') ?? '';
    if ((name === 'list' || name === 'tuple' || name === 'set') && args.length === 1) {
      const inner = this.evaluate(args[0]);
      if (inner?.kind === 'list')
        return { ...inner, span: spanOf(this.file, node), tuple: name === 'tuple' };
    }
    const wrapped = envWrapper(node, name);
    const envCall =
      envCallOf(name, args) ??
      (wrapped && args[0] && args[0].type !== 'keyword_argument'
        ? {
            name: args[0],
            fallback:
              args[1]?.type === 'keyword_argument'
                ? keyword(args, wrapped.fallback)
                : (args[1] ?? undefined),
            cast: wrapped.cast,
          }
        : undefined);
    if (envCall) return this.envCall(node, envCall);
    if (name === 'bool' && args.length === 1) {
      const inner = this.truthOf(args[0]);
      const truth = inner && truthiness(inner);
      if (truth !== undefined)
        return {
          kind: 'bool',
          value: truth,
          span: spanOf(this.file, node),
          envDriven: inner ? isEnv(inner) : false,
        };
    }
    if (fn?.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text;
      const target = this.evaluate(fn.childForFieldName('object'));
      if (target?.kind === 'dict' && method === 'get' && args.length >= 1 && args.length <= 2)
        return this.dictGet(node, target, args);
      if (target?.kind === 'str' && method === 'split') return this.split(node, target, args);
      // `o.startswith("http")`: the filters env lists are cleaned with.
      const prefix = args.length === 1 ? this.evaluate(args[0]) : undefined;
      if (
        target?.kind === 'str' &&
        (method === 'startswith' || method === 'endswith') &&
        prefix?.kind === 'str'
      )
        return {
          kind: 'bool',
          value:
            method === 'startswith'
              ? target.value.startsWith(prefix.value)
              : target.value.endsWith(prefix.value),
          span: spanOf(this.file, node),
        };
      if (target?.kind === 'str' && (method === 'strip' || method === 'lower') && args.length === 0)
        return {
          ...target,
          value: method === 'strip' ? target.value.trim() : target.value.toLowerCase(),
          span: spanOf(this.file, node),
        };
    }
    return dynamic(this.file, node, `the result of \`${name}(...)\``);
  }

  /** The argument of `bool(...)`: an uncast environment read in it is the truth of its text. */
  private truthOf(argument: Node): StaticValue | undefined {
    const fn = argument.type === 'call' ? argument.childForFieldName('function') : null;
    const read = fn ? envCallOf(fn.text.replace(/\s+/g, ''), argumentsOf(argument)) : undefined;
    return read && !read.cast
      ? this.envCall(argument, { ...read, truthOfText: true })
      : this.evaluate(argument);
  }

  /**
   * A read of the environment: the current environment's value when its env files set the name,
   * else the written default (a fresh checkout runs with it), cast as the library casts it.
   */
  private envCall(node: Node, read: EnvCall): StaticValue {
    const span = spanOf(this.file, node);
    const nameValue = this.evaluate(read.name);
    const fallback = read.fallback ? this.evaluate(read.fallback) : undefined;
    // `os.environ.get("X", True)` uncast: a flag whose set value is text, true unless empty
    // ("False" too: artemmj's CORS_ORIGIN_ALLOW_ALL, held-out batch 40).
    const textFlag =
      read.truthOfText ?? (!read.cast && fallback?.kind === 'bool' ? true : undefined);
    const set =
      nameValue?.kind === 'str'
        ? readEnv(
            nameValue.value,
            span,
            read.fallback && { text: read.fallback.text, span: spanOf(this.file, read.fallback) },
            textFlag,
          )
        : undefined;
    // Uncast, a set variable is text: a list argument given it is searched or iterated as one.
    const envText = !read.cast && nameValue?.kind === 'str' ? { envText: nameValue.value } : {};
    if (set?.kind === 'dynamic') return { ...set, ...envText };
    const value = set ?? fallback;
    const none =
      !set &&
      read.noneWhenUnset &&
      (!fallback || fallback.kind === 'none') &&
      nameValue?.kind === 'str'
        ? { noneWhenUnset: nameValue.value }
        : {};
    if (!value || value.kind === 'dynamic' || value.kind === 'none')
      return {
        ...dynamic(this.file, node, 'an environment variable without a static default'),
        ...envText,
        ...none,
      };
    if (read.cast === 'bool' && value.kind === 'str')
      return { kind: 'bool', value: castBool(value.value), span, envDriven: true };
    if (read.cast === 'list' && value.kind === 'str')
      return {
        kind: 'list',
        items: value.value
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '')
          .map((v) => ({ kind: 'str', value: v, span: value.span, envDriven: true })),
        span,
        envDriven: true,
      };
    // A list default of an uncast read (`os.environ.get("X", [])`) is a list only while X is unset.
    return {
      ...value,
      envDriven: true,
      ...(value.kind === 'str' || value.kind === 'list' ? envText : {}),
    } as StaticValue;
  }

  /** `a == b` / `a != b` on known strings, numbers and booleans (`os.environ.get(X, "True") == "True"`). */
  private comparison(node: Node): StaticValue {
    const operands = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const operators = node.children.filter((c) => c && !c.isNamed).map((c) => c?.text);
    if (
      operands.length !== 2 ||
      operators.length !== 1 ||
      !['==', '!='].includes(operators[0] ?? '')
    )
      return dynamic(this.file, node, 'a comparison');
    const [left, right] = operands.map((o) => this.evaluate(o));
    // `ORIGINS == ["*"]` on known lists of literals (blueboot's middleware, held-out batch 57).
    const items = (v: StaticValue | undefined) =>
      v?.kind === 'list' && v.items.every((i) => 'value' in i)
        ? v.items.map((i) => ('value' in i ? `${i.kind}:${String(i.value)}` : ''))
        : undefined;
    const [leftItems, rightItems] = [items(left), items(right)];
    if (left && right && leftItems && rightItems) {
      const equal =
        leftItems.join('\0') === rightItems.join('\0') && leftItems.length === rightItems.length;
      return {
        kind: 'bool',
        value: operators[0] === '==' ? equal : !equal,
        span: spanOf(this.file, node),
        envDriven: isEnv(left) || isEnv(right),
      };
    }
    if (!left || !right || !('value' in left) || !('value' in right))
      return dynamic(this.file, node, 'a comparison of values not known statically');
    const equal = left.kind === right.kind && left.value === right.value;
    return {
      kind: 'bool',
      value: operators[0] === '==' ? equal : !equal,
      span: spanOf(this.file, node),
      envDriven: isEnv(left) || isEnv(right),
    };
  }

  private split(
    node: Node,
    target: Extract<StaticValue, { kind: 'str' }>,
    args: Node[],
  ): StaticValue {
    const separator = args.length ? this.evaluate(args[0]) : undefined;
    if (args.length && separator?.kind !== 'str')
      return dynamic(this.file, node, 'a split on an unknown separator');
    const parts =
      separator?.kind === 'str'
        ? target.value.split(separator.value)
        : target.value.trim().split(/\s+/);
    const span = spanOf(this.file, node);
    return {
      kind: 'list',
      items: parts.map((value) => ({
        kind: 'str',
        value,
        span: target.span,
        envDriven: target.envDriven,
      })),
      span,
      envDriven: target.envDriven,
    };
  }

  /**
   * `os.environ["X"]`: the current environment's value (unset, Python raises: not known);
   * `LIST[0]` indexes a known list, `DICT["key"]` a known dict (`app.config["CORS_ORIGINS"]`).
   */
  private subscript(node: Node): StaticValue {
    const object = node.childForFieldName('value');
    const index = this.evaluate(node.childForFieldName('subscript'));
    if (object && ENVIRON.has(object.text.replace(/\s+/g, '')) && index?.kind === 'str') {
      const set = readEnv(index.value, spanOf(this.file, node));
      return set ?? dynamic(this.file, node, `${index.value} is not set in this environment`);
    }
    const target = this.evaluate(object);
    if (target?.kind === 'list' && index?.kind === 'int' && target.items[index.value])
      return target.items[index.value];
    const entry = target?.kind === 'dict' && index ? entryOf(target, index) : undefined;
    return entry ?? dynamic(this.file, node, 'a subscript that is not known statically');
  }

  /** `d.get(key)` / `d.get(key, default)` on a known dict: the default only when `d` is complete. */
  private dictGet(
    node: Node,
    target: Extract<StaticValue, { kind: 'dict' }>,
    args: Node[],
  ): StaticValue {
    const key = this.evaluate(args[0]);
    const entry = key && entryOf(target, key);
    if (entry) return entry;
    if (!target.complete || !key || key.kind === 'dynamic')
      return dynamic(this.file, node, 'a key not known statically');
    return args[1]
      ? (this.evaluate(args[1]) ?? dynamic(this.file, node, 'an unknown default'))
      : { kind: 'none', span: spanOf(this.file, node) };
  }

  /** `a and b`, `a or b` as Python answers them: the operand that decides. */
  private booleanOperator(node: Node): StaticValue {
    // `os.environ.get("X") or "*"` reads as `os.environ.get("X", "*")`: the default when X is
    // unset (strawberryfields' CORS_ORIGIN, held-out batch 36).
    const leftNode = node.childForFieldName('left');
    const rightNode = node.childForFieldName('right');
    const getter = leftNode?.type === 'call' && leftNode.childForFieldName('function');
    const read =
      getter && envGetters.has(getter.text.replace(/\s+/g, ''))
        ? envCallOf(getter.text.replace(/\s+/g, ''), argumentsOf(leftNode))
        : undefined;
    if (read && !read.fallback && rightNode && node.childForFieldName('operator')?.text === 'or')
      return this.envCall(node, { ...read, fallback: rightNode });
    const left = this.evaluate(leftNode);
    const right = this.evaluate(rightNode);
    const truth = left ? truthiness(left) : undefined;
    if (!left || !right || truth === undefined)
      return dynamic(this.file, node, 'an `and`/`or` of unknown values');
    const and = node.childForFieldName('operator')?.text === 'and';
    return and === truth ? right : left;
  }

  /** `[o.strip() for o in VALUES]` and `[o for o in VALUES if o]`: common cleanups of env lists. */
  private comprehension(node: Node): StaticValue {
    const body = node.childForFieldName('body');
    // Node wrappers are fresh objects per access: compare ids, not references.
    const clauses = node.namedChildren.filter((c): c is Node => !!c && c.id !== body?.id);
    const forClause = clauses.find((c) => c.type === 'for_in_clause');
    const variable = forClause?.childForFieldName('left')?.text;
    const source = this.evaluate(forClause?.childForFieldName('right') ?? null);
    const onlyTruthyFilter = clauses.every(
      (c) =>
        c.id === forClause?.id ||
        (c.type === 'if_clause' &&
          c.namedChildren[0]?.text.replace(/\.strip\(\)$/, '') === variable),
    );
    if (!variable || source?.kind !== 'list' || !body)
      return dynamic(this.file, node, 'a comprehension');
    const filters = clauses.filter((c) => c.type === 'if_clause');
    const items: StaticValue[] = [];
    for (const item of source.items) {
      const inner = new PythonEvaluator(this.file, (name) =>
        name === variable ? item : this.lookup(name),
      );
      // Other filters (`if o.strip() and o.startswith("http")`, NetAlertX, held-out batch 21) are
      // asked of each item; one not known leaves the list unknown.
      if (!onlyTruthyFilter) {
        const kept = filters.map((f) => {
          const test = f.namedChildren[0] && inner.evaluate(f.namedChildren[0]);
          return test ? truthiness(test) : undefined;
        });
        if (kept.some((k) => k === undefined)) return dynamic(this.file, node, 'a comprehension');
        if (kept.some((k) => !k)) continue;
      }
      const value = inner.evaluate(body);
      if (!value) continue;
      if (clauses.length > 1 && value.kind === 'str' && value.value.trim() === '') continue;
      items.push(
        value.kind === 'str' ? { ...value, span: item.span, envDriven: source.envDriven } : value,
      );
    }
    return { kind: 'list', items, span: spanOf(this.file, node), envDriven: source.envDriven };
  }
}

/** The items of a list known only in part (f-strings with unknown values), for `OriginPolicy.partial`. */
export function partialStrings(
  value: StaticValue | undefined,
): { parts: (string | null)[]; span: Span }[] {
  if (value?.kind !== 'list') return [];
  return value.items.flatMap((item) =>
    item.kind === 'dynamic' && item.parts ? [{ parts: item.parts, span: item.span }] : [],
  );
}
