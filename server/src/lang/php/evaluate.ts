/**
 * Static values of PHP expressions, as CORS setups write them: strings (single- and
 * double-quoted, without interpolation), numbers, booleans, null, arrays (lists and
 * `key => value` maps), `.` concatenation, constants, variables assigned earlier, and the helpers
 * config files use: `env('X', default)` (the default, marked env-driven), `explode`, `implode`,
 * `trim`, `array_map('trim', ...)`, `array_filter`.
 */
import type { Node } from 'web-tree-sitter';
import type { Span, StaticValue } from '../../policy/types';

export const spanOf = (file: string, node: Node): Span => ({
  file,
  start: node.startIndex,
  end: node.endIndex,
});

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  v: '\v',
  e: '\x1b',
  f: '\f',
  '\\': '\\',
  $: '$',
  '"': '"',
};

/** A double-quoted string's escape sequence as its character (PHP keeps unknown escapes as written). */
export function unescapeDouble(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{1,2}|u\{[0-9a-fA-F]+\}|[0-7]{1,3}|.)/gs, (all, e: string) => {
    if (e[0] === 'x' && e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e[0] === 'u' && e.length > 1) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    return SIMPLE_ESCAPES[e] ?? all;
  });
}

/** A single-quoted string's text: only `\\` and `\'` are escapes. */
export const unescapeSingle = (raw: string): string => raw.replace(/\\([\\'])/g, '$1');

/** The text of a string literal without interpolation, or undefined. */
export function phpString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return unescapeSingle(node.text.replace(/^[bB]?'|'$/g, ''));
  if (node.type !== 'encapsed_string') return undefined;
  if (
    node.namedChildren.some((c) => c && c.type !== 'string_content' && c.type !== 'escape_sequence')
  )
    return undefined;
  return unescapeDouble(node.text.replace(/^[bB]?"|"$/g, ''));
}

/** One piece of a string built from literals and expressions: `'A: ' . $o`, `"A: $o"`, `"A: {$x['y']}"`. */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expr'; node: Node };

/**
 * The pieces of a string expression, in order (a non-string expression is one piece). A chain of
 * `.` is a left-deep tree as deep as the chain is long, so it is walked with a stack, not recursion.
 */
export function templateParts(root: Node): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const pending: Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    while (node.type === 'parenthesized_expression' && node.namedChildren[0])
      node = node.namedChildren[0];
    if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '.') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && right) pending.push(right, left);
      else parts.push({ kind: 'expr', node });
    } else parts.push(...leafParts(node));
  }
  return parts;
}

/** The pieces of one operand of a concatenation: a literal, an interpolated string or an expression. */
function leafParts(node: Node): TemplatePart[] {
  const literal = phpString(node);
  if (literal !== undefined) return [{ kind: 'text', text: literal }];
  if (node.type !== 'encapsed_string') return [{ kind: 'expr', node }];
  const parts: TemplatePart[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content') parts.push({ kind: 'text', text: child.text });
    else if (child.type === 'escape_sequence')
      parts.push({ kind: 'text', text: unescapeDouble(child.text) });
    else parts.push({ kind: 'expr', node: child });
  }
  return parts;
}

/** The arguments of a call, positional in order (named arguments by name). */
export function callArguments(call: Node): { positional: Node[]; named: Map<string, Node> } {
  const positional: Node[] = [];
  const named = new Map<string, Node>();
  for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (argument?.type !== 'argument') continue;
    const name = argument.childForFieldName('name');
    const value =
      argument.namedChildren
        .filter((c): c is Node => !!c && c !== name && c.type !== 'name')
        .pop() ?? argument.namedChildren[argument.namedChildren.length - 1];
    if (!value) continue;
    if (name) named.set(name.text, value);
    else positional.push(value);
  }
  return { positional, named };
}

/**
 * A function call's name, lower-cased without a leading namespace backslash (PHP function names are
 * case-insensitive).
 */
export const calledName = (call: Node): string =>
  (call.childForFieldName('function')?.text ?? '').replace(/^\\/, '').toLowerCase();

const dynamic = (file: string, node: Node, reason: string): StaticValue => ({
  kind: 'dynamic',
  span: spanOf(file, node),
  reason,
});

const markEnv = (value: StaticValue): StaticValue =>
  value.kind === 'dynamic' || value.kind === 'none' || value.kind === 'dict'
    ? value
    : { ...value, envDriven: true };

/** Evaluates PHP expressions of one file; `variables` and `constants` hold what was assigned before. */
export class PhpEvaluator {
  readonly variables = new Map<string, Node>();
  readonly constants = new Map<string, Node>();

  constructor(readonly file: string) {}

  /** Records `const NAME = value;` and `define('NAME', value);` anywhere in the file. */
  collectConstants(root: Node): void {
    for (const element of root.descendantsOfType('const_element')) {
      const name = element?.namedChildren[0];
      const value = element?.namedChildren[1];
      if (name && value) this.constants.set(name.text, value);
    }
    for (const call of root.descendantsOfType('function_call_expression')) {
      if (!call || calledName(call) !== 'define') continue;
      const [name, value] = callArguments(call).positional;
      const key = phpString(name);
      if (key && value) this.constants.set(key, value);
    }
  }

  evaluate(node: Node | null | undefined, depth = 0): StaticValue | undefined {
    if (!node || depth > 20) return undefined;
    const file = this.file;
    const span = spanOf(file, node);
    switch (node.type) {
      case 'string':
      case 'encapsed_string': {
        const text = phpString(node);
        return text === undefined
          ? dynamic(file, node, 'an interpolated string')
          : { kind: 'str', value: text, span };
      }
      case 'integer':
        return /^\d+$/.test(node.text.replace(/_/g, ''))
          ? { kind: 'int', value: Number(node.text.replace(/_/g, '')), span }
          : dynamic(file, node, 'a number');
      case 'boolean':
        return { kind: 'bool', value: node.text.toLowerCase() === 'true', span };
      case 'null':
        return { kind: 'none', span };
      case 'parenthesized_expression':
        return this.evaluate(node.namedChildren[0], depth + 1);
      case 'variable_name':
        return this.variables.has(node.text)
          ? this.evaluate(this.variables.get(node.text), depth + 1)
          : dynamic(file, node, `the variable ${node.text}`);
      case 'name': {
        const lower = node.text.toLowerCase();
        if (lower === 'true' || lower === 'false')
          return { kind: 'bool', value: lower === 'true', span };
        if (lower === 'null') return { kind: 'none', span };
        const constant = this.constants.get(node.text);
        return constant
          ? this.evaluate(constant, depth + 1)
          : dynamic(file, node, `the constant ${node.text}`);
      }
      case 'class_constant_access_expression': {
        // `self::ALLOWED`, `static::ALLOWED`, `Cors::ALLOWED`: class constants are read by their name.
        const constant = this.constants.get(
          node.namedChildren[node.namedChildren.length - 1]?.text ?? '',
        );
        return constant
          ? this.evaluate(constant, depth + 1)
          : dynamic(file, node, 'a class constant');
      }
      case 'array_creation_expression':
        return this.array(node, depth);
      case 'binary_expression': {
        const operator = node.childForFieldName('operator')?.text;
        const left = this.evaluate(node.childForFieldName('left'), depth + 1);
        const right = this.evaluate(node.childForFieldName('right'), depth + 1);
        if (operator === '.' && left?.kind === 'str' && right?.kind === 'str')
          return {
            kind: 'str',
            value: left.value + right.value,
            span,
            envDriven: left.envDriven || right.envDriven,
          };
        return dynamic(file, node, 'an expression');
      }
      case 'function_call_expression':
        return this.call(node, depth);
      default:
        return dynamic(file, node, 'an expression');
    }
  }

  private array(node: Node, depth: number): StaticValue {
    const span = spanOf(this.file, node);
    const elements = node.namedChildren.filter(
      (c): c is Node => c?.type === 'array_element_initializer',
    );
    const keyed = elements.some((e) => e.children.some((c) => c?.type === '=>'));
    if (!keyed) {
      const items = elements.map(
        (e) => this.evaluate(e.namedChildren[0], depth + 1) ?? dynamic(this.file, e, 'an element'),
      );
      return {
        kind: 'list',
        items,
        span,
        envDriven: items.some((i) => 'envDriven' in i && !!i.envDriven) || undefined,
      };
    }
    const entries = elements.flatMap((e) => {
      const [key, value] = e.namedChildren;
      const k = this.evaluate(key, depth + 1);
      const v = this.evaluate(value, depth + 1);
      return k && v ? [{ key: k, value: v }] : [];
    });
    return { kind: 'dict', entries, span };
  }

  private call(node: Node, depth: number): StaticValue {
    const span = spanOf(this.file, node);
    const name = calledName(node);
    const { positional } = callArguments(node);
    const arg = (i: number) => this.evaluate(positional[i], depth + 1);
    if (name === 'env' || name === 'getenv') {
      const fallback = positional[1] ? arg(1) : undefined;
      return fallback
        ? markEnv(fallback)
        : dynamic(this.file, node, `the environment variable ${phpString(positional[0]) ?? ''}`);
    }
    if (name === 'explode') {
      const separator = arg(0);
      const value = arg(1);
      if (separator?.kind !== 'str' || value?.kind !== 'str')
        return dynamic(this.file, node, 'explode() of an unknown value');
      return {
        kind: 'list',
        items: value.value
          .split(separator.value)
          .map((v) => ({ kind: 'str', value: v, span: value.span })),
        span,
        envDriven: value.envDriven,
      };
    }
    if (name === 'implode' || name === 'join') {
      const separator = arg(0);
      const value = arg(1);
      if (
        separator?.kind !== 'str' ||
        value?.kind !== 'list' ||
        value.items.some((i) => i.kind !== 'str')
      )
        return dynamic(this.file, node, 'implode() of unknown values');
      return {
        kind: 'str',
        value: value.items.map((i) => (i.kind === 'str' ? i.value : '')).join(separator.value),
        span,
        envDriven: value.envDriven,
      };
    }
    if (name === 'trim') {
      const value = arg(0);
      return value?.kind === 'str'
        ? { ...value, value: value.value.trim(), span }
        : dynamic(this.file, node, 'trim() of an unknown value');
    }
    if (name === 'array_filter' || (name === 'array_map' && phpString(positional[0]) === 'trim')) {
      const value = arg(name === 'array_filter' ? 0 : 1);
      if (value?.kind !== 'list') return dynamic(this.file, node, `${name}() of an unknown value`);
      const items = value.items.map((i) =>
        i.kind === 'str' && name === 'array_map' ? { ...i, value: i.value.trim() } : i,
      );
      return {
        ...value,
        items:
          name === 'array_filter'
            ? items.filter((i) => !(i.kind === 'str' && i.value === '') && i.kind !== 'none')
            : items,
        span,
      };
    }
    return dynamic(this.file, node, `${name}()`);
  }
}
