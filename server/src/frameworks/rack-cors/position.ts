/**
 * Where a call adds Rack::Cors to a middleware stack: Rails' `config.middleware.<how>` (in an
 * initializer or config/application.rb) or a rackup file's `use`, with the middleware a rackup
 * file `use`s before it.
 */
import { namedDescendants } from '../../parsing/descendants';
import type { Node } from 'web-tree-sitter';
import type { RackCorsPosition } from './facts';
import { spanOf } from '../../lang/ruby/evaluate';
import { argsOf } from './setup';

/** Methods of Rails' MiddlewareStackProxy / Rack::Builder that add a middleware. */
const ADDERS = new Set(['use', 'insert_before', 'insert_after', 'insert', 'unshift', 'swap']);

const isRackCors = (node: Node | undefined) =>
  !!node && /^(::)?Rack::Cors$|^(['"])Rack::Cors\2$/.test(node.text);

/** The Rack::Cors argument of a middleware-adding call, if the call adds Rack::Cors. */
export function rackCorsArgument(call: Node): Node | undefined {
  if (call.type !== 'call') return undefined;
  const method = call.childForFieldName('method')?.text ?? '';
  if (!ADDERS.has(method)) return undefined;
  const args = argsOf(call);
  const at = method === 'use' || method === 'unshift' ? 0 : 1;
  return isRackCors(args[at]) ? args[at] : undefined;
}

/** The middleware a rackup file `use`s before `offset` (top-level `use X` calls). */
function usedBefore(file: string, root: Node, offset: number): RackCorsPosition['before'] {
  const out: RackCorsPosition['before'] = [];
  const isUse = (node: Node) =>
    node.type === 'call' &&
    !node.childForFieldName('receiver') &&
    node.childForFieldName('method')?.text === 'use';
  // `Rack::Builder.new do ... end` and `map '/x' do ... end` wrap their `use` lines.
  const wraps = (node: Node) =>
    node.startIndex < offset &&
    !isUse(node) &&
    ['body_statement', 'do_block', 'block', 'block_body', 'call'].includes(node.type) &&
    (node.type !== 'call' || !!node.childForFieldName('block'));
  for (const node of namedDescendants(root, wraps)) {
    if (node.startIndex >= offset || !isUse(node)) continue;
    const name = argsOf(node)[0];
    if (name) out.push({ name: name.text.replace(/^::/, ''), span: spanOf(file, node) });
  }
  return out;
}

/** How `call` adds Rack::Cors (which must be its {@link rackCorsArgument}). */
export function positionOf(file: string, root: Node, call: Node, cors: Node): RackCorsPosition {
  const receiver = call.childForFieldName('receiver');
  const how = call.childForFieldName('method')!.text;
  const rails = !!receiver && /(^|\.)middleware$/.test(receiver.text);
  const args = argsOf(call);
  const method = call.childForFieldName('method')!;
  return {
    stack: rails ? 'rails' : 'rackup',
    how,
    anchor:
      how === 'insert_before' || how === 'insert_after' || how === 'insert' || how === 'swap'
        ? args[0]?.text
        : undefined,
    before: rails ? [] : usedBefore(file, root, call.startIndex),
    call: spanOf(file, call),
    head: { file, start: method.startIndex, end: cors.endIndex },
  };
}
