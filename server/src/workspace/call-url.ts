/**
 * The URL a frontend call targets, from the expression written for it: a literal, `${API}/items`,
 * `API + '/items'`, relative to an axios `baseURL`. Only absolute `http(s)://` URLs come out: a
 * relative URL goes to the page's own origin and needs no CORS.
 */
import type { Node } from 'web-tree-sitter';
import { unwrap, type JsEvaluator } from '../lang/javascript/evaluate';

const ABSOLUTE = /^https?:\/\//i;

export class UrlReader {
  constructor(private readonly js: JsEvaluator) {}

  /** The absolute URL of a URL expression (joined to `base` when relative); undefined when unknown or same-origin. */
  url(node: Node | undefined, base?: string): string | undefined {
    if (!node) return undefined;
    const value = this.text(unwrap(node));
    if (value === undefined) return undefined;
    if (ABSOLUTE.test(value)) return value;
    if (base && ABSOLUTE.test(base))
      return base.replace(/\/+$/, '') + '/' + value.replace(/^\/+/, '');
    return undefined;
  }

  /** The string an expression builds, with unknown path parameters after a known base as `1`. */
  text(node: Node): string | undefined {
    if (node.type === 'template_string') {
      let out = '';
      for (const part of node.namedChildren) {
        if (!part) continue;
        if (part.type === 'string_fragment') out += part.text;
        else if (part.type === 'template_substitution') {
          const value = part.namedChildren[0] && this.js.evaluate(part.namedChildren[0]);
          // An unknown path parameter (`${id}`) after a known base stays a segment placeholder.
          if (value?.kind === 'str' || value?.kind === 'int') out += String(value.value);
          else if (out) out += '1';
          else return undefined;
        }
      }
      return out;
    }
    if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
      const left = this.text(unwrap(node.childForFieldName('left')!));
      if (left === undefined) return undefined;
      const right = this.js.evaluate(node.childForFieldName('right')!);
      return left + (right.kind === 'str' || right.kind === 'int' ? String(right.value) : '1');
    }
    const value = this.js.evaluate(node);
    return value.kind === 'str' ? value.value : undefined;
  }
}
