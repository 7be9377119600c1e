/**
 * A receiver of django-cors-headers' `check_request_enabled` signal
 * (`check_request_enabled.connect(fn)` or `@receiver(check_request_enabled)`): for a request it
 * returns True for, CorsMiddleware both enables CORS on the path (whatever CORS_URLS_REGEX says)
 * and lets the request's Origin in (whatever the allowlist says), echoing it back.
 */
import { nodesFoundByText } from '../../parsing/found-by-text';
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { SourceRef } from '../../policy/types';
import { spanOf } from '../../lang/python/evaluate';

/** Local names bound to `corsheaders.signals.check_request_enabled`. */
function signalNames(tree: SourceTree, text: string): Set<string> {
  const names = new Set<string>();
  for (const node of nodesFoundByText(tree, text, /\bfrom\s+corsheaders\s*\.\s*signals\b/g, [
    'import_from_statement',
  ])) {
    if (node.childForFieldName('module_name')?.text !== 'corsheaders.signals') continue;
    for (const name of node.childrenForFieldName('name')) {
      const original =
        name?.type === 'aliased_import' ? name.childForFieldName('name')?.text : name?.text;
      const local =
        name?.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name?.text;
      if (original === 'check_request_enabled' && local) names.add(local);
    }
  }
  return names;
}

/** The module-level function named `name` (decorated or not). */
const functionNamed = (tree: SourceTree, name: string | undefined): Node | undefined =>
  tree
    .topLevel()
    .map((n) => (n.type === 'decorated_definition' ? n.childForFieldName('definition') : n))
    .find(
      (n): n is Node =>
        n?.type === 'function_definition' && n.childForFieldName('name')?.text === name,
    );

/**
 * Whether a receiver's body reads the request's Origin (`request.headers.get('origin')`,
 * `META['HTTP_ORIGIN']`): it then decides per origin (a database or settings allowlist), not for
 * every request.
 */
const readsOrigin = (fn: Node | undefined): boolean =>
  !!fn && /HTTP_ORIGIN|['"]origin['"]/i.test(fn.childForFieldName('body')?.text ?? '');

/** A module's `check_request_enabled` receiver: where it is connected, and whether it tests the Origin. */
export interface SignalReceiver {
  at: SourceRef;
  testsOrigin: boolean;
}

/** Where a module connects a receiver to `check_request_enabled`, or undefined. */
export function signalReceiver(
  file: string,
  text: string,
  tree: SourceTree,
): SignalReceiver | undefined {
  const names = signalNames(tree, text);
  if (!names.size) return undefined;
  const signal = (node: Node | null | undefined) => !!node && names.has(node.text);
  // `<signal>.connect(...)` and `@receiver(<signal>)`.
  const calls = /(?:\.\s*connect|(?<![\w.])receiver)\s*\(/g;
  for (const call of nodesFoundByText(tree, text, calls, ['call'])) {
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const connects =
      fn?.type === 'attribute' &&
      fn.childForFieldName('attribute')?.text === 'connect' &&
      signal(fn.childForFieldName('object'));
    const decorates = fn?.text === 'receiver' && signal(args[0]);
    if (connects || decorates) {
      const fn = connects
        ? functionNamed(tree, args[0]?.text)
        : (call.parent?.parent?.namedChildren.find((c) => c?.type === 'function_definition') ??
          undefined);
      const receiver = connects ? args[0]?.text : fn?.childForFieldName('name')?.text;
      return {
        at: {
          span: spanOf(file, call),
          label: `check_request_enabled receiver ${receiver ?? ''}`.trim(),
        },
        testsOrigin: readsOrigin(fn),
      };
    }
  }
  return undefined;
}
