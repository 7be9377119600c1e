/** A value the hand-set readers compare against: a string or a list of strings, as written. */
import type { Span, StaticValue } from '../policy/types';

/** The strings of a string or an all-string list (with their spans and the whole's), else undefined. */
export function stringList(
  value: StaticValue | undefined,
): { values: string[]; spans: Span[]; list: Span } | undefined {
  if (value?.kind === 'str')
    return { values: [value.value], spans: [value.span], list: value.span };
  if (value?.kind !== 'list' || value.items.some((i) => i.kind !== 'str')) return undefined;
  const items = value.items as Extract<(typeof value.items)[number], { kind: 'str' }>[];
  return { values: items.map((i) => i.value), spans: items.map((i) => i.span), list: value.span };
}
