/**
 * `from_object` calls an `if` chooses between (`if os.environ.get("FLASK_ENV") == "production":
 * app.config.from_object(ProdConfig) else: app.config.from_object(DevConfig)`): the sets of
 * config objects the app may load. A condition decided where the extraction runs picks its
 * branch, as that environment runs it: env reads answered by the environment's files (or the
 * written default), Flask's `app.debug`/`app.config["DEBUG"]` and `app.env`/`app.config["ENV"]`
 * from FLASK_DEBUG/FLASK_ENV, else from the environment's own name. An undecided condition
 * (outside an environment, or a value not known statically) leaves every branch possible: each
 * is a set of its own, so what every branch allows is reported, never the last one alone.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { DEFAULT_ENVIRONMENTS, environmentOf } from '../../environment/resolve';
import { currentEnvironment, inEnvironment } from '../../environment/scope';
import { readEnv } from '../../lang/env-values';
import { PythonEvaluator, spanOf, truthiness, type Lookup } from '../../lang/python/evaluate';
import type { Span, StaticValue } from '../../policy/types';
import type { ConfigObject } from './config-object';

/** `app.config`, `self.app.config`, `current_app.config`: Flask's config mapping as written. */
export const APP_CONFIG = /^(?:[A-Za-z_]\w*\.)+config$/;

/** More alternatives than this are not told apart: the rest load an unknown config. */
const MAX_VARIANTS = 8;

/** Flask's `get_debug_flag`: FLASK_DEBUG set to anything but "0", "false" or "no" is on. */
const debugFlag = (value: string) => !['0', 'false', 'no'].includes(value.trim().toLowerCase());

/**
 * Flask's `ENV` and `DEBUG` where the extraction runs: FLASK_ENV and FLASK_DEBUG as the
 * environment sets them (Flask before 2.3 turns debug on for FLASK_ENV=development), else what
 * the environment's name says (a developer runs `flask run --debug`; a deployment runs with
 * Flask's defaults). Undefined outside an environment: which one runs is not in the code.
 */
function flaskRuntime(span: Span): { env: StaticValue; debug: StaticValue } | undefined {
  const environment = currentEnvironment();
  if (!environment) return undefined;
  const setEnv = readEnv('FLASK_ENV', span);
  const setDebug = readEnv('FLASK_DEBUG', span);
  const development = environment.name === 'development';
  const env = setEnv?.kind === 'str' ? setEnv.value : development ? 'development' : 'production';
  const debug = setDebug?.kind === 'str' ? debugFlag(setDebug.value) : env === 'development';
  return {
    env: { kind: 'str', value: env, span, envDriven: true },
    debug: { kind: 'bool', value: debug, span, envDriven: true },
  };
}

/** An evaluator of `if` conditions: the module's names, and Flask's own switches. */
function conditionEvaluator(file: string, lookup: Lookup, at: Node): PythonEvaluator {
  // Asked only when a condition reads them, so only such a condition notes the env reads.
  let runtime: ReturnType<typeof flaskRuntime> | null = null;
  const flask = () => (runtime === null ? (runtime = flaskRuntime(spanOf(file, at))) : runtime);
  return new PythonEvaluator(file, (name) => {
    const switches = /\.(?:debug|env|config)$/.test(name) ? flask() : undefined;
    if (switches && /\.debug$/.test(name)) return switches.debug;
    if (switches && /\.env$/.test(name)) return switches.env;
    if (switches && APP_CONFIG.test(name)) {
      const entry = (key: string, value: StaticValue) => ({
        key: { kind: 'str' as const, value: key, span: value.span },
        value,
      });
      return {
        kind: 'dict',
        entries: [entry('ENV', switches.env), entry('DEBUG', switches.debug)],
        span: switches.env.span,
      };
    }
    // An attribute nothing knows (`app.testing`, `settings.PROD`) is not an empty dict here.
    return (
      lookup(name) ??
      (name.includes('.')
        ? { kind: 'dynamic', span: spanOf(file, at), reason: `\`${name}\` is not known statically` }
        : undefined)
    );
  });
}

/** The innermost `if` a call runs under (in its function), and the clause it is in. */
function branchOf(call: Node): { statement: Node; clause: number } | undefined {
  let child: Node = call;
  for (let node = call.parent; node; child = node, node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'class_definition') return undefined;
    const statement =
      node.type === 'if_statement'
        ? node
        : node.type === 'elif_clause' || node.type === 'else_clause'
          ? node.parent
          : null;
    if (!statement) continue;
    const part = node.type === 'if_statement' ? child : node;
    // Node wrappers are fresh objects per access: compare ids.
    const clause = clausesOf(statement).findIndex((c) => c.id === part.id);
    if (clause >= 0) return { statement, clause };
  }
  return undefined;
}

/** An `if`'s clauses in order: its consequence block, each `elif`, its `else`. */
function clausesOf(statement: Node): Node[] {
  const consequence = statement.childForFieldName('consequence');
  const rest = statement.namedChildren.filter(
    (c): c is Node => c?.type === 'elif_clause' || c?.type === 'else_clause',
  );
  return consequence ? [consequence, ...rest] : rest;
}

/**
 * The clauses of `statement` that may run (-1: none of them) where the extraction runs: up to the
 * first condition known true, skipping those known false.
 */
function possibleClauses(statement: Node, file: string, lookup: Lookup): number[] {
  const evaluator = conditionEvaluator(file, lookup, statement);
  const possible: number[] = [];
  const clauses = clausesOf(statement);
  for (const [index, clause] of clauses.entries()) {
    if (clause.type === 'else_clause') return [...possible, index];
    const condition =
      clause.type === 'elif_clause'
        ? clause.childForFieldName('condition')
        : statement.childForFieldName('condition');
    const value = evaluator.evaluate(condition);
    const truth = value ? truthiness(value) : undefined;
    if (truth === true) return [...possible, index];
    if (truth === undefined) possible.push(index);
  }
  return [...possible, -1];
}

/** The config objects one alternative loads, and the environments that take it (absent: any). */
export interface ConfigVariant {
  objects: ConfigObject[];
  environments?: string[];
}

/**
 * Outside an environment, the clause each of the project's environments takes (its env files
 * and deployment variables answer the condition): undefined unless every one decides.
 */
async function clausesByEnvironment(
  statement: Node,
  file: string,
  lookup: Lookup,
  reader: SourceReader,
): Promise<Map<number, string[]> | undefined> {
  const taken = new Map<number, string[]>();
  for (const name of DEFAULT_ENVIRONMENTS) {
    const { result } = await inEnvironment(environmentOf(name, file, reader), () =>
      Promise.resolve(possibleClauses(statement, file, lookup)),
    );
    if (result.length !== 1) return undefined;
    taken.set(result[0], [...(taken.get(result[0]) ?? []), name]);
  }
  return taken;
}

/** The environments both sets name (absent: any). */
function bothOf(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a || !b) return a ?? b;
  return a.filter((name) => b.includes(name));
}

/**
 * The sets of config objects the app may load, each in call order: one set when no `if` chooses
 * between them (or the environment decides every one), else one per possible branch. Outside an
 * environment, a branch the project's environments tell apart is labelled with the ones that
 * take it (a branch none takes stays, unlabelled: it is reported as any other).
 */
export async function configVariants(
  file: string,
  objects: ConfigObject[],
  lookup: Lookup,
  reader: SourceReader,
): Promise<ConfigVariant[]> {
  const always: ConfigObject[] = [];
  const chosen = new Map<number, { statement: Node; byClause: Map<number, ConfigObject[]> }>();
  for (const object of objects) {
    const branch = branchOf(object.call);
    if (!branch) {
      always.push(object);
      continue;
    }
    let group = chosen.get(branch.statement.id);
    if (!group)
      chosen.set(
        branch.statement.id,
        (group = { statement: branch.statement, byClause: new Map() }),
      );
    const list = group.byClause.get(branch.clause) ?? [];
    list.push(object);
    group.byClause.set(branch.clause, list);
  }
  let variants: ConfigVariant[] = [{ objects: always }];
  for (const { statement, byClause } of chosen.values()) {
    const possible = possibleClauses(statement, file, lookup);
    const taken =
      possible.length > 1 && !currentEnvironment()
        ? await clausesByEnvironment(statement, file, lookup, reader)
        : undefined;
    // Branches that load the same objects are one alternative, taken where either is.
    const distinct: ConfigVariant[] = [];
    for (const clause of possible) {
      const loads = byClause.get(clause) ?? [];
      const environments = taken && (taken.get(clause) ?? []);
      const same = distinct.find(
        (d) => d.objects.length === loads.length && d.objects.every((o, j) => o === loads[j]),
      );
      if (!same) distinct.push({ objects: loads, environments });
      else if (same.environments && environments)
        same.environments = [...same.environments, ...environments];
    }
    if (variants.length * distinct.length > MAX_VARIANTS) {
      // Past the cap, this `if` loads something not told apart: an unknown config.
      const unknown = { call: statement, files: [] };
      variants = variants.map((v) => ({ ...v, objects: [...v.objects, unknown] }));
      continue;
    }
    variants = variants.flatMap((v) =>
      distinct.map((a) => ({
        objects: [...v.objects, ...a.objects],
        // A branch no environment takes keeps the label of none: it is reported as any other.
        environments: a.environments?.length
          ? bothOf(v.environments, a.environments)
          : v.environments,
      })),
    );
  }
  return variants.map((v) => ({
    objects: v.objects.sort((a, b) => a.call.startIndex - b.call.startIndex),
    // Every environment takes it: no narrower than any policy.
    environments:
      v.environments && v.environments.length < DEFAULT_ENVIRONMENTS.length
        ? v.environments
        : undefined,
  }));
}
