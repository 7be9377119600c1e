/**
 * The names a function or block binds for the code inside it: so that `const corsOptions = {...}`
 * written in a `bootstrap()` function is read where `app.use(cors(corsOptions))` uses it, and a
 * parameter or local that shadows a module-level name is not taken for that module-level value.
 */
import type { Node } from 'web-tree-sitter';

/** A name's binding in one scope: the value written, or `unknown` (a parameter, `let x;`, a destructured name). */
export type LocalBinding = Node | 'unknown';

const FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function',
  'generator_function_declaration',
]);

/** Every name a binding pattern declares (`x`, `{ a, b: c }`, `[d, ...e]`, `f = 1`, `g: T`). */
function patternNames(pattern: Node): string[] {
  switch (pattern.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return [pattern.text];
    case 'pair_pattern':
      return namesAt(pattern.childForFieldName('value'));
    case 'assignment_pattern':
    case 'object_assignment_pattern':
      return namesAt(pattern.childForFieldName('left'));
    case 'required_parameter':
    case 'optional_parameter':
      return namesAt(pattern.childForFieldName('pattern'));
    case 'lexical_declaration':
    case 'variable_declaration':
      return pattern.namedChildren.flatMap((d) => namesAt(d?.childForFieldName('name') ?? null));
    case 'object_pattern':
    case 'array_pattern':
    case 'formal_parameters':
    case 'rest_pattern':
      return pattern.namedChildren.flatMap((c) => namesAt(c));
    default:
      return [];
  }
}

const namesAt = (node: Node | null): string[] => (node ? patternNames(node) : []);

/** Adds what a `const`/`let`/`var` declaration binds. */
function addDeclaration(out: Map<string, LocalBinding>, declaration: Node): void {
  for (const declarator of declaration.namedChildren) {
    if (declarator?.type !== 'variable_declarator') continue;
    const name = declarator.childForFieldName('name');
    const value = declarator.childForFieldName('value');
    if (!name) continue;
    if (name.type === 'identifier') {
      // A second declaration of the same name is an error: keep the first.
      if (!out.has(name.text)) out.set(name.text, value ?? 'unknown');
    } else for (const bound of patternNames(name)) out.set(bound, 'unknown');
  }
}

/** What one scope node binds for the code inside it (empty for nodes that are no scope). */
function bindingsOf(scope: Node): Map<string, LocalBinding> {
  const out = new Map<string, LocalBinding>();
  if (scope.type === 'statement_block') {
    for (const statement of scope.namedChildren) {
      if (!statement) continue;
      if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration')
        addDeclaration(out, statement);
      else if (
        statement.type === 'function_declaration' ||
        statement.type === 'class_declaration'
      ) {
        const name = statement.childForFieldName('name')?.text;
        if (name && !out.has(name)) out.set(name, statement);
      }
    }
  } else if (FUNCTIONS.has(scope.type)) {
    const params = scope.childForFieldName('parameters') ?? scope.childForFieldName('parameter');
    for (const name of namesAt(params)) out.set(name, 'unknown');
  } else {
    // Loop variables and a caught error change per iteration or per throw: never one value.
    const header =
      scope.type === 'for_in_statement'
        ? scope.childForFieldName('left')
        : scope.type === 'for_statement'
          ? scope.childForFieldName('initializer')
          : scope.type === 'catch_clause'
            ? scope.childForFieldName('parameter')
            : null;
    for (const name of namesAt(header)) out.set(name, 'unknown');
  }
  return out;
}

/** The local scopes of one module, each read once. */
export class LocalScopes {
  private readonly read = new Map<number, Map<string, LocalBinding>>();

  /**
   * What `name` is bound to where `node` is written, by the nearest function or block around it
   * that declares it; undefined when none does (the module's own binding then applies).
   */
  bindingAt(node: Node, name: string): LocalBinding | undefined {
    for (let up = node.parent; up && up.type !== 'program'; up = up.parent) {
      let scope = this.read.get(up.id);
      if (!scope) this.read.set(up.id, (scope = bindingsOf(up)));
      const found = scope.get(name);
      if (found) return found;
    }
    return undefined;
  }
}
