/**
 * What the readers of JS CORS middleware options share (`cors`, `@fastify/cors`, `@koa/cors`,
 * `hono/cors`): list options sent as joined text, name lists split back out of that text, origin
 * lists of strings and RegExps, the allow-all origin policy, `maxAge` and `credentials`.
 * What each library does with a value differs; the callers pass those differences in.
 */
import type { Node } from 'web-tree-sitter';
import type { NameList, OriginPolicy, SourceRef, StaticValue } from '../../policy/types';
import { noOrigins } from '../../policy/types';
import { nested } from '../nesting';
import { type JsEvaluator, spanOf, truthy, unwrap } from './evaluate';
import type { JsOption } from './options-object';

/** Whether a value comes from an environment read's default. */
export const envDriven = (value: StaticValue): boolean => 'envDriven' in value && !!value.envDriven;

/** Where an option is written, labelled (undefined when it is not). */
export const optionRef = (option: JsOption | undefined, label: string): SourceRef | undefined =>
  option && { span: option.pair, label };

/**
 * A string or array option as the library sends it: strings as written, arrays joined with
 * `separator`; `dynamic` when unknown. With `falsyUnset` an empty result or a falsy value counts
 * as unset (libraries that test the option before sending it).
 */
export function sentText(
  value: StaticValue | undefined,
  separator: string,
  falsyUnset: boolean,
): string | undefined | 'dynamic' {
  if (!value || value.kind === 'none') return undefined;
  const unsetIfEmpty = (text: string) => (falsyUnset ? text || undefined : text);
  if (value.kind === 'str') return unsetIfEmpty(value.value);
  if (value.kind === 'list')
    return value.items.every((i) => i.kind === 'str')
      ? unsetIfEmpty(value.items.map((i) => (i.kind === 'str' ? i.value : '')).join(separator))
      : 'dynamic';
  return falsyUnset && truthy(value) === false ? undefined : 'dynamic';
}

/**
 * The names in sent text (split at commas); `wildcardWhenUnset` for the headers option, whose
 * absence echoes the requested headers (any header allowed). `option` names the option in fixes.
 */
export function namesSent(
  text: string | undefined | 'dynamic',
  at: SourceRef | undefined,
  wildcardWhenUnset: boolean,
  option?: string,
): NameList {
  const list: NameList =
    text === 'dynamic'
      ? { names: [], wildcard: false, dynamic: true, at }
      : {
          names: (text ?? '')
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean),
          wildcard: wildcardWhenUnset && text === undefined,
          dynamic: false,
          at,
        };
  if (option !== undefined) list.option = option;
  return list;
}

/** Every origin allowed (`'*'`, or no origin option), from `at`. */
export const everyOrigin = (at: SourceRef, env = false): OriginPolicy => ({
  ...noOrigins(),
  allowAll: true,
  allowAllAt: at,
  envDriven: env,
});

/** One fixed origin (`origin: 'https://app.example.com'`), listed at `at`. */
export const oneOrigin = (
  value: Extract<StaticValue, { kind: 'str' }>,
  at: SourceRef,
): OriginPolicy => ({
  ...noOrigins(),
  exact: [{ value: value.value, span: value.span }],
  listAt: at,
  envDriven: envDriven(value),
});

/**
 * Adds the strings and RegExps of an origin list (or one value) to `lists`, marking it
 * environment-driven where an item is; `other` handles any other item (by default: the list is
 * dynamic).
 */
export function addOriginItems(
  lists: Pick<OriginPolicy, 'exact' | 'regexes' | 'dynamic' | 'envDriven'>,
  items: StaticValue[],
  other: (item: StaticValue) => void = () => {
    lists.dynamic = true;
  },
): void {
  for (const item of items) {
    if (item.kind === 'str') lists.exact.push({ value: item.value, span: item.span });
    else if (item.kind === 'regex')
      lists.regexes.push({
        pattern: item.pattern,
        flags: item.flags,
        flavor: 'js',
        span: item.span,
      });
    else other(item);
    if (envDriven(item)) lists.envDriven = true;
  }
}

/** `maxAge` for the policy: null when unset, seconds when a number, else `dynamic`. */
export const maxAgeSeconds = (value: StaticValue | undefined): number | 'dynamic' | null =>
  !value || value.kind === 'none' ? null : value.kind === 'int' ? value.value : 'dynamic';

/** `maxAge` as sent: a number or string written as is. */
export const maxAgeSent = (value: StaticValue | undefined): string | undefined =>
  value?.kind === 'int' || value?.kind === 'str' ? String(value.value) : undefined;

/** Where credentials are turned on, when they are. */
export const credentialsOnAt = (
  on: boolean | 'dynamic',
  option: JsOption | undefined,
): SourceRef | undefined => (on === true ? optionRef(option, 'credentials: true') : undefined);

/** Longest operand text quoted in a message; longer ones are cut with `…`. */
const QUOTED = 60;
const quoted = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > QUOTED ? `${flat.slice(0, QUOTED - 1)}…` : flat;
};

/**
 * The `true` an `origin` expression not known statically falls back to: `config.siteUrl || true`,
 * `a ? list : url ?? true`, a `const` holding either. The libraries whose `origin: true` echoes
 * every Origin then echo it whenever the operand before `|| true` is empty. The reference is the
 * `true` itself (what a fix replaces), labelled `origin: appCfg.SITE_URL || true, when
 * appCfg.SITE_URL is unset,`. An environment read before `|| true` is the evaluator's (a
 * default, with insecure-env-default).
 */
export function trueFallback(js: JsEvaluator, node: Node): SourceRef | undefined {
  const found = nested(
    () => fallbackIn(js, node, 0),
    () => undefined,
  );
  return (
    found && {
      span: spanOf(js.file, found.fallback),
      label: `origin: ${quoted(found.whole.text)}, when ${quoted(found.left.text)} is unset,`,
    }
  );
}

/** Operands followed before giving up: conditionals and `const`s nest this far in real options. */
const FALLBACK_DEPTH = 8;

interface Fallback {
  whole: Node;
  left: Node;
  fallback: Node;
}

function fallbackIn(js: JsEvaluator, input: Node, depth: number): Fallback | undefined {
  if (depth > FALLBACK_DEPTH) return undefined;
  const node = js.resolveNode(input);
  if (node.type === 'ternary_expression')
    return (
      fallbackOf(js, node.childForFieldName('consequence'), depth) ??
      fallbackOf(js, node.childForFieldName('alternative'), depth)
    );
  if (node.type !== 'binary_expression') return undefined;
  const operator = node.childForFieldName('operator')?.text;
  if (operator !== '||' && operator !== '??') return undefined;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return undefined;
  const fallback = unwrap(right);
  if (fallback.type === 'true') return { whole: node, left, fallback };
  return fallbackOf(js, right, depth);
}

const fallbackOf = (js: JsEvaluator, node: Node | null, depth: number) =>
  node ? fallbackIn(js, node, depth + 1) : undefined;
