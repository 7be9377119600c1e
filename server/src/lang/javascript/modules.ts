import type { Node } from 'web-tree-sitter';
import { jsStringValue } from './evaluate';

/**
 * The local names a module is bound to: `import cors from 'cors'`, `import * as cors from 'cors'`,
 * `const cors = require('cors')`, TypeScript's `import cors = require('cors')`. Named imports are not
 * included (`import { x } from 'cors'`).
 */
export function defaultImportNames(root: Node, module: string): Set<string> {
  const names = new Set<string>();
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'import_statement') {
      // TypeScript's `import cors = require('cors')`.
      const required = statement.namedChildren.find((c) => c?.type === 'import_require_clause');
      const requiredSource = required?.childForFieldName('source');
      const requiredName = required?.namedChildren.find((c) => c?.type === 'identifier');
      if (requiredSource && requiredName && jsStringValue(requiredSource) === module)
        names.add(requiredName.text);
      const source = statement.childForFieldName('source');
      if (!source || jsStringValue(source) !== module) continue;
      const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
      for (const part of clause?.namedChildren ?? []) {
        if (part?.type === 'identifier') names.add(part.text);
        if (part?.type === 'namespace_import') {
          const id = part.namedChildren.find((c) => c?.type === 'identifier');
          if (id) names.add(id.text);
        }
      }
    }
    if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      for (const declarator of statement.namedChildren) {
        const name = declarator?.childForFieldName('name');
        const value = declarator?.childForFieldName('value');
        if (name?.type === 'identifier' && value && isRequireOf(value, module))
          names.add(name.text);
      }
    }
  }
  return names;
}

/** `require('module')`. */
export function isRequireOf(node: Node, module: string): boolean {
  if (node.type !== 'call_expression' || node.childForFieldName('function')?.text !== 'require')
    return false;
  const arg = node.childForFieldName('arguments')?.namedChildren[0];
  return !!arg && jsStringValue(arg) === module;
}

/**
 * The local names of one named export of a module: `import { cors } from 'hono/cors'`,
 * `import { cors as c } ...`, `const { cors } = require('hono/cors')`.
 */
export function namedImportNames(root: Node, module: string, exported: string): Set<string> {
  const names = new Set<string>();
  for (const statement of root.namedChildren) {
    if (statement?.type === 'import_statement') {
      const source = statement.childForFieldName('source');
      if (!source || jsStringValue(source) !== module) continue;
      for (const specifier of statement.descendantsOfType('import_specifier')) {
        if (specifier?.childForFieldName('name')?.text !== exported) continue;
        names.add(specifier.childForFieldName('alias')?.text ?? exported);
      }
    }
    if (statement?.type === 'lexical_declaration' || statement?.type === 'variable_declaration') {
      for (const declarator of statement.namedChildren) {
        const name = declarator?.childForFieldName('name');
        const value = declarator?.childForFieldName('value');
        if (name?.type !== 'object_pattern' || !value || !isRequireOf(value, module)) continue;
        for (const part of name.namedChildren) {
          if (part?.type === 'shorthand_property_identifier_pattern' && part.text === exported)
            names.add(exported);
          if (part?.type === 'pair_pattern' && part.childForFieldName('key')?.text === exported)
            names.add(part.childForFieldName('value')?.text ?? exported);
        }
      }
    }
  }
  return names;
}
