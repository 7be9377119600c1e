/**
 * A small static evaluator for JavaScript and TypeScript (tree-sitter-javascript, -typescript,
 * -tsx trees): what a reader of a config or server file can know without running it. Literals,
 * `const`/`let`/`var` bindings (of the module, or of the function or block the read is written
 * in, which shadow the module's), spread, RegExp literals and `new RegExp('...')`,
 * `new Set([...])`, and environment defaults (`process.env.X || 'a,b'`,
 * `process.env.X?.split(',') ?? [...]`) marked `envDriven`. Anything else is `dynamic`, and a
 * subtree tree-sitter had to repair is never read for a value.
 *
 * Usage: `const js = new JsEvaluator(file, tree.root); js.evaluate(node)`;
 * `js.declaration(name)` gives the node a module-level name is bound to (a function, a value).
 */
import { checkAmbientBudget } from '../../base/budget';
import { nested, TOO_DEEP } from '../nesting';
import type { Node } from 'web-tree-sitter';
import { readEnv } from '../env-values';
import { envVar } from '../../environment/scope';
import { MODE_VARIABLES } from '../../environment/resolve';
import { LocalScopes } from './scopes';
import type { Span, StaticValue } from '../../policy/types';

/** The span of a node in `file` (web-tree-sitter counts UTF-16 units, as LSP does). */
export const spanOf = (file: string, node: Node): Span => ({
  file,
  start: node.startIndex,
  end: node.endIndex,
});

/** A function's head, up to its body: where a finding about the whole function points. */
export function functionHead(file: string, fn: Node): Span {
  const body = fn.childForFieldName('body');
  return { file, start: fn.startIndex, end: body ? body.startIndex : fn.endIndex };
}

type Str = Extract<StaticValue, { kind: 'str' }>;
type List = Extract<StaticValue, { kind: 'list' }>;

const simpleEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '\n': '',
};

function decodeEscape(text: string): string {
  const body = text.slice(1);
  if (body in simpleEscapes) return simpleEscapes[body];
  const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]+)\})$/.exec(body);
  if (hex) return String.fromCodePoint(parseInt(hex[1] ?? hex[2] ?? hex[3], 16));
  return body;
}

/** The value of a `string` or substitution-free `template_string` node; undefined otherwise. */
export function jsStringValue(node: Node): string | undefined {
  if (node.type !== 'string' && node.type !== 'template_string') return undefined;
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_fragment') out += child.text;
    else if (child.type === 'escape_sequence') out += decodeEscape(child.text);
    else if (child.type === 'template_substitution') return undefined;
  }
  return out;
}

/** Wrappers that do not change a value: parentheses and TypeScript-only syntax. */
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
  'type_assertion',
]);

/** The one argument of `Object.freeze(x)`, which returns `x` itself (COMS' constants, batch 25). */
function frozen(node: Node): Node | undefined {
  if (node.childForFieldName('function')?.text !== 'Object.freeze') return undefined;
  const args = node
    .childForFieldName('arguments')
    ?.namedChildren.filter((c) => c?.type !== 'comment');
  return args?.length === 1 ? (args[0] ?? undefined) : undefined;
}

/** The expression inside parentheses, `x as T`, `x satisfies T`, `x!`, `<T>x` and `Object.freeze(x)`. */
/** The arguments of a call or `new`, comments left out. */
export const argumentsOf = (call: Node): Node[] =>
  (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a): a is Node => !!a && a.type !== 'comment',
  );

export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    const inner =
      current.type === 'call_expression'
        ? frozen(current)
        : TRANSPARENT.has(current.type)
          ? current.namedChildren.find(
              (c) =>
                c &&
                c.type !== 'comment' &&
                !c.type.endsWith('type') &&
                c.type !== 'type_arguments',
            )
          : undefined;
    if (!inner) return current;
    current = inner;
  }
}

/**
 * A variable the environment's files leave unset: `undefined` in a fresh checkout. The mode's own
 * variables (`NODE_ENV`) are the environment's to decide: outside one they are unknown.
 */
const unset = (name: string) => !MODE_VARIABLES.includes(name) && envVar(name) === undefined;

/** Node types that name a variable: `x`, and `{ x }` in an object literal. */
const IDENTIFIERS = new Set(['identifier', 'shorthand_property_identifier']);

/**
 * How much of an expression's text the environment tests read: `process.env.X` is short, and
 * reading a whole long expression (a chain thousands of operands long) per node is quadratic.
 */
const ENV_TEXT = 256;

/** How many calls, members and operands deep an environment read may sit in an expression. */
const ENV_CHAIN = 16;

/**
 * Whether an expression reads the environment: `process.env.X`, `import.meta.env.X`, Bun's
 * `Bun.env.X` and Deno's `Deno.env.get('X')` (Supabase edge functions: konzuko, held-out batch 54).
 * Read from Deno's and Bun's documentation: neither runtime can run here.
 */
export function readsEnv(node: Node): boolean {
  const text = node.text.slice(0, ENV_TEXT).replace(/\s+/g, '');
  return /^(process\.env|import\.meta\.env|Bun\.env|Deno\.env)(\.|\?\.|\[)/.test(text);
}

/**
 * The variable a direct read names: `process.env.X`, `process.env['X']`, `Bun.env.X`,
 * `Deno.env.get('X')`; undefined for anything else.
 */
export function envNameOf(node: Node): string | undefined {
  if (node.endIndex - node.startIndex > ENV_TEXT) return undefined;
  const text = node.text.replace(/\s+/g, '');
  const deno = /^Deno\.env\.get\((['"])(\w+)\1\)$/.exec(text);
  if (deno) return deno[2];
  const m = /^(?:process|Bun)\.env\??(?:\.(\w+)|\[(['"])(\w+)\2\])$/.exec(text);
  return m ? (m[1] ?? m[3]) : undefined;
}

const envDriven = (value: StaticValue): boolean => 'envDriven' in value && !!value.envDriven;

/** A value marked as coming from an environment default (recursively for lists). */
function markEnv(value: StaticValue): StaticValue {
  if (value.kind === 'list') return { ...value, items: value.items.map(markEnv), envDriven: true };
  if (
    value.kind === 'str' ||
    value.kind === 'int' ||
    value.kind === 'bool' ||
    value.kind === 'regex'
  )
    return { ...value, envDriven: true };
  return value;
}

/** JavaScript truthiness of a known value (undefined for `dynamic`). */
export function truthy(value: StaticValue): boolean | undefined {
  switch (value.kind) {
    case 'str':
      return value.value !== '';
    case 'int':
      return value.value !== 0 && !Number.isNaN(value.value);
    case 'bool':
      return value.value;
    case 'none':
      return false;
    case 'dynamic':
      return undefined;
    default:
      return true;
  }
}

/** Module-level declarations, by name: `const x = ...` → its value node; `function f` → the function. */
function moduleBindings(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const visit = (statement: Node) => {
    if (statement.type === 'export_statement') {
      const inner = statement.childForFieldName('declaration');
      if (inner) visit(inner);
      return;
    }
    if (statement.type === 'function_declaration' || statement.type === 'class_declaration') {
      const name = statement.childForFieldName('name')?.text;
      if (name && !statement.hasError) out.set(name, statement);
      return;
    }
    if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration')
      return;
    for (const declarator of statement.namedChildren) {
      if (declarator?.type !== 'variable_declarator') continue;
      const name = declarator.childForFieldName('name');
      const value = declarator.childForFieldName('value');
      // `let` may be reassigned later; a second declaration of the same name is an error: keep the first.
      if (name?.type === 'identifier' && value && !out.has(name.text)) out.set(name.text, value);
    }
  };
  for (const statement of root.namedChildren) {
    // A module of tens of thousands of statements (a 2 MB bundle) stops here at its budget.
    checkAmbientBudget();
    if (statement) visit(statement);
  }
  return out;
}

/**
 * Names written more than once (`const x = ...` counts once; `x = ...`, `x += ...`, `x.push(...)`,
 * `x.add(...)`, and an entry written in place, `x['Access-Control-Allow-Origin'] = origin`,
 * `x.origin = ...`, count again): their declared value may not be what runs, so they stay dynamic.
 * A `const`/`let` of the same name in several functions is one write each: those can only be
 * declarations of different scopes (a second one in the same scope is a syntax error).
 */
function rewrittenNames(root: Node): { rewritten: Set<string>; grown: Set<string> } {
  const writes = new Map<string, number>();
  const grows = new Map<string, number>();
  const pattern =
    /(?:^|[^.\w$])([A-Za-z_$][\w$]*)\s*(?:(?:\??\.[\w$]+|\[[^\]\n]*\])*\s*[-+*/|&?]{0,3}=(?!=|>)|\.(?:(push|unshift|add)|splice|delete|set|clear)\()/g;
  for (const match of root.text.matchAll(pattern)) {
    writes.set(match[1], (writes.get(match[1]) ?? 0) + 1);
    if (match[2]) grows.set(match[1], (grows.get(match[1]) ?? 0) + 1);
  }
  // Every `const`/`let` of a name after the first is another scope's, not a write of the first.
  const declared = new Set<string>();
  for (const match of root.text.matchAll(/\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=(?!=)/g)) {
    if (declared.has(match[1])) writes.set(match[1], writes.get(match[1])! - 1);
    declared.add(match[1]);
  }
  const rewritten = new Set([...writes].filter(([, count]) => count > 1).map(([name]) => name));
  // Declared once and only added to since (`allowed.push(...)` under a dev flag: p5.js-web-editor,
  // held-out batch 30): its declared items are always there.
  const grown = new Set(
    [...rewritten].filter(
      (name) => declared.has(name) && writes.get(name)! - (grows.get(name) ?? 0) === 1,
    ),
  );
  return { rewritten, grown };
}

/** Evaluates JS/TS expressions of one module statically. */
export class JsEvaluator {
  // Read on first use: extractors make an evaluator for every module and most ask it nothing.
  private bindingsRead?: Map<string, Node>;
  private mutableRead?: { rewritten: Set<string>; grown: Set<string> };
  private readonly scopes = new LocalScopes();
  private readonly active = new Set<string>();
  /** Values of module-level names bound to another module's export (see `giveImportedValues`). */
  private readonly given = new Map<string, StaticValue>();
  /** The modules those values were read in. */
  readonly givenFiles = new Set<string>();

  constructor(
    readonly file: string,
    private readonly root: Node,
  ) {}

  private get bindings(): Map<string, Node> {
    return (this.bindingsRead ??= moduleBindings(this.root));
  }

  private get mutable(): Set<string> {
    return (this.mutableRead ??= rewrittenNames(this.root)).rewritten;
  }

  /** Names declared once and only added to since (`.push`, `.unshift`, `.add`). */
  private get grown(): Set<string> {
    return (this.mutableRead ??= rewrittenNames(this.root)).grown;
  }

  /** Takes `value`, read in `file`, for the module-level imported name `name`. */
  give(name: string, value: StaticValue, file: string): void {
    this.given.set(name, value);
    this.givenFiles.add(file);
  }

  /** Whether `name` already has a value from another module. */
  isGiven(name: string): boolean {
    return this.given.has(name);
  }

  /** The node a module-level name is bound to: a declaration's value, or a function declaration. */
  declaration(name: string): Node | undefined {
    return this.bindings.get(name);
  }

  /**
   * What the name `node` reads is bound to where it is written: a `const`/`let`/`var` of the
   * function or block around it, else of the module. Undefined when that is not one known value
   * (a parameter, a name written again, no declaration).
   */
  private boundAt(node: Node): Node | undefined {
    const name = node.text;
    if (this.mutable.has(name)) return undefined;
    const local = this.scopes.bindingAt(node, name);
    if (local === 'unknown') return undefined;
    return local ?? this.bindings.get(name);
  }

  /** Follows identifiers to the expression they are bound to (at most a few hops). */
  resolveNode(node: Node): Node {
    let current = unwrap(node);
    // `{ cors }` in an object literal names the variable `cors` as much as `cors` does.
    for (let hops = 0; hops < 8 && IDENTIFIERS.has(current.type); hops++) {
      const next = this.boundAt(current);
      if (!next) break;
      current = unwrap(next);
    }
    return current;
  }

  private dynamic(node: Node, reason: string): StaticValue {
    return { kind: 'dynamic', span: spanOf(this.file, node), reason };
  }

  /** The value of an expression, `dynamic` (with a reason) when it is not known statically. */
  evaluate(input: Node): StaticValue {
    return nested(
      () => this.evaluateNode(input),
      () => this.dynamic(input, TOO_DEEP),
    );
  }

  private evaluateNode(input: Node): StaticValue {
    const node = unwrap(input);
    if (node.hasError || node.isMissing)
      return this.dynamic(node, 'the code here has a syntax error');
    const span = spanOf(this.file, node);
    switch (node.type) {
      case 'string':
      case 'template_string': {
        const value = jsStringValue(node);
        return value === undefined
          ? this.dynamic(node, 'a template string with substitutions')
          : { kind: 'str', value, span };
      }
      case 'number': {
        const value = Number(node.text.replace(/_/g, ''));
        return Number.isFinite(value)
          ? { kind: 'int', value, span }
          : this.dynamic(node, 'a number');
      }
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.type === 'true', span };
      case 'null':
      case 'undefined':
        return { kind: 'none', span };
      case 'regex':
        return {
          kind: 'regex',
          pattern: node.childForFieldName('pattern')?.text ?? '',
          flags: node.childForFieldName('flags')?.text ?? '',
          span,
        };
      case 'array':
        return this.array(node);
      case 'object':
        return this.object(node);
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.identifier(node);
      case 'binary_expression':
        return this.binary(node);
      case 'ternary_expression':
        return this.ternary(node);
      case 'unary_expression':
        return this.not(node);
      case 'new_expression':
        return this.construct(node);
      case 'call_expression':
        return (
          this.environmentValue(node) ??
          (envNameOf(node) === undefined
            ? this.call(node)
            : this.dynamic(node, 'an environment variable without a default'))
        );
      case 'subscript_expression':
        return (
          this.environmentValue(node) ??
          this.entry(node, node.childForFieldName('index')) ??
          this.dynamic(node, `a \`${node.type}\` expression`)
        );
      case 'member_expression':
        return (
          this.environmentValue(node) ??
          (readsEnv(node)
            ? this.dynamic(node, 'an environment variable without a default')
            : (this.entry(node, node.childForFieldName('property')) ??
              this.dynamic(node, `\`${node.text}\``)))
        );
      default:
        return this.dynamic(node, `a \`${node.type}\` expression`);
    }
  }

  private identifier(node: Node): StaticValue {
    const name = node.text;
    if (name === 'undefined') return { kind: 'none', span: spanOf(this.file, node) };
    if (this.grown.has(name)) return this.grownList(node);
    const given = this.given.get(name);
    if (given && this.scopes.bindingAt(node, name) === undefined) return given;
    const bound = this.boundAt(node);
    if (!bound || this.active.has(name) || bound.type === 'function_declaration')
      return this.dynamic(node, `\`${name}\` is not known statically`);
    this.active.add(name);
    try {
      return this.evaluate(bound);
    } finally {
      this.active.delete(name);
    }
  }

  /**
   * A list added to after its declaration: the declared items, and an unknown item for what the
   * additions may bring (where and whether they run is not followed).
   */
  private grownList(node: Node): StaticValue {
    const name = node.text;
    const local = this.scopes.bindingAt(node, name);
    const declared = local === 'unknown' ? undefined : (local ?? this.bindings.get(name));
    if (!declared || this.active.has(name))
      return this.dynamic(node, `\`${name}\` is not known statically`);
    this.active.add(name);
    try {
      const value = this.evaluate(declared);
      if (value.kind !== 'list')
        return this.dynamic(node, `\`${name}\` is changed after it is declared`);
      return {
        ...value,
        items: [...value.items, this.dynamic(node, `items added to \`${name}\` later`)],
      };
    } finally {
      this.active.delete(name);
    }
  }

  /** Spread of a list (or a string, spread per character) into a list being built. */
  private spreadInto(items: StaticValue[], child: Node): boolean {
    const inner = child.namedChildren[0];
    const value = inner ? this.evaluate(inner) : undefined;
    if (value?.kind === 'list') items.push(...value.items);
    else items.push(this.dynamic(child, 'a spread of an unknown value'));
    return !!value && envDriven(value);
  }

  private array(node: Node): StaticValue {
    const items: StaticValue[] = [];
    let env = false;
    for (const child of node.namedChildren) {
      if (!child || child.type === 'comment') continue;
      if (child.type === 'spread_element') env = this.spreadInto(items, child) || env;
      else items.push(this.evaluate(child));
    }
    return { kind: 'list', items, span: spanOf(this.file, node), envDriven: env || undefined };
  }

  private object(node: Node): StaticValue {
    const entries: { key: StaticValue; value: StaticValue }[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'pair') {
        const keyNode = child.childForFieldName('key');
        const valueNode = child.childForFieldName('value');
        if (!keyNode || !valueNode) continue;
        const key: StaticValue =
          keyNode.type === 'property_identifier' || keyNode.type === 'number'
            ? { kind: 'str', value: keyNode.text, span: spanOf(this.file, keyNode) }
            : keyNode.type === 'computed_property_name'
              ? this.evaluate(keyNode.namedChildren[0] ?? keyNode)
              : this.evaluate(keyNode);
        entries.push({ key, value: this.evaluate(valueNode) });
      } else if (child.type === 'shorthand_property_identifier') {
        entries.push({
          key: { kind: 'str', value: child.text, span: spanOf(this.file, child) },
          value: this.identifier(child),
        });
      } else if (child.type === 'spread_element') {
        const inner = child.namedChildren[0];
        const value = inner ? this.evaluate(inner) : undefined;
        if (value?.kind === 'dict') entries.push(...value.entries);
        else
          entries.push({
            key: this.dynamic(child, 'a spread of an unknown object'),
            value: this.dynamic(child, 'a spread of an unknown object'),
          });
      } else if (child.type === 'method_definition') {
        const name = child.childForFieldName('name');
        if (name)
          entries.push({
            key: { kind: 'str', value: name.text, span: spanOf(this.file, name) },
            value: this.dynamic(child, 'a method'),
          });
      }
    }
    return { kind: 'dict', entries, span: spanOf(this.file, node) };
  }

  /** `cond ? a : b` when the condition is known (`process.env.NODE_ENV === 'production'`). */
  /**
   * The truth of a test: known, or a bare read of a variable the environment's files leave unset
   * (`process.env.X ? a : b` runs `b` in a fresh checkout, as `process.env.X || d` reads `d`).
   */
  private truthOf(node: Node): boolean | undefined {
    const truth = truthy(this.evaluate(node));
    if (truth !== undefined) return truth;
    const name = envNameOf(unwrap(node));
    return name && unset(name) ? false : undefined;
  }

  /**
   * The lists a value may be when a condition the code cannot know picks it: `env.X ?
   * env.X.split(',') : ['https://app.example.com']` (madebyaris' Worker, held-out batch 53). The
   * strings of the arms that are lists; `whole`: every arm is a list known in full. Undefined when
   * the value is no such choice, or no arm is a list.
   */
  listArms(node: Node): { items: string[]; whole: boolean } | undefined {
    const choice = this.resolveNode(node);
    const condition = choice.childForFieldName('condition');
    if (choice.type !== 'ternary_expression' || !condition || this.truthOf(condition) !== undefined)
      return undefined;
    const arms = ['consequence', 'alternative'].map((field) => {
      const arm = choice.childForFieldName(field);
      return arm ? this.evaluate(arm) : undefined;
    });
    const lists = arms.filter((a) => a?.kind === 'list');
    if (!lists.length) return undefined;
    const items = lists.flatMap((l) => l.items.flatMap((i) => (i.kind === 'str' ? [i.value] : [])));
    const whole =
      lists.length === arms.length && lists.every((l) => l.items.every((i) => i.kind === 'str'));
    return { items: [...new Set(items)], whole };
  }

  private ternary(node: Node): StaticValue {
    const condition = node.childForFieldName('condition');
    const truth = condition ? this.truthOf(condition) : undefined;
    const branch = node.childForFieldName(truth ? 'consequence' : 'alternative');
    if (truth === undefined || !branch)
      return this.dynamic(node, 'a condition not known statically');
    return this.evaluate(branch);
  }

  /** `!x` when `x`'s truth is known; any other unary operator is not evaluated. */
  private not(node: Node): StaticValue {
    const argument = node.childForFieldName('argument');
    const truth = argument ? this.truthOf(argument) : undefined;
    if (node.childForFieldName('operator')?.text !== '!' || truth === undefined)
      return this.dynamic(node, `\`${node.text}\` is not known statically`);
    return { kind: 'bool', value: !truth, span: spanOf(this.file, node) };
  }

  /** `a === b`, `a !== b` (and the loose forms) on known strings, numbers, booleans and null. */
  private equality(node: Node, operator: string, left: StaticValue, right: StaticValue) {
    const scalar = (v: StaticValue) =>
      v.kind === 'str' || v.kind === 'int' || v.kind === 'bool'
        ? v.value
        : v.kind === 'none'
          ? null
          : v;
    const [a, b] = [scalar(left), scalar(right)];
    if (typeof a === 'object' && a !== null)
      return this.dynamic(node, 'a comparison of unknown values');
    if (typeof b === 'object' && b !== null)
      return this.dynamic(node, 'a comparison of unknown values');
    const same = a === b;
    return {
      kind: 'bool' as const,
      value: operator.startsWith('!') ? !same : same,
      span: spanOf(this.file, node),
    };
  }

  /** `a || b`, `a ?? b` (environment defaults), `a && b`, `a + b` (strings, numbers), equality. */
  private binary(node: Node): StaticValue {
    const operator = node.childForFieldName('operator')?.text;
    const leftNode = node.childForFieldName('left');
    const rightNode = node.childForFieldName('right');
    if (!leftNode || !rightNode) return this.dynamic(node, 'an incomplete expression');
    if (operator === '||' || operator === '??') this.noteDefault(node, leftNode, rightNode);
    const left = this.evaluate(leftNode);
    if (operator === '||' || operator === '??') {
      if (left.kind === 'dynamic') {
        // The environment may set it; the default is what a fresh checkout runs with.
        if (!this.envRooted(leftNode)) return left;
        const right = this.evaluate(rightNode);
        return right.kind === 'dynamic'
          ? this.dynamic(node, 'an environment variable without a static default')
          : markEnv(right);
      }
      const useLeft = operator === '??' ? left.kind !== 'none' : truthy(left);
      return useLeft ? left : this.evaluate(rightNode);
    }
    if (operator === '&&') {
      const truth = truthy(left);
      if (truth === undefined) return this.dynamic(node, 'a condition not known statically');
      return truth ? this.evaluate(rightNode) : left;
    }
    const right = this.evaluate(rightNode);
    if (operator && ['===', '!==', '==', '!='].includes(operator)) {
      // `process.env.X === 'true'` with X unset in the environment's files compares `undefined`,
      // as a fresh checkout runs it (as `process.env.X || d` reads as `d`).
      const name = left.kind === 'dynamic' && right.kind === 'str' && envNameOf(unwrap(leftNode));
      if (name && unset(name))
        return {
          kind: 'bool',
          value: operator.startsWith('!'),
          span: spanOf(this.file, node),
          envDriven: true,
        };
      return this.equality(node, operator, left, right);
    }
    if (operator === '+' && left.kind === 'str' && (right.kind === 'str' || right.kind === 'int'))
      return {
        kind: 'str',
        value: left.value + String(right.value),
        span: spanOf(this.file, node),
        envDriven: envDriven(left) || envDriven(right) || undefined,
      };
    if (operator === '+' && left.kind === 'int' && right.kind === 'int')
      return { kind: 'int', value: left.value + right.value, span: spanOf(this.file, node) };
    if (operator === '*' && left.kind === 'int' && right.kind === 'int')
      return { kind: 'int', value: left.value * right.value, span: spanOf(this.file, node) };
    return this.dynamic(node, 'an expression that is not a known string or number');
  }

  /**
   * An object literal's entry looked up by a known key: `{ development: [...], production: [...]
   * }[process.env.NODE_ENV]`, `config[env]` with `const env = process.env.NODE_ENV || 'development'`,
   * `config.production.origins`. A key the object lacks reads `undefined`, as in JS. Undefined
   * when the object or the key is not known (the caller says why).
   */
  private entry(node: Node, keyNode: Node | null): StaticValue | undefined {
    const objectNode = node.childForFieldName('object');
    if (!objectNode || !keyNode || node.text.includes('?.')) return undefined;
    const key: StaticValue =
      keyNode.type === 'property_identifier'
        ? { kind: 'str', value: keyNode.text, span: spanOf(this.file, keyNode) }
        : this.evaluate(keyNode);
    // `ALLOWED[0]`: an item of a list known whole.
    if (key.kind === 'int') {
      const list = this.evaluate(objectNode);
      const item = list.kind === 'list' ? list.items[key.value] : undefined;
      return list.kind === 'list' && !list.envDriven ? item : undefined;
    }
    if (key.kind !== 'str') return undefined;
    const target = this.evaluate(objectNode);
    if (target.kind !== 'dict') return undefined;
    // A key written later wins, as in an object literal; an unknown key might be this one.
    let found: StaticValue | undefined;
    for (const e of target.entries) {
      if (e.key.kind === 'str' && e.key.value === key.value) found = e.value;
      else if (e.key.kind !== 'str') return undefined;
    }
    const value = found ?? { kind: 'none', span: spanOf(this.file, node) };
    // Which entry runs is the environment's choice: its values are env-driven like the key.
    return envDriven(key) ? markEnv(value) : value;
  }

  /** A direct read's value in the current environment; undefined when it is unset there. */
  private environmentValue(node: Node): StaticValue | undefined {
    const name = envNameOf(node);
    return name === undefined ? undefined : readEnv(name, spanOf(this.file, node));
  }

  /** Notes `process.env.X || default` with its default, before the read itself is noted without one. */
  private noteDefault(node: Node, leftNode: Node, rightNode: Node): void {
    const name = envNameOf(unwrap(leftNode));
    if (name !== undefined)
      readEnv(name, spanOf(this.file, node), {
        text: rightNode.text,
        span: spanOf(this.file, rightNode),
      });
  }

  /** Whether an expression is a transformation of an environment variable (`process.env.X?.split(',')`). */
  private envRooted(node: Node): boolean {
    let current: Node | null = unwrap(node);
    // A transformation of a variable is a few calls deep; each level of a long `a || b || …` chain
    // asks again, so the walk stops early rather than following the whole chain every time.
    for (let steps = 0; current && steps < ENV_CHAIN; steps++) {
      if (
        ['member_expression', 'subscript_expression', 'call_expression'].includes(current.type) &&
        readsEnv(current)
      )
        return true;
      if (current.type === 'call_expression') current = current.childForFieldName('function');
      else if (current.type === 'member_expression') current = current.childForFieldName('object');
      else if (current.type === 'binary_expression') current = current.childForFieldName('left');
      else return false;
      if (current) current = unwrap(current);
    }
    return false;
  }

  /** `new RegExp('...', 'i')`, `new Set([...])` (a list), `new Array(...)` is dynamic. */
  private construct(node: Node): StaticValue {
    const ctor = node.childForFieldName('constructor')?.text;
    const args = argumentsOf(node);
    if (ctor === 'RegExp' && args.length >= 1 && args.length <= 2) {
      const source = this.evaluate(args[0]);
      const flags = args[1] ? this.evaluate(args[1]) : undefined;
      if (source.kind === 'regex' && !args[1]) return { ...source, span: spanOf(this.file, node) };
      if (source.kind === 'str' && (!flags || flags.kind === 'str'))
        return {
          kind: 'regex',
          pattern: source.value,
          flags: flags?.kind === 'str' ? flags.value : '',
          span: spanOf(this.file, node),
          envDriven: source.envDriven,
        };
    }
    if (ctor === 'Set' && args.length <= 1) {
      if (!args.length) return { kind: 'list', items: [], span: spanOf(this.file, node) };
      const inner = this.evaluate(args[0]);
      if (inner.kind === 'list') return { ...inner, span: spanOf(this.file, node) };
    }
    return this.dynamic(node, `a \`new ${ctor ?? '...'}\` value`);
  }

  /** String and list methods used to clean up environment lists: split, trim, map(trim), filter(Boolean). */
  private call(node: Node): StaticValue {
    const fn = node.childForFieldName('function');
    const args = argumentsOf(node);
    if (fn?.type !== 'member_expression')
      return this.dynamic(node, `the result of \`${fn?.text ?? 'a call'}(...)\``);
    const method = fn.childForFieldName('property')?.text;
    const objectNode = fn.childForFieldName('object');
    const target = objectNode ? this.evaluate(objectNode) : undefined;
    const span = spanOf(this.file, node);
    if (!target || target.kind === 'dynamic')
      return this.dynamic(node, target?.kind === 'dynamic' ? target.reason : 'an unknown call');
    // `process.env.X?.split(',')` with X unset: the optional chain stops at `undefined`.
    if (target.kind === 'none' && fn.children.some((c) => c?.type === 'optional_chain'))
      return { kind: 'none', span };
    if (target.kind === 'str') {
      if (method === 'split' && args.length === 1) {
        const separator = this.evaluate(args[0]);
        if (separator.kind !== 'str') return this.dynamic(node, 'a split on an unknown separator');
        const items: StaticValue[] = target.value
          .split(separator.value)
          .map((value) => ({ kind: 'str', value, span: target.span, envDriven: target.envDriven }));
        return { kind: 'list', items, span, envDriven: target.envDriven };
      }
      if ((method === 'trim' || method === 'toLowerCase') && args.length === 0)
        return { ...target, value: stringMethod(target.value, method), span };
    }
    if (target.kind === 'list') return this.listMethod(node, target, method, args);
    return this.dynamic(node, `the result of \`.${method ?? ''}(...)\``);
  }

  private listMethod(
    node: Node,
    target: List,
    method: string | undefined,
    args: Node[],
  ): StaticValue {
    const span = spanOf(this.file, node);
    const callback = args[0] ? unwrap(args[0]) : undefined;
    if (method === 'map' && callback) {
      const op = stringCallback(callback);
      if (!op) return this.dynamic(node, 'a map with an unknown callback');
      const items = target.items.map((item) =>
        item.kind === 'str' ? { ...item, value: stringMethod(item.value, op) } : item,
      );
      return { ...target, items, span };
    }
    if (
      method === 'filter' &&
      callback &&
      (callback.text === 'Boolean' || isIdentityCallback(callback))
    ) {
      return { ...target, items: target.items.filter((item) => truthy(item) !== false), span };
    }
    // `list.includes('*')`: a list of known strings answers for a known string.
    const asked = method === 'includes' && args.length === 1 ? this.evaluate(args[0]) : undefined;
    if (asked?.kind === 'str' && target.items.every((item) => item.kind === 'str'))
      return {
        kind: 'bool',
        value: target.items.some((item) => item.kind === 'str' && item.value === asked.value),
        span,
      };
    if (method === 'concat') {
      const items = [...target.items];
      for (const arg of args) {
        const value = this.evaluate(arg);
        if (value.kind === 'list') items.push(...value.items);
        else items.push(value);
      }
      return { ...target, items, span };
    }
    return this.dynamic(node, `the result of \`.${method ?? ''}(...)\``);
  }
}

function stringMethod(value: string, method: 'trim' | 'toLowerCase'): string {
  return method === 'trim' ? value.trim() : value.toLowerCase();
}

/** `(s) => s.trim()`, `s => s.toLowerCase()`: the string method the callback applies. */
function stringCallback(node: Node): 'trim' | 'toLowerCase' | undefined {
  if (node.type !== 'arrow_function') return undefined;
  const body = node.childForFieldName('body');
  const param = (node.childForFieldName('parameter') ?? node.childForFieldName('parameters'))?.text
    .replace(/[()\s]/g, '')
    .replace(/:.*$/, '');
  const match = body && /^([\w$]+)\.(trim|toLowerCase)\(\)$/.exec(body.text.replace(/\s+/g, ''));
  return match && match[1] === param ? (match[2] as 'trim' | 'toLowerCase') : undefined;
}

/** `(s) => s`, `s => !!s`: keeps truthy items. */
function isIdentityCallback(node: Node): boolean {
  if (node.type !== 'arrow_function') return false;
  const param = (node.childForFieldName('parameter') ?? node.childForFieldName('parameters'))?.text
    .replace(/[()\s]/g, '')
    .replace(/:.*$/, '');
  const body = node.childForFieldName('body')?.text.replace(/\s+/g, '');
  return !!param && (body === param || body === `!!${param}` || body === `Boolean(${param})`);
}

export type { Str as JsString };
