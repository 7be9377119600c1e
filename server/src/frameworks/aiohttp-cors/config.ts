/** Reads aiohttp_cors config mappings (`{origin: ResourceOptions(...)}`) as the library parses them. */
import type { Node } from 'web-tree-sitter';
import { compact, spanOf, type PythonEvaluator } from '../../lang/python/evaluate';
import { callArguments } from '../../lang/python/module-values';
import type { StaticValue } from '../../policy/types';
import type { AiohttpConfig, AiohttpEntry, AiohttpOptions } from './facts';
import { type AiohttpCorsNames, type Definitions } from './names';

type Keyword = keyof AiohttpOptions['written'];
const KEYWORDS: readonly Keyword[] = [
  'allow_credentials',
  'expose_headers',
  'allow_headers',
  'max_age',
  'allow_methods',
];

/** A `'*'` string, a sequence of strings (`upper`-cased if asked), or unreadable. */
function names(value: StaticValue | undefined, upper: boolean): '*' | string[] | undefined {
  if (value?.kind === 'str') return value.value === '*' ? '*' : undefined;
  if (value?.kind !== 'list' || value.items.some((i) => i.kind !== 'str')) return undefined;
  return value.items.map((i) =>
    i.kind === 'str' ? (upper ? i.value.toUpperCase() : i.value) : '',
  );
}

export class ConfigReader {
  constructor(
    private readonly file: string,
    private readonly definitionOf: Definitions,
    private readonly names: AiohttpCorsNames,
    private readonly evaluator: PythonEvaluator,
  ) {}

  /** Follows a name to its assignment in the module. */
  private resolve(node: Node): Node {
    if (node.type !== 'identifier') return node;
    return this.definitionOf(node.text, node.startIndex) ?? node;
  }

  /** One `ResourceOptions(...)` or options dict; unreadable parts leave the library's default and `dynamic`. */
  options(written: Node): AiohttpOptions {
    const node = this.resolve(written);
    const options: AiohttpOptions = {
      credentials: false,
      expose: [],
      headers: [],
      maxAge: null,
      methods: null,
      dynamic: false,
      at: spanOf(this.file, node),
      written: {},
    };
    const values = new Map<string, { at: Node; value: Node }>();
    if (
      node.type === 'call' &&
      this.names.options.has(compact(node.childForFieldName('function')))
    ) {
      const { positional, keywords, splats } = callArguments(node);
      if (positional.length || splats.length) options.dynamic = true;
      for (const [name, argument] of keywords) {
        const value = argument.childForFieldName('value');
        if (value) values.set(name, { at: argument, value });
      }
      const list = node.childForFieldName('arguments');
      if (list) options.argumentList = spanOf(this.file, list);
    } else if (node.type === 'dictionary') {
      for (const pair of node.namedChildren) {
        const key =
          pair?.type === 'pair'
            ? this.evaluator.evaluate(pair.childForFieldName('key'))
            : undefined;
        const value = pair?.childForFieldName('value');
        if (key?.kind === 'str' && value) values.set(key.value, { at: pair!, value });
        else if (pair?.type !== 'comment') options.dynamic = true;
      }
    } else {
      options.dynamic = true;
      return options;
    }
    for (const name of KEYWORDS) {
      const found = values.get(name);
      if (!found) continue;
      options.written[name] = {
        at: spanOf(this.file, found.at),
        value: spanOf(this.file, found.value),
      };
      const value = this.evaluator.evaluate(found.value);
      const unread = () => {
        options.dynamic = true;
      };
      if (name === 'allow_credentials') {
        if (value?.kind === 'bool') options.credentials = value.value;
        else unread();
      } else if (name === 'max_age') {
        if (value?.kind === 'int') options.maxAge = value.value;
        else if (value?.kind !== 'none') unread();
      } else if (name === 'allow_methods') {
        const list = value?.kind === 'none' ? null : names(value, true);
        if (list === undefined) unread();
        else options.methods = list;
      } else {
        const list = names(value, name === 'allow_headers');
        if (list === undefined) unread();
        else if (name === 'allow_headers') options.headers = list;
        else options.expose = list;
      }
    }
    return options;
  }

  /** A config mapping: a dict literal, a dict comprehension over origins, a name bound to one, or None. */
  config(written: Node | undefined): AiohttpConfig {
    if (!written) return { entries: [], dynamic: false };
    const node = this.resolve(written);
    if (node.type === 'none') return { entries: [], dynamic: false };
    if (node.type === 'dictionary') return this.dictionary(node);
    if (node.type === 'dictionary_comprehension') return this.comprehension(node);
    return { entries: [], dynamic: true };
  }

  private dictionary(node: Node): AiohttpConfig {
    const config: AiohttpConfig = { entries: [], dynamic: false, dict: spanOf(this.file, node) };
    for (const pair of node.namedChildren) {
      if (!pair || pair.type === 'comment') continue;
      const keyNode = pair.childForFieldName('key');
      const valueNode = pair.childForFieldName('value');
      const key = pair.type === 'pair' ? this.evaluator.evaluate(keyNode) : undefined;
      if (key?.kind !== 'str' || !keyNode || !valueNode) {
        config.dynamic = true;
        continue;
      }
      config.entries.push({
        origin: key.value,
        options: this.options(valueNode),
        keyAt: spanOf(this.file, keyNode),
        entryAt: spanOf(this.file, pair),
      });
    }
    return config;
  }

  /** `{origin: ResourceOptions(...) for origin in ORIGINS}`: one entry per origin of a known list. */
  private comprehension(node: Node): AiohttpConfig {
    const body = node.childForFieldName('body');
    const clause = node.namedChildren.find((c) => c?.type === 'for_in_clause');
    const target = clause?.childForFieldName('left');
    const iterableNode = clause?.childForFieldName('right');
    const valueNode = body?.childForFieldName('value');
    const iterable = this.evaluator.evaluate(iterableNode ?? null);
    const simple =
      node.namedChildren.filter((c) => c?.type === 'for_in_clause' || c?.type === 'if_clause')
        .length === 1;
    if (
      body?.childForFieldName('key')?.text !== target?.text ||
      !valueNode ||
      !simple ||
      iterable?.kind !== 'list' ||
      iterable.items.some((i) => i.kind !== 'str')
    ) {
      return { entries: [], dynamic: true };
    }
    const options = this.options(valueNode);
    const entries: AiohttpEntry[] = iterable.items.map((item) => ({
      origin: item.kind === 'str' ? item.value : '',
      options,
      keyAt: item.span,
      entryAt: spanOf(this.file, clause!),
    }));
    const own =
      iterableNode && (iterableNode.type === 'list' || iterableNode.type === 'tuple')
        ? spanOf(this.file, iterableNode)
        : undefined;
    return { entries, dynamic: !!iterable.envDriven, iterable: own };
  }
}
