/**
 * What the readers of JS CORS middleware options share (`cors`, `@fastify/cors`, `@koa/cors`,
 * `hono/cors`): list options sent as joined text, name lists split back out of that text, origin
 * lists of strings and RegExps, the allow-all origin policy, `maxAge` and `credentials`.
 * What each library does with a value differs; the callers pass those differences in.
 */
import type { NameList, OriginPolicy, SourceRef, StaticValue } from '../../policy/types';
import { noOrigins } from '../../policy/types';
import { truthy } from './evaluate';
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
