/**
 * A hand-written `after_request` hook that adds `Access-Control-Allow-Credentials: true` to every
 * response of an app Flask-CORS also serves: the two layers make one response. Flask-CORS echoes
 * the request's Origin for `origins='*'` (send_wildcard is off by default), so with the hook's
 * header any website reads the user's authenticated answers (img-api, held-out batch 52: run
 * with flask-cors 3.0.10 in Flask's test client, `https://evil.test` echoed with credentials).
 * Only unconditional writes count: a write under an `if` may be the hook's own origin check.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { SourceRef } from '../../policy/types';
import { callArguments } from '../../lang/python/module-values';
import { parameterNames } from '../../lang/python/local-scope';
import { spanOf, stringValue } from '../../lang/python/evaluate';

const CREDENTIALS = 'access-control-allow-credentials';

/** A Python string node's value, or undefined for anything else. */
const literal = (node: Node | null | undefined): string | undefined =>
  node?.type === 'string' ? stringValue(node) : undefined;

/** `<response>.headers` for the hook's response parameter. */
const headersOf = (node: Node | null | undefined, response: string): boolean =>
  node?.type === 'attribute' && node.text.replace(/\s+/g, '') === `${response}.headers`;

/** Whether one statement of a hook's body sets Allow-Credentials to `true` on its response. */
function addsCredentials(statement: Node, response: string): boolean {
  const expression = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
  if (expression?.type === 'call') {
    const fn = expression.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (!method || !['add', 'set', 'setdefault'].includes(method)) return false;
    if (!headersOf(fn?.childForFieldName('object'), response)) return false;
    const { positional } = callArguments(expression);
    return (
      literal(positional[0])?.toLowerCase() === CREDENTIALS && literal(positional[1]) === 'true'
    );
  }
  if (expression?.type !== 'assignment') return false;
  const left = expression.childForFieldName('left');
  return (
    left?.type === 'subscript' &&
    headersOf(left.childForFieldName('value'), response) &&
    literal(left.childForFieldName('subscript'))?.toLowerCase() === CREDENTIALS &&
    literal(expression.childForFieldName('right')) === 'true'
  );
}

/** The app a decorator registers its function on as an after_request hook (`@app.after_request`). */
function hookedApp(definition: Node): string | undefined {
  for (const decorator of definition.namedChildren) {
    if (decorator?.type !== 'decorator') continue;
    const match = /^(\w+)\.after_request$/.exec(
      decorator.namedChildren[0]?.text.replace(/\s+/g, '') ?? '',
    );
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Functions registered by a call, at module level or in an app factory:
 * `app.after_request(add_headers)`.
 */
function registeredByCall(tree: SourceTree): Map<string, string> {
  const apps = new Map<string, string>();
  for (const call of tree.descendantsOfType('call')) {
    const match = /^(\w+)\.after_request$/.exec(call.childForFieldName('function')?.text ?? '');
    const argument = match ? callArguments(call).positional[0] : undefined;
    if (match && argument?.type === 'identifier') apps.set(argument.text, match[1]);
  }
  return apps;
}

/**
 * Each app's unconditional Allow-Credentials writes in its after_request hooks, in this module:
 * hooks at module level or inside an app factory (`def create_app(): ... @app.after_request`).
 */
export function hookCredentials(file: string, tree: SourceTree): Map<string, SourceRef> {
  const byCall = registeredByCall(tree);
  const found = new Map<string, SourceRef>();
  for (const fn of tree.descendantsOfType('function_definition')) {
    const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
    const app = decorated
      ? hookedApp(decorated)
      : byCall.get(fn.childForFieldName('name')?.text ?? '');
    const response = parameterNames(fn).at(-1);
    if (!app || !response || found.has(app)) continue;
    const write = fn
      .childForFieldName('body')
      ?.namedChildren.find((s): s is Node => !!s && addsCredentials(s, response));
    if (write)
      found.set(app, {
        span: spanOf(file, write),
        label: `the after_request hook's Access-Control-Allow-Credentials: true (line ${write.startPosition.row + 1})`,
      });
  }
  return found;
}
