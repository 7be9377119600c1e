/**
 * `XMLHttpRequest` calls: `const xhr = new XMLHttpRequest()` and, in the same block, each
 * `xhr.open(method, url)` with the `xhr.setRequestHeader(name, value)` calls that follow it (until
 * the next `open`, which starts a new request) and `xhr.withCredentials = true` anywhere in the
 * block (the flag outlives `open`). A method or header name that is not a literal drops the call
 * rather than guessing it.
 */
import type { Node } from 'web-tree-sitter';
import type { HeaderList } from '../fetch/types';
import { spanOf, type JsEvaluator, argumentsOf } from '../lang/javascript/evaluate';
import type { UrlReader } from './call-url';
import type { FrontendCall } from './types';

/** `name.method(...)` calls and `name.prop = value` assignments in a block, in source order. */
function uses(block: Node, name: string): { node: Node; member: string }[] {
  const out: { node: Node; member: string }[] = [];
  for (const node of block.descendantsOfType(['call_expression', 'assignment_expression'])) {
    if (!node || node.hasError) continue;
    const target = node.childForFieldName(node.type === 'call_expression' ? 'function' : 'left');
    if (target?.type !== 'member_expression' || target.childForFieldName('object')?.text !== name)
      continue;
    out.push({ node, member: target.childForFieldName('property')?.text ?? '' });
  }
  return out;
}

/** The XMLHttpRequest calls of one module. */
export function xhrCalls(
  file: string,
  root: Node,
  js: JsEvaluator,
  urls: UrlReader,
): FrontendCall[] {
  const out: FrontendCall[] = [];
  for (const created of root.descendantsOfType('new_expression')) {
    if (
      !created ||
      created.hasError ||
      created.childForFieldName('constructor')?.text !== 'XMLHttpRequest'
    )
      continue;
    const declarator = created.parent;
    const name =
      declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : undefined;
    const block = declarator?.parent?.parent;
    if (name?.type !== 'identifier' || !block) continue;
    const steps = uses(block, name.text);
    const withCredentials = steps.some(
      ({ node, member }) =>
        member === 'withCredentials' &&
        node.type === 'assignment_expression' &&
        node.childForFieldName('right')?.type === 'true',
    );
    let current:
      | { call: Node; method?: string; url?: string; headers: HeaderList; known: boolean }
      | undefined;
    const finish = () => {
      if (current?.known && current.method && current.url) {
        out.push({
          span: spanOf(file, current.call),
          client: 'XMLHttpRequest',
          url: current.url,
          method: current.method,
          headers: current.headers,
          credentials: withCredentials ? 'include' : 'same-origin',
        });
      }
    };
    for (const { node, member } of steps) {
      if (node.type !== 'call_expression') continue;
      if (member === 'open') {
        finish();
        const [methodNode, urlNode] = argumentsOf(node);
        const method = methodNode && js.evaluate(methodNode);
        current = {
          call: node,
          method: method?.kind === 'str' ? method.value.toUpperCase() : undefined,
          url: urls.url(urlNode),
          headers: [],
          known: true,
        };
      } else if (member === 'setRequestHeader' && current) {
        const [headerName, value] = argumentsOf(node).map((a) => js.evaluate(a));
        if (headerName?.kind !== 'str') current.known = false;
        else current.headers.push([headerName.value, value?.kind === 'str' ? value.value : 'x']);
      }
    }
    finish();
  }
  return out;
}
