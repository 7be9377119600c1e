import type { Node } from 'web-tree-sitter';
import type { StaticValue } from '../../policy/types';
import { PythonEvaluator, spanOf, truthiness, type Lookup } from './evaluate';

/** A name bound in a function body: an assignment to evaluate, or something we cannot follow. */
type LocalBinding = { right: Node; before: number } | { dynamic: Node; reason: string };

const NESTED_BLOCKS = new Set([
  'if_statement',
  'for_statement',
  'while_statement',
  'with_statement',
  'try_statement',
  'match_statement',
]);

/** Identifiers a statement can bind: assignment targets, loop targets, `with ... as x`. */
function boundNames(statement: Node): string[] {
  const names: string[] = [];
  for (const node of statement.descendantsOfType([
    'assignment',
    'augmented_assignment',
    'for_statement',
    'as_pattern_target',
    'named_expression',
  ])) {
    const target =
      node?.childForFieldName('left') ??
      node?.childForFieldName('name') ??
      (node?.type === 'as_pattern_target' ? node : null);
    for (const id of target
      ? target.type === 'identifier'
        ? [target]
        : target.descendantsOfType('identifier')
      : [])
      if (id) names.push(id.text);
  }
  return names;
}

/** The one assignment of a branch that is only that (`x = value`). */
function soleAssignment(block: Node | null | undefined): { name: string; right: Node } | undefined {
  const statements = block?.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment');
  const expression =
    statements?.length === 1 && statements[0].type === 'expression_statement'
      ? statements[0].namedChildren[0]
      : undefined;
  const left = expression?.type === 'assignment' ? expression.childForFieldName('left') : null;
  const right = expression?.childForFieldName('right');
  return left?.type === 'identifier' && right && !right.hasError
    ? { name: left.text, right }
    : undefined;
}

/**
 * The assignment an `if`/`else` whose branches each assign one name makes, when `lookup` knows
 * the condition's truth; undefined otherwise (then the name stays dynamic).
 */
function takenAssignment(
  file: string,
  statement: Node,
  lookup: Lookup,
): { name: string; right: Node } | undefined {
  const alternatives = statement.namedChildren.filter(
    (c) => c?.type === 'elif_clause' || c?.type === 'else_clause',
  );
  if (alternatives.length !== 1 || alternatives[0]?.type !== 'else_clause') return undefined;
  const then = soleAssignment(statement.childForFieldName('consequence'));
  const otherwise = soleAssignment(alternatives[0].childForFieldName('body'));
  const condition = statement.childForFieldName('condition');
  if (!then || !otherwise || then.name !== otherwise.name || !condition) return undefined;
  const value = new PythonEvaluator(file, lookup).evaluate(condition);
  const truth = value && truthiness(value);
  return truth === undefined ? undefined : truth ? then : otherwise;
}

/** Parameter names of a function definition (typed or defaulted ones too). */
export function parameterNames(fn: Node): string[] {
  const names: string[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    const id =
      p.type === 'identifier'
        ? p
        : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier'));
    if (id) names.push(id.text);
  }
  return names;
}

/** The parameter names of the functions `fn` is nested in (a middleware factory's `handler`). */
export function outerParameters(fn: Node): string[] {
  const names: string[] = [];
  for (let at = fn.parent; at; at = at.parent)
    if (at.type === 'function_definition') names.push(...parameterNames(at));
  return names;
}

/**
 * What names mean where `node` is evaluated: inside a function (an app factory), the function's
 * own straight-line assignments before the statement holding `node` resolve like module
 * constants; its parameters, names bound in nested blocks and `+=` are dynamic; other names fall
 * through to the enclosing function, then to `outer` (the module).
 */
export function scopedLookup(file: string, node: Node, outer: Lookup): Lookup {
  let fn: Node | null = node.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const body = fn?.childForFieldName('body');
  if (!fn || !body) return outer;
  const enclosing = scopedLookup(file, fn, outer);

  // Bindings in statement order, each with the index of the statement that made it.
  const bindings = new Map<string, (LocalBinding & { at: number })[]>();
  const bind = (name: string, binding: LocalBinding, at: number) =>
    bindings.set(name, [...(bindings.get(name) ?? []), { ...binding, at }]);
  for (const name of parameterNames(fn))
    bind(name, { dynamic: fn, reason: `\`${name}\` is a parameter` }, -1);
  const statements = body.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment');
  const stop = statements.findIndex(
    (s) => s.startIndex <= node.startIndex && node.endIndex <= s.endIndex,
  );
  statements.slice(0, stop < 0 ? statements.length : stop).forEach((statement, at) => {
    const expression =
      statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    const left = expression?.type === 'assignment' ? expression.childForFieldName('left') : null;
    const right = expression?.childForFieldName('right');
    if (left?.type === 'identifier' && right && !right.hasError) {
      bind(left.text, { right, before: at }, at);
      return;
    }
    // `if cond: x = a` / `else: x = b`, the condition known here: the branch it takes (tracecat's
    // origins from a setting, else `["*"]`, held-out batch 11).
    const taken =
      statement.type === 'if_statement'
        ? takenAssignment(file, statement, lookupBefore(at))
        : undefined;
    if (taken) {
      bind(taken.name, { right: taken.right, before: at }, at);
      return;
    }
    const reason = NESTED_BLOCKS.has(statement.type)
      ? 'set conditionally in the function'
      : 'changed in a way that cannot be followed';
    for (const name of boundNames(statement)) bind(name, { dynamic: statement, reason }, at);
  });

  function lookupBefore(limit: number): Lookup {
    return (name) => {
      const binding = bindings
        .get(name)
        ?.filter((b) => b.at < limit)
        .pop();
      if (!binding) return enclosing(name);
      if ('dynamic' in binding)
        return {
          kind: 'dynamic',
          span: spanOf(file, binding.dynamic),
          reason: binding.reason,
        } satisfies StaticValue;
      return new PythonEvaluator(file, lookupBefore(binding.before)).evaluate(binding.right);
    };
  }
  return lookupBefore(Infinity);
}
