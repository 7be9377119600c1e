/**
 * nginx variables for one request, as the nginx model needs them: `$http_*`, `$request_method`,
 * `$uri`, `$args`/`$arg_*`, `$host`, `$scheme`, `map`s, `set` variables and regex captures.
 * A variable nginx knows but this model does not evaluates to the empty string.
 */
import { firstValue } from '../../fetch/headers';
import type { HttpRequest } from '../../fetch/types';
import { originMatcher, type OriginMatcher } from '../../base/regex';
import type { NginxCondition, NginxMap, NginxToken } from './facts';

/** A PCRE pattern searched anywhere (nginx runs `ngx_regex_exec` unanchored), in linear time. */
export const pcreMatcher = (pattern: string, caseless: boolean): OriginMatcher =>
  originMatcher(pattern, 'pcre', caseless ? 'i' : '');

/** A match's captures: `$1`…`$9` by number and named groups by name. */
type Captures = { groups: (string | undefined)[]; named: Record<string, string | undefined> };

/**
 * A map's exact keys, lowercased, to their first entry, its regexes and its default: built once
 * per map, since every request of every check looks them up (a scan per lookup made a
 * 10,000-entry map quadratic).
 */
type MapEntry = NginxMap['entries'][number];
interface MapIndex {
  exact: Map<string, MapEntry>;
  regexes: MapEntry[];
  fallback?: MapEntry;
}
const indexes = new WeakMap<NginxMap, MapIndex>();
function indexOf(map: NginxMap): MapIndex {
  let index = indexes.get(map);
  if (!index) {
    index = {
      exact: new Map(),
      regexes: map.entries.filter((e) => e.kind === 'regex'),
      fallback: map.entries.find((e) => e.kind === 'default'),
    };
    for (const e of map.entries)
      if (e.kind === 'exact' && !index.exact.has(e.key.toLowerCase()))
        index.exact.set(e.key.toLowerCase(), e);
    indexes.set(map, index);
  }
  return index;
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
    return text.replace(
      /\$(?:\{(\w+)\}|(\w+))/g,
      (_, braced: string | undefined, bare: string | undefined) =>
        this.get((braced ?? bare)!, depth),
    );
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
        const matcher = pcreMatcher(condition.pattern.value, condition.caseless);
        // A pattern the bounded engine cannot read is an unknown condition: it does not hold.
        if (!matcher.ok) return false;
        const match = matcher.exec(this.get(condition.variable));
        if (match && !condition.negate) this.capture(match);
        return !!match !== condition.negate;
      }
    }
  }

  private capture(match: Captures): void {
    match.groups.forEach((group, i) => i > 0 && this.values.set(String(i), group ?? ''));
    for (const [name, group] of Object.entries(match.named)) this.values.set(name, group ?? '');
  }

  /** ngx_http_map_find: exact keys (case-insensitively), then regexes in order, then default. */
  private mapValue(map: NginxMap, depth: number): string {
    const source = this.expand(map.source, depth);
    const index = indexOf(map);
    const exact = index.exact.get(source.toLowerCase());
    if (exact) return this.expand(exact.value, depth);
    for (const entry of index.regexes) {
      if (entry.kind !== 'regex') continue;
      const matcher = pcreMatcher(entry.key, entry.caseless);
      const match = matcher.ok ? matcher.exec(source) : null;
      if (!match) continue;
      // Captures are visible to the value only.
      const value = entry.value.value.replace(
        /\$(\d)/g,
        (_, i: string) => match.groups[Number(i)] ?? '',
      );
      return this.expand(value, depth);
    }
    return index.fallback ? this.expand(index.fallback.value, depth) : '';
  }

  private header(name: string): string {
    return firstValue(this.request.headers, name) ?? '';
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
