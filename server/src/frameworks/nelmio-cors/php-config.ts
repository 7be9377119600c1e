/**
 * `config/packages/nelmio_cors.php`: Symfony's PHP configurator form of the bundle's options
 * (`$containerConfigurator->extension('nelmio_cors', [...])`, or the older
 * `$container->loadFromExtension('nelmio_cors', [...])`), read into the same value tree the YAML
 * form gives, so one reader serves both.
 */
import type { Node } from 'web-tree-sitter';
import { phpString, spanOf } from '../../lang/php/evaluate';
import type { YamlValue } from '../../lang/yaml/values';

/** A PHP literal as a config value; an expression it cannot read is an unknown `%env()%`. */
function valueOf(file: string, node: Node): YamlValue {
  const span = spanOf(file, node);
  if (node.type === 'array_creation_expression') {
    const elements = node.namedChildren.filter(
      (c): c is Node => c?.type === 'array_element_initializer',
    );
    const keyed = elements.filter((e) => e.children.some((c) => c?.type === '=>'));
    if (elements.length && keyed.length === elements.length) {
      const entries = keyed.flatMap((e) => {
        const [keyNode, valueNode] = e.namedChildren;
        const key = keyNode && phpString(keyNode);
        return key === undefined || !valueNode
          ? []
          : [
              {
                key,
                keySpan: spanOf(file, keyNode!),
                value: valueOf(file, valueNode),
                span: spanOf(file, e),
              },
            ];
      });
      return { kind: 'map', entries, span };
    }
    return {
      kind: 'list',
      items: elements.flatMap((e) =>
        e.namedChildren[0] ? [valueOf(file, e.namedChildren[0])] : [],
      ),
      span,
    };
  }
  const text = phpString(node);
  if (text !== undefined) return { kind: 'scalar', value: text, quoted: true, span };
  if (node.type === 'integer' && /^\d+$/.test(node.text))
    return { kind: 'scalar', value: Number(node.text), quoted: false, span };
  if (node.type === 'boolean')
    return { kind: 'scalar', value: /^true$/i.test(node.text), quoted: false, span };
  if (node.type === 'null') return { kind: 'scalar', value: null, quoted: false, span };
  // `$_ENV['CORS']`, a constant: a value the file does not say, read like an unset %env()%.
  return { kind: 'scalar', value: `%env(${node.text})%`, quoted: false, span };
}

/** The `nelmio_cors` options of a PHP config file, keyed as the YAML root is (`nelmio_cors: ...`). */
export function phpNelmioRoot(file: string, root: Node): YamlValue | undefined {
  for (const call of root.descendantsOfType('member_call_expression')) {
    const name = call?.childForFieldName('name')?.text;
    if (!call || (name !== 'extension' && name !== 'loadFromExtension')) continue;
    const args = call
      .childForFieldName('arguments')
      ?.namedChildren.map((a) => a?.namedChildren[0])
      .filter((a): a is Node => !!a);
    if (!args || phpString(args[0]) !== 'nelmio_cors' || !args[1]) continue;
    const options = valueOf(file, args[1]);
    return {
      kind: 'map',
      entries: [
        {
          key: 'nelmio_cors',
          keySpan: spanOf(file, args[0]),
          value: options,
          span: spanOf(file, call),
        },
      ],
      span: spanOf(file, call),
    };
  }
  return undefined;
}
