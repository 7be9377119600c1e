import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { NextConfigEntry } from './facts';
import type { StaticValue } from '../../policy/types';
import { JsEvaluator } from '../../lang/javascript/evaluate';
import { sourceRegex } from './paths';

/** Whether a file is a Next.js config file by its name. */
export const isNextConfigFile = (file: string): boolean =>
  /(?:^|[/\\])next\.config\.(?:[mc]?js|[mc]?ts)$/.test(file);

/**
 * The `headers()` function of the config object (method, arrow or function property), or one
 * assigned to it later (`nextConfig.headers = async () => [...]`, often under an `if` on the
 * build mode).
 */
function headersFunction(root: Node): Node | undefined {
  for (const node of root.descendantsOfType([
    'method_definition',
    'pair',
    'assignment_expression',
  ])) {
    if (!node) continue;
    if (node.type === 'assignment_expression') {
      const left = node.childForFieldName('left');
      const value = node.childForFieldName('right');
      if (
        left?.type === 'member_expression' &&
        left.childForFieldName('property')?.text === 'headers' &&
        value &&
        /function/.test(value.type)
      )
        return value;
      continue;
    }
    const name = node
      .childForFieldName(node.type === 'pair' ? 'key' : 'name')
      ?.text.replace(/['"]/g, '');
    if (name !== 'headers') continue;
    if (node.type === 'method_definition') return node;
    const value = node.childForFieldName('value');
    if (value && /function/.test(value.type)) return value;
  }
  return undefined;
}

const field = (dict: StaticValue, key: string): StaticValue | undefined =>
  dict.kind === 'dict'
    ? dict.entries.find((e) => e.key.kind === 'str' && e.key.value === key)?.value
    : undefined;

/** `headers()` entries of a next.config file; `partial` when part could not be read statically. */
export function readConfig(
  file: string,
  tree: SourceTree,
): { entries: NextConfigEntry[]; partial: boolean } {
  const fn = headersFunction(tree.root);
  if (!fn || fn.hasError) return { entries: [], partial: !!fn };
  const body = fn.childForFieldName('body');
  const returned =
    body?.type === 'statement_block'
      ? body.descendantsOfType('return_statement')[0]?.namedChildren[0]
      : body;
  if (!returned) return { entries: [], partial: true };
  const js = new JsEvaluator(file, tree.root);
  const value = js.evaluate(returned);
  if (value.kind !== 'list') return { entries: [], partial: true };
  const entries: NextConfigEntry[] = [];
  let partial = false;
  for (const item of value.items) {
    const source = field(item, 'source');
    const headers = field(item, 'headers');
    const regex = source?.kind === 'str' ? sourceRegex(source.value) : undefined;
    if (
      source?.kind !== 'str' ||
      !regex ||
      headers?.kind !== 'list' ||
      field(item, 'has') ||
      field(item, 'missing')
    ) {
      partial = true;
      continue;
    }
    const lines: NextConfigEntry['headers'] = [];
    for (const h of headers.items) {
      const key = field(h, 'key');
      const val = field(h, 'value');
      if (key?.kind === 'str' && val?.kind === 'str' && !val.envDriven)
        lines.push({
          key: key.value,
          value: val.value,
          span: { ...key.span, end: val.span.end },
          valueSpan: val.span,
        });
      else partial = true;
    }
    entries.push({ source: source.value, regex, headers: lines, span: item.span });
  }
  return { entries, partial };
}
