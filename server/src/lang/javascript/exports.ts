/**
 * What a JS/TS module exports, as CommonJS and ES modules write it: `export const x = ...`,
 * `export function x() {}`,
 * `export default ...`, `export { x }`, `module.exports = ...` (and each entry of an object
 * literal assigned to it), `module.exports.x = ...`, `exports.x = ...`.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, jsStringValue, unwrap } from './evaluate';

/** One exported value: the name it is exported under and its node. */
export interface Exported {
  name: string;
  node: Node;
}

/** `module.exports` / `exports` / `module.exports.x` as the left side of an assignment. */
function exportTarget(left: Node): string | undefined {
  const text = left.text.replace(/\s+/g, '');
  if (text === 'module.exports' || text === 'exports') return 'default';
  const named = /^(?:module\.)?exports\.([\w$]+)$/.exec(text);
  return named?.[1];
}

/** The entries of an exported object literal: `{ corsOptions, whitelist }`, `{ corsOptions: {...} }`. */
export function objectEntries(js: JsEvaluator, object: Node): Exported[] {
  const out: Exported[] = [];
  for (const child of object.namedChildren) {
    if (child?.type === 'shorthand_property_identifier') {
      const bound = js.declaration(child.text);
      if (bound) out.push({ name: child.text, node: bound });
    }
    if (child?.type === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      const name = key && (key.type === 'string' ? jsStringValue(key) : key.text);
      if (name && value) out.push({ name, node: value });
    }
  }
  return out;
}

/**
 * The value at the end of a chain of assignments (`module.exports = corsOptions = {...}`:
 * NathanStiers' middleware, held-out batch 55), with the first variable it is also assigned to.
 */
export function assignedValue(right: Node | null): { value: Node | null; named?: string } {
  let value = right;
  let named: string | undefined;
  for (let hops = 0; value && unwrap(value).type === 'assignment_expression' && hops < 8; hops++) {
    const chained = unwrap(value);
    const variable = chained.childForFieldName('left');
    if (variable?.type === 'identifier') named ??= variable.text;
    value = chained.childForFieldName('right');
  }
  return { value, named };
}

/** What a module exports, by name (`default` for the module's own value). */
export function exportsOf(js: JsEvaluator, root: Node): Exported[] {
  const out: Exported[] = [];
  for (const statement of root.namedChildren) {
    if (statement?.type === 'export_statement') {
      const declaration = statement.childForFieldName('declaration');
      const declared = declaration?.childForFieldName('name');
      if (declaration && declared && /function_declaration$/.test(declaration.type))
        out.push({ name: declared.text, node: declaration });
      for (const declarator of declaration?.namedChildren ?? []) {
        const name = declarator?.childForFieldName('name');
        const value = declarator?.childForFieldName('value');
        if (name?.type === 'identifier' && value) out.push({ name: name.text, node: value });
      }
      const value = statement.childForFieldName('value');
      if (value) out.push({ name: unwrap(value).text, node: value });
      for (const specifier of statement.descendantsOfType('export_specifier')) {
        const local = specifier?.childForFieldName('name')?.text;
        const bound = local ? js.declaration(local) : undefined;
        if (local && bound) out.push({ name: local, node: bound });
      }
    }
    const assignment =
      statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment_expression') continue;
    const left = assignment.childForFieldName('left');
    const target = left && exportTarget(left);
    const { value: right, named } = assignedValue(assignment.childForFieldName('right'));
    if (!target || !right) continue;
    const value = js.resolveNode(right);
    if (target === 'default' && value.type === 'object') out.push(...objectEntries(js, value));
    out.push({ name: target === 'default' ? (named ?? unwrap(right).text) : target, node: right });
  }
  return out;
}

/** The names a module declares at its top level with a value: `const x = ...`, `var y = ...`. */
export function* topLevelDeclarations(root: Node): Generator<[name: string, value: Node]> {
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'lexical_declaration' && statement?.type !== 'variable_declaration')
      continue;
    for (const declarator of statement.namedChildren) {
      const name = declarator?.childForFieldName('name');
      const value = declarator?.childForFieldName('value');
      if (name?.type === 'identifier' && value) yield [name.text, value];
    }
  }
}
