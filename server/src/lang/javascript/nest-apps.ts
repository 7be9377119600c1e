/**
 * The apps a module creates with NestJS's `NestFactory.create(...)`. Their `app.use(...)` goes
 * through Nest's HTTP adapter ahead of routes declared in controllers elsewhere, so the nestjs
 * framework reads it, and the Express reader (which answers 404 for routes it cannot see) must not.
 */
import type { Node } from 'web-tree-sitter';
import { memberCalls } from './member-calls';

/** One `NestFactory.create(...)` call and the name its app is bound to (`const app = await ...`). */
export interface NestCreate {
  call: Node;
  name?: string;
}

/**
 * The function a call calls. With type arguments, tree-sitter-typescript reads
 * `await NestFactory.create<T>(...)` as a call of `await NestFactory.create`: look inside.
 */
export function calleeOf(call: Node): Node | null {
  const fn = call.childForFieldName('function');
  return fn?.type === 'await_expression' ? (fn.namedChildren[0] ?? null) : fn;
}

/** The variable a create call's app is bound to (`const app = await NestFactory.create(...)`). */
function appName(call: Node): string | undefined {
  let node: Node | null = call.parent;
  while (
    node &&
    (node.type === 'await_expression' ||
      node.type === 'parenthesized_expression' ||
      node.type === 'as_expression')
  )
    node = node.parent;
  const name = node?.type === 'variable_declarator' ? node.childForFieldName('name') : null;
  return name?.type === 'identifier' ? name.text : undefined;
}

/** Every `NestFactory.create(...)` of the module, in source order. */
export function nestCreates(root: Node, text: string): NestCreate[] {
  if (!/\bNestFactory\b/.test(text)) return [];
  return memberCalls(root, text, ['create'])
    .filter(
      (call) =>
        !call.hasError && calleeOf(call)?.childForFieldName('object')?.text === 'NestFactory',
    )
    .map((call) => ({ call, name: appName(call) }));
}
