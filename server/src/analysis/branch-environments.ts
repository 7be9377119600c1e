/**
 * A JS/TS setup written under an `if` that production never takes (`if (process.env.NODE_ENV ===
 * 'development')`, `if (config.isDev && corsOn)`, `isDev && app.enableCors(...)`): its policy is
 * labelled with the environments that may take the branch, so that production-only checks leave a
 * development switch alone, as they do for Flask's `from_object` chosen per environment.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../base/source-reader';
import { DEFAULT_ENVIRONMENTS, environmentOf } from '../environment/resolve';
import { inEnvironment } from '../environment/scope';
import { JsEvaluator, truthy, unwrap } from '../lang/javascript/evaluate';
import type { SourceTree } from '../parsing/source-tree';
import { extractPolicies } from '../frameworks';
import type { Policy } from '../policy/types';

/** A condition the setup runs under: it must hold (`then` branch, left of `&&`) or fail (`else`). */
interface Guard {
  condition: Node;
  holds: boolean;
}

/** The conditions around `node`, innermost first, up to the module. */
function guardsOf(node: Node): Guard[] {
  const guards: Guard[] = [];
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    const condition = parent.childForFieldName('condition');
    if (parent.type === 'if_statement' && condition && child.id !== condition.id)
      guards.push({ condition, holds: child.type !== 'else_clause' });
    else if (
      parent.type === 'binary_expression' &&
      parent.childForFieldName('operator')?.text === '&&' &&
      parent.childForFieldName('right')?.id === child.id
    ) {
      const left = parent.childForFieldName('left');
      if (left) guards.push({ condition: left, holds: true });
    }
  }
  return guards;
}

/** The operands of a chain of `&&`: each must hold for the whole to hold. */
function conjuncts(node: Node): Node[] {
  const inner = unwrap(node);
  if (inner.type !== 'binary_expression' || inner.childForFieldName('operator')?.text !== '&&')
    return [inner];
  const [left, right] = [inner.childForFieldName('left'), inner.childForFieldName('right')];
  return [...(left ? conjuncts(left) : []), ...(right ? conjuncts(right) : [])];
}

/** A test that names development (`isDev`, `config.isDevelopment`, `mode === 'development'`). */
const DEVELOPMENT =
  /(?:^|[^a-z])(?:is_?)?dev(?:elopment)?(?:_?mode)?(?![a-z])|['"`](?:dev|development|local)['"`]/i;
/** A test that names something other than production as production's opposite. */
const NOT_PRODUCTION =
  /!==?['"`]prod(?:uction)?['"`]|^!(?:[\w$]+\.)*(?:is_?)?prod(?:uction)?(?:_?mode)?$/i;

/**
 * Whether a condition's text says production fails it, when its value is not known: a development
 * flag or `!== 'production'`, never negated or or-ed with anything else.
 */
function namesDevelopment(node: Node): boolean {
  const text = node.text.replace(/\s+/g, '');
  if (text.includes('||') || text.includes('??')) return false;
  if (NOT_PRODUCTION.test(text)) return true;
  // `!isDev`, `mode !== 'dev'`, `devMode === false` name development to exclude it.
  if (text.startsWith('!') || /!==?['"`]dev|[!=]==?(?:false|0)$|!==?true$/i.test(text))
    return false;
  return DEVELOPMENT.test(text);
}

/**
 * A condition's truth where the environment decides it: unknown when it rests on a variable the
 * environment's files leave unset (a deployment may set it where the repository cannot see).
 */
function truthIn(js: JsEvaluator, node: Node): boolean | undefined {
  const inner = unwrap(node);
  const operator = inner.type === 'binary_expression' && inner.childForFieldName('operator')?.text;
  if (operator === '||' || operator === '&&') {
    const sides = [inner.childForFieldName('left'), inner.childForFieldName('right')].map((side) =>
      side ? truthIn(js, side) : undefined,
    );
    const decisive = operator === '||';
    if (sides.includes(decisive)) return decisive;
    return sides.every((side) => side === !decisive) ? !decisive : undefined;
  }
  const value = js.evaluate(inner);
  return 'envDriven' in value && value.envDriven ? undefined : truthy(value);
}

/** Whether `guard` may hold in the environment the evaluator's reads are answered by. */
function mayHold(js: JsEvaluator, guard: Guard, production: boolean): boolean {
  if (!guard.holds) return truthIn(js, guard.condition) !== true;
  return conjuncts(guard.condition).every((part) => {
    const truth = truthIn(js, part);
    return truth === undefined ? !(production && namesDevelopment(part)) : truth;
  });
}

/** The file's policies (`extractPolicies`), JS/TS ones labelled with the environments that run them. */
export async function extractLabelled(
  ...args: Parameters<typeof extractPolicies>
): Promise<Policy[]> {
  const [grammar, file, , tree, reader] = args;
  const policies = await extractPolicies(...args);
  if (grammar === 'javascript' || grammar === 'typescript' || grammar === 'tsx')
    await labelBranchEnvironments(policies, file, tree, reader);
  return policies;
}

/** Labels the file's JS/TS policies whose setup production never runs (in place). */
async function labelBranchEnvironments(
  policies: Policy[],
  file: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<void> {
  const js = new JsEvaluator(file, tree.root);
  for (const policy of policies) {
    const at = policy.at;
    if (policy.environments || !at || at.file !== file) continue;
    const node = tree.root.descendantForIndex(at.start, Math.max(at.start, at.end - 1));
    const guards = node ? guardsOf(node) : [];
    if (!guards.length) continue;
    const taking: string[] = [];
    for (const name of DEFAULT_ENVIRONMENTS) {
      const { result } = await inEnvironment(environmentOf(name, file, reader), () =>
        Promise.resolve(guards.every((g) => mayHold(js, g, name === 'production'))),
      );
      if (result) taking.push(name);
    }
    if (taking.length && !taking.includes('production')) policy.environments = taking;
  }
}
