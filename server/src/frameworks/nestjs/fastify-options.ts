/**
 * The keys `@fastify/cors` 11 reads differently from `cors` 2.8: its default methods
 * (`GET,HEAD,POST`), lists joined with `, `, and the `strictPreflight` / `preflight` switches.
 */
import type { Node } from 'web-tree-sitter';
import type { StaticValue } from '../../policy/types';
import type { FastifyCorsFields } from './facts';
import { type JsEvaluator, truthy } from '../../lang/javascript/evaluate';
import { optionEntries } from '../../lang/javascript/options-object';

/** A list or string option as the plugin sends it; undefined when unset or not known. */
function joined(value: StaticValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'str') return value.value;
  if (value.kind === 'list' && value.items.every((i) => i.kind === 'str'))
    return value.items.map((i) => (i.kind === 'str' ? i.value : '')).join(', ');
  return undefined;
}

export function fastifyFields(js: JsEvaluator, options: Node | undefined): FastifyCorsFields {
  const entries = optionEntries(js, options) ?? new Map();
  const flag = (key: string, fallback: boolean) => {
    const value = entries.get(key)?.value;
    return value ? (truthy(value) ?? fallback) : fallback;
  };
  return {
    methods: joined(entries.get('methods')?.value) ?? 'GET,HEAD,POST',
    allowedHeaders: joined(entries.get('allowedHeaders')?.value),
    exposedHeaders: joined(entries.get('exposedHeaders')?.value),
    strictPreflight: flag('strictPreflight', true),
    preflight: flag('preflight', true),
  };
}
