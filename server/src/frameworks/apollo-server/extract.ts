/**
 * Apollo Server 4/5 `startStandaloneServer(server, options)`: the standalone server always runs
 * `cors()` with its defaults (every origin, `*`) in front of the GraphQL handler; its options
 * have no CORS key. One policy per call. (`expressMiddleware(server)` mounted behind
 * `cors(options)` is an Express app: the express-cors framework reads it.)
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy, Span } from '../../policy/types';
import type { ApolloServerFacts } from './facts';
import { JsEvaluator, jsStringValue, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { readCorsOptions } from '../../lang/javascript/cors-package/options';

/**
 * `csrfPrevention: false` in a `new ApolloServer({...})` of the module: the last `csrfPrevention`
 * entry of the options is the one that counts (a later duplicate key wins), and every entry is
 * returned so that a fix takes them all out.
 */
function csrfOff(js: JsEvaluator, root: Node): { at: Span; entries: Span[] } | undefined {
  for (const created of root.descendantsOfType('new_expression')) {
    if (!created || created.childForFieldName('constructor')?.text !== 'ApolloServer') continue;
    const [options] =
      created
        .childForFieldName('arguments')
        ?.namedChildren.filter((a) => a && a.type !== 'comment') ?? [];
    const object = options && js.resolveNode(options);
    const entries = (object?.type === 'object' ? object.namedChildren : []).filter(
      (pair): pair is Node => {
        const key = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
        return (
          !!key && (key.type === 'string' ? jsStringValue(key) : key.text) === 'csrfPrevention'
        );
      },
    );
    const value = entries.at(-1)?.childForFieldName('value');
    if (value && unwrap(value).type === 'false')
      return {
        at: spanOf(js.file, entries[entries.length - 1]),
        entries: entries.map((e) => spanOf(js.file, e)),
      };
  }
  return undefined;
}

/** The standalone servers of a module (none when it does not import `@apollo/server/standalone`). */
export async function extractApollo(
  file: string,
  text: string,
  tree: SourceTree,
  _reader: SourceReader,
): Promise<Policy[]> {
  if (
    !/@apollo\/server\/standalone|apollo-server/.test(text) ||
    !/\bstartStandaloneServer\s*\(/.test(text)
  )
    return [];
  const root = tree.root;
  const js = new JsEvaluator(file, root);
  const off = csrfOff(js, root);
  const facts: ApolloServerFacts = {
    csrfPrevention: !off,
    csrfOffAt: off?.at,
    csrfEntries: off?.entries,
  };
  const policies: Policy[] = [];
  for (const call of root.descendantsOfType('call_expression')) {
    if (
      !call ||
      call.hasError ||
      call.childForFieldName('function')?.text !== 'startStandaloneServer'
    )
      continue;
    const at = spanOf(file, call);
    // The standalone server's `cors()` has no options: the package's defaults.
    const fields = readCorsOptions(js, undefined, at);
    if (!fields) continue;
    const label = "startStandaloneServer's built-in cors()";
    policies.push({
      framework: 'apollo-server',
      file,
      files: [file],
      at,
      configured: true,
      ...fields.policy,
      origins: { ...fields.policy.origins, allowAllAt: { span: at, label } },
      urlRegex: null,
      allowPrivateNetwork: false,
      facts,
    });
  }
  return policies;
}
