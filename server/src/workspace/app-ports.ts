/**
 * The ports an app file says it listens on: `app.listen(4000)`, `server.listen(process.env.PORT
 * || 4000)`, `fastify.listen({ port: 4000 })` and a module `const PORT = 4000` in JavaScript, `app.run(port=5001)` and
 * `uvicorn.run(app, port=8001)` in Python. Literal numbers only; anything else leaves the
 * framework's usual dev port.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../parsing/source-tree';
import { memberCalls } from '../lang/javascript/member-calls';

const isPort = (n: number) => Number.isInteger(n) && n > 0 && n < 65536;

/** A number literal, or the literal fallback of `x || 4000` / `x ?? 4000`. */
function literalPort(node: Node | null | undefined): number | undefined {
  if (!node) return undefined;
  if (node.type === 'integer' || node.type === 'number') {
    const n = Number(node.text);
    return isPort(n) ? n : undefined;
  }
  const operator = node.childForFieldName('operator')?.text;
  if (
    (node.type === 'binary_expression' && (operator === '||' || operator === '??')) ||
    (node.type === 'boolean_operator' && operator === 'or')
  ) {
    return literalPort(node.childForFieldName('right'));
  }
  return undefined;
}

/** The value a module-level `const NAME = ...` (exported or not) binds `name` to. */
function moduleConstant(root: Node, name: string): Node | undefined {
  for (const statement of root.namedChildren) {
    const declaration =
      statement?.type === 'export_statement'
        ? statement.childForFieldName('declaration')
        : statement;
    if (declaration?.type !== 'lexical_declaration' || !declaration.text.startsWith('const'))
      continue;
    for (const declarator of declaration.namedChildren)
      if (declarator?.childForFieldName('name')?.text === name)
        return declarator.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** `*.listen(<port>, ...)` / `*.listen({ port })` calls (Express, node:http, Fastify). */
function jsPorts(root: Node, text: string): number[] {
  return memberCalls(root, text, ['listen']).flatMap((call) => {
    if (call.hasError || call.childForFieldName('function')?.type !== 'member_expression')
      return [];
    const first = call.childForFieldName('arguments')?.namedChildren[0];
    // Fastify and node:net also take `listen({ port: 3001, host })`.
    const port =
      first?.type === 'object'
        ? first.namedChildren
            .find(
              (pair) =>
                pair?.type === 'pair' &&
                pair.childForFieldName('key')?.text.replace(/['"]/g, '') === 'port',
            )
            ?.childForFieldName('value')
        : first;
    // `const PORT = 3456; server.listen(PORT)`.
    const bound = port?.type === 'identifier' ? moduleConstant(root, port.text) : port;
    return literalPort(bound) ?? [];
  });
}

/**
 * `port=<n>` keyword arguments of any call (`app.run`, `uvicorn.run`) and parameter defaults
 * (`def run(port=8001)`), found in the text first; the address of a standard library server
 * (`TCPServer(("", PORT), Handler)`, a module's `PORT = 8000`: localGPT's two servers, held-out
 * batch 24).
 */
function pythonPorts(tree: SourceTree, text: string): number[] {
  const named = [...text.matchAll(/\bport\s*(?::\s*int\s*)?=(?!=)/g)].flatMap((match) => {
    let node = tree.descendantForIndex(match.index, match.index + match[0].length);
    while (node && node.type === 'identifier') node = node.parent;
    if (
      !node ||
      node.hasError ||
      !['keyword_argument', 'default_parameter', 'typed_default_parameter'].includes(node.type) ||
      node.childForFieldName('name')?.text !== 'port'
    )
      return [];
    return literalPort(node.childForFieldName('value')) ?? [];
  });
  const served = [
    ...text.matchAll(/\b\w*Server\s*\(\s*\(\s*(?:'[^'\n]*'|"[^"\n]*"|\w+)\s*,\s*(\w+)\s*\)/g),
  ].flatMap(([, port]) => {
    const written = /^\d+$/.test(port)
      ? port
      : new RegExp(`^${port}[ \\t]*=[ \\t]*(\\d+)[ \\t]*(?:#.*)?$`, 'm').exec(text)?.[1];
    const value = written === undefined ? NaN : Number(written);
    return value > 0 && value < 65536 ? [value] : [];
  });
  // argparse's `add_argument("--port", type=int, default=8001)`.
  const parsed = [
    ...text.matchAll(/\badd_argument\(\s*['"]--port['"][^()]*?\bdefault\s*=\s*(\d+)/g),
  ].flatMap(([, port]) => (Number(port) > 0 && Number(port) < 65536 ? [Number(port)] : []));
  return [...named, ...served, ...parsed];
}

/** The explicit ports of a parsed app file, in file order, without repeats. */
export function explicitPorts(grammar: string, tree: SourceTree, text: string): number[] {
  // Most app files name no port: a text test spares a walk of the whole tree on every keystroke.
  if (!/\bport\s*(?::\s*int\s*)?=|\.listen\s*\(|Server\s*\(\s*\(|--port\b/i.test(text)) return [];
  const found =
    grammar === 'python'
      ? pythonPorts(tree, text)
      : ['javascript', 'typescript', 'tsx'].includes(grammar)
        ? jsPorts(tree.root, text)
        : [];
  return [...new Set(found)];
}
