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

/**
 * The middleware a rackup file `use`s (top-level `use X` calls, and those inside
 * `Rack::Builder.new do ... end` / `map '/x' do ... end`), each name once at its first `use`, in
 * file order: what runs before a Rack::Cors is the prefix that starts above it. Read once per
 * file, so a file with thousands of `use Rack::Cors` stays linear.
 */
export function rackupUses(file: string, root: Node): RackCorsPosition['before'] {
  const out: RackCorsPosition['before'] = [];
  const seen = new Set<string>();
  const isUse = (node: Node) =>
    node.type === 'call' &&
    !node.childForFieldName('receiver') &&
    node.childForFieldName('method')?.text === 'use';
  const wraps = (node: Node) =>
    !isUse(node) &&
    ['body_statement', 'do_block', 'block', 'block_body', 'call'].includes(node.type) &&
    (node.type !== 'call' || !!node.childForFieldName('block'));
  for (const node of namedDescendants(root, wraps)) {
    if (!isUse(node)) continue;
    const name = argsOf(node)[0]?.text.replace(/^::/, '');
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    out.push({ name, span: spanOf(file, node) });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/**
 * How `call` adds Rack::Cors (which must be its {@link rackCorsArgument}); `uses`: the file's
 * {@link rackupUses}.
 */
export function positionOf(
  file: string,
  uses: RackCorsPosition['before'],
  call: Node,
  cors: Node,
): RackCorsPosition {
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
    before: rails ? [] : uses.filter((use) => use.span.start < call.startIndex),
    call: spanOf(file, call),
    head: { file, start: method.startIndex, end: cors.endIndex },
  };
}
