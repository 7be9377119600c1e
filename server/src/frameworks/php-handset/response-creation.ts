/**
 * Where PHP code makes a response with its status and headers as arguments:
 * `response($body, 204, $headers)`, `Response::make($body, 204, $headers)` (also `::json`,
 * `::noContent(204, $headers)`), `response()->json($data, 204, $headers)` and
 * `new Response($body, 204, $headers)` / `new JsonResponse(...)`.
 *
 * Laravel and Symfony cannot run here (no Debian package): the argument order is read from their
 * source, laravel/framework `Illuminate/Routing/ResponseFactory.php` (`make($content, $status,
 * $headers)`, `json($data, $status, $headers)`, `noContent($status, $headers)`, which all build a
 * Symfony `Response($content, $status, $headers)`), and Symfony's `Response::__construct`.
 */
import type { Node } from 'web-tree-sitter';
import { callArguments } from '../../lang/php/evaluate';

export interface ResponseCreation {
  status?: Node;
  headers?: Node;
}

/** Factory methods by the position of their status argument (the headers come right after). */
const FACTORY_METHODS = new Map([
  ['make', 1],
  ['json', 1],
  ['noContent', 0],
]);
const CLASSES = /^(Response|JsonResponse)$/;

/** `Foo\Bar\Response` → `Response`. */
const lastSegment = (name: string | undefined) => name?.split('\\').pop() ?? '';

/** An `arguments` node's values, whether or not the grammar names it a field. */
function argumentValues(node: Node): Node[] {
  if (node.childForFieldName('arguments')) return callArguments(node).positional;
  const list = node.namedChildren.find((c) => c?.type === 'arguments');
  return (list?.namedChildren ?? [])
    .filter((a): a is Node => a?.type === 'argument')
    .map((a) => a.namedChildren[a.namedChildren.length - 1])
    .filter((v): v is Node => !!v);
}

const isResponseHelper = (node: Node | null | undefined) =>
  node?.type === 'function_call_expression' &&
  /^response$/i.test(lastSegment(node.childForFieldName('function')?.text));

const at = (values: Node[], status: number): ResponseCreation => ({
  status: values[status],
  headers: values[status + 1],
});

/** The status and headers arguments of a response made at `node`, if it makes one. */
export function responseCreation(node: Node): ResponseCreation | undefined {
  const values = argumentValues(node);
  switch (node.type) {
    case 'function_call_expression':
      // `response()` alone is the factory, not a response.
      return isResponseHelper(node) && values.length > 0 ? at(values, 1) : undefined;
    case 'object_creation_expression':
      return CLASSES.test(lastSegment(node.namedChildren[0]?.text)) ? at(values, 1) : undefined;
    case 'scoped_call_expression': {
      const status = FACTORY_METHODS.get(node.childForFieldName('name')?.text ?? '');
      return status !== undefined &&
        lastSegment(node.childForFieldName('scope')?.text) === 'Response'
        ? at(values, status)
        : undefined;
    }
    case 'member_call_expression': {
      const status = FACTORY_METHODS.get(node.childForFieldName('name')?.text ?? '');
      const factory = node.childForFieldName('object');
      return status !== undefined &&
        isResponseHelper(factory) &&
        argumentValues(factory!).length === 0
        ? at(values, status)
        : undefined;
    }
    default:
      return undefined;
  }
}
