/**
 * YAML values as tree-sitter-yaml parses them, for configuration files: mappings (block and
 * flow), sequences (block and flow) and scalars (plain, quoted, with YAML 1.2 core-schema types:
 * `true`/`false`, integers, `~`/`null`), each with its span. Anchors, aliases and tags are read
 * as the value they carry; multi-document files give their first document.
 */
import type { Node } from 'web-tree-sitter';
import type { Span } from '../../policy/types';

export type YamlValue =
  | {
      kind: 'map';
      entries: { key: string; keySpan: Span; value: YamlValue; span: Span }[];
      span: Span;
    }
  | { kind: 'list'; items: YamlValue[]; span: Span }
  | { kind: 'scalar'; value: string | number | boolean | null; quoted: boolean; span: Span };

const spanOf = (file: string, node: Node): Span => ({
  file,
  start: node.startIndex,
  end: node.endIndex,
});

/** A double-quoted scalar's escapes (the ones configuration files use). */
const unescapeDouble = (raw: string) =>
  raw.replace(/\\(["\\/nt0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_, e: string) =>
    e.length > 1
      ? String.fromCharCode(parseInt(e.slice(1), 16))
      : (({ n: '\n', t: '\t', '0': '\0' } as Record<string, string>)[e] ?? e),
  );

/** The value of a YAML node (a document, a block/flow node, a mapping, a sequence, a scalar). */
export function yamlValue(file: string, node: Node | null | undefined): YamlValue | undefined {
  if (!node) return undefined;
  const span = spanOf(file, node);
  switch (node.type) {
    case 'stream':
    case 'document':
    case 'block_node':
    case 'flow_node':
    case 'block_sequence_item': {
      const inner = node.namedChildren.filter(
        (c): c is Node => !!c && !['comment', 'anchor', 'tag'].includes(c.type),
      );
      return inner.length
        ? yamlValue(file, inner[inner.length - 1])
        : { kind: 'scalar', value: null, quoted: false, span };
    }
    case 'block_mapping':
    case 'flow_mapping': {
      const entries: Extract<YamlValue, { kind: 'map' }>['entries'] = [];
      for (const pair of node.namedChildren) {
        if (!pair || (pair.type !== 'block_mapping_pair' && pair.type !== 'flow_pair')) continue;
        const keyNode = pair.childForFieldName('key');
        const key = yamlValue(file, keyNode);
        if (!keyNode || key?.kind !== 'scalar') continue;
        const valueNode = pair.childForFieldName('value');
        entries.push({
          key: String(key.value),
          keySpan: spanOf(file, keyNode),
          value: yamlValue(file, valueNode) ?? {
            kind: 'scalar',
            value: null,
            quoted: false,
            span: spanOf(file, pair),
          },
          span: spanOf(file, pair),
        });
      }
      return { kind: 'map', entries, span };
    }
    case 'block_sequence':
    case 'flow_sequence':
      return {
        kind: 'list',
        items: node.namedChildren.flatMap((c) =>
          c && c.type !== 'comment' ? [yamlValue(file, c)].filter((v): v is YamlValue => !!v) : [],
        ),
        span,
      };
    case 'single_quote_scalar':
      return {
        kind: 'scalar',
        value: node.text.slice(1, -1).replace(/''/g, "'"),
        quoted: true,
        span,
      };
    case 'double_quote_scalar':
      return { kind: 'scalar', value: unescapeDouble(node.text.slice(1, -1)), quoted: true, span };
    case 'plain_scalar':
      return (
        yamlValue(file, node.namedChildren[0]) ?? {
          kind: 'scalar',
          value: node.text,
          quoted: false,
          span,
        }
      );
    case 'boolean_scalar':
      return { kind: 'scalar', value: /^true$/i.test(node.text), quoted: false, span };
    case 'integer_scalar':
      return { kind: 'scalar', value: Number(node.text), quoted: false, span };
    case 'null_scalar':
      return { kind: 'scalar', value: null, quoted: false, span };
    default:
      return { kind: 'scalar', value: node.text, quoted: false, span };
  }
}

/** A mapping's entry by key. */
export const entry = (map: YamlValue | undefined, key: string) =>
  map?.kind === 'map' ? map.entries.find((e) => e.key === key) : undefined;
