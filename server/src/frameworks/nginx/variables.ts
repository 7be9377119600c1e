/**
 * nginx variables for one request, as the nginx model needs them: `$http_*`, `$request_method`,
 * `$uri`, `$args`/`$arg_*`, `$host`, `$scheme`, `map`s, `set` variables and regex captures.
 * A variable nginx knows but this model does not evaluates to the empty string.
 */
import type { HttpRequest } from '../../fetch/types';
import type { NginxCondition, NginxMap, NginxToken } from './facts';

/**
 * A PCRE pattern as a JS RegExp searching anywhere (nginx runs `ngx_regex_exec` unanchored);
 * undefined for what JS cannot express (inline flag groups other than a leading `(?i)`,
 * possessive quantifiers, atomic groups).
 */
export function pcreRegex(pattern: string, caseless: boolean): RegExp | undefined {
  let source = pattern;
  let flags = caseless ? 'i' : '';
  const lead = source.match(/^\(\?([imsx]+)\)/);
  if (lead) {
    source = source.slice(lead[0].length);
    if (lead[1].includes('i') && !flags) flags += 'i';
    if (lead[1].includes('s')) flags += 's';
    if (lead[1].includes('m')) flags += 'm';
  }
  if (/\(\?[imsx-]+[:)]|\(\?>|[*+?}]\+/.test(source)) return undefined;
  source = source.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** One request's variables. */
export class Variables {
  private readonly values = new Map<string, string>();

  constructor(
    private readonly request: HttpRequest,
    private readonly maps: Map<string, NginxMap>,
  ) {}

  /** `set $name value`. */
  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  /** A variable's value (`name` without `$`). */
  get(name: string, depth = 0): string {
    const own = this.values.get(name);
    if (own !== undefined) return own;
    const map = this.maps.get(name);
    if (map && depth < 8) return this.mapValue(map, depth + 1);
    return this.builtin(name);
  }

  /** A token with its `$var` / `${var}` references replaced. */
  expand(token: NginxToken | string, depth = 0): string {
    const text = typeof token === 'string' ? token : token.value;
    return text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, braced: string | undefined, bare: string | undefined) => this.get((braced ?? bare)!, depth));
  }

  /** Whether an `if` condition holds (an unknown one does not); a matching regex sets $1.. and named captures. */
  test(condition: NginxCondition): boolean {
    switch (condition.kind) {
      case 'dynamic':
        return false;
      case 'truthy': {
        const value = this.get(condition.variable);
        return value !== '' && value !== '0';
      }
      case 'compare':
        return (this.get(condition.variable) === this.expand(condition.value)) !== condition.negate;
      case 'regex': {
        const match = pcreRegex(condition.pattern.value, condition.caseless)?.exec(this.get(condition.variable));
        if (match && !condition.negate) this.capture(match);
        return !!match !== condition.negate;
      }
    }
  }

  private capture(match: RegExpExecArray): void {
    match.forEach((group, i) => i > 0 && this.values.set(String(i), group ?? ''));
    for (const [name, group] of Object.entries(match.groups ?? {})) this.values.set(name, group ?? '');
  }

  /** ngx_http_map_find: exact keys (case-insensitively), then regexes in order, then default. */
  private mapValue(map: NginxMap, depth: number): string {
    const source = this.expand(map.source, depth);
    const exact = map.entries.find((e) => e.kind === 'exact' && e.key.toLowerCase() === source.toLowerCase());
    if (exact) return this.expand(exact.value, depth);
    for (const entry of map.entries) {
      if (entry.kind !== 'regex') continue;
      const match = pcreRegex(entry.key, entry.caseless)?.exec(source);
      if (!match) continue;
      // Captures are visible to the value only.
      const value = entry.value.value.replace(/\$(\d)/g, (_, i: string) => match[Number(i)] ?? '');
      return this.expand(value, depth);
    }
    const fallback = map.entries.find((e) => e.kind === 'default');
    return fallback ? this.expand(fallback.value, depth) : '';
  }

  private header(name: string): string {
    return this.request.headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? '';
  }

  private builtin(name: string): string {
    const [path, query = ''] = this.request.path.split(/\?(.*)$/s);
    if (name.startsWith('http_')) return this.header(name.slice(5).replace(/_/g, '-'));
    if (name.startsWith('arg_')) return new URLSearchParams(query).get(name.slice(4)) ?? '';
    switch (name) {
      case 'request_method':
        return this.request.method;
      case 'uri':
      case 'document_uri':
        return safeDecode(path);
      case 'request_uri':
        return this.request.path;
      case 'args':
      case 'query_string':
        return query;
      case 'is_args':
        return query ? '?' : '';
      case 'scheme':
        return 'http';
      case 'host':
        return this.header('host').replace(/:\d+$/, '').toLowerCase();
      default:
        return '';
    }
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
