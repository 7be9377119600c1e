/**
 * Ruby conditionals decided statically: `if Rails.env.development?`, `unless Rails.env.production?`,
 * `x if ENV["CORS_OPEN"]`, in an environment, where the condition is known. Outside one nothing
 * is decided (every branch may run): the analysis without an environment must not drop a setup
 * because a variable that a deploy sets is unset on the developer's machine.
 */
import type { Node } from 'web-tree-sitter';
import { currentEnvironment } from '../../environment/scope';
import { rubyTruth, type RubyEvaluator } from './evaluate';

const CONDITIONALS = new Set(['if', 'unless', 'elsif', 'if_modifier', 'unless_modifier']);

/**
 * The part of a conditional that runs: its `then`, its `else`, or a modifier's statement; null
 * when no part runs; undefined when the condition is not known (or `node` is no conditional).
 */
export function branchTaken(node: Node, evaluator: RubyEvaluator): Node | null | undefined {
  if (!CONDITIONALS.has(node.type) || !currentEnvironment()) return undefined;
  const truth = rubyTruth(evaluator.evaluate(node.childForFieldName('condition')));
  if (truth === undefined) return undefined;
  const runs = node.type.startsWith('unless') ? !truth : truth;
  if (node.type.endsWith('_modifier')) return runs ? node.childForFieldName('body') : null;
  if (runs) return node.childForFieldName('consequence');
  const alternative = node.childForFieldName('alternative');
  if (!alternative) return null;
  return alternative.type === 'elsif' ? branchTaken(alternative, evaluator) : alternative;
}

/** The statements of a taken part: a `then`/`else` body's, or the modifier's one statement. */
export const statementsOf = (part: Node): Node[] =>
  part.type === 'then' || part.type === 'else'
    ? part.namedChildren.filter((c): c is Node => !!c)
    : [part];

/**
 * Whether `node` runs as far as the conditionals around it are known: false when one of them
 * takes a branch that does not hold it.
 */
export function runsUnderConditionals(node: Node, evaluator: RubyEvaluator): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (!CONDITIONALS.has(parent.type) || parent.childForFieldName('condition')?.id === child.id)
      continue;
    const taken = branchTaken(parent, evaluator);
    if (taken === undefined) continue;
    if (!taken || node.startIndex < taken.startIndex || node.endIndex > taken.endIndex)
      return false;
  }
  return true;
}
