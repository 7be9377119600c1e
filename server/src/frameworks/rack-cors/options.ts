/**
 * A `resource` line's options as rack-cors 1.1.1's `Resource#initialize` turns them into what it
 * sends: which values count, which are dropped (a Symbol header name never matches a request
 * header), and the defaults (`methods: [:get]`, `max_age: 7200`).
 */
import type { RackCorsResource } from './facts';
import type { RubyValue } from '../../lang/ruby/evaluate';

type Options = Pick<
  RackCorsResource,
  'methods' | 'headers' | 'expose' | 'maxAge' | 'credentials' | 'vary' | 'conditional'
>;

const ANY_METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

const absent = (v: RubyValue | undefined) =>
  !v || v.kind === 'nil' || (v.kind === 'bool' && !v.value);

/** `[v].flatten`, or undefined when part of it is unknown. */
function flatten(value: RubyValue): RubyValue[] | undefined {
  const items =
    value.kind === 'array'
      ? value.items.flatMap((i) => (i.kind === 'array' ? (flatten(i) ?? [i]) : [i]))
      : [value];
  return items.some((i) => i.kind === 'dynamic' || i.kind === 'proc' || i.kind === 'array')
    ? undefined
    : items;
}

/** `to_s` of each (strings and symbols by name, numbers in decimal), or undefined for anything else. */
function names(value: RubyValue): string[] | undefined {
  const items = flatten(value);
  if (!items) return undefined;
  const out: string[] = [];
  for (const item of items) {
    if (item.kind === 'str' || item.kind === 'symbol') out.push(item.value);
    else if (item.kind === 'int') out.push(String(item.value));
    else if (item.kind === 'nil') out.push('');
    else return undefined;
  }
  return out;
}

function headers(value: RubyValue | undefined): Options['headers'] {
  if (absent(value)) return [];
  if (value!.kind === 'symbol' && value!.value === 'any') return 'any';
  const items = flatten(value!);
  if (!items) return 'dynamic';
  // `h.downcase` of a Symbol stays a Symbol, which never equals the request's header name.
  if (items.some((i) => i.kind !== 'str' && i.kind !== 'symbol')) return 'dynamic';
  return items.flatMap((i) => (i.kind === 'str' ? [i.value.toLowerCase()] : []));
}

function methods(value: RubyValue | undefined): Options['methods'] {
  if (absent(value)) return ['get'];
  if (value!.kind === 'symbol' && value!.value === 'any') return [...ANY_METHODS];
  return names(value!) ?? 'dynamic';
}

function maxAge(value: RubyValue | undefined, legacy: boolean): Options['maxAge'] {
  if (absent(value)) return legacy ? '1728000' : '7200';
  if (value!.kind === 'int') return String(value!.value);
  if (value!.kind === 'str') return value!.value;
  return 'dynamic';
}

/**
 * `opts[:credentials]` as rack-cors reads it: from 1.0 only the literal true turns it on; before
 * 1.0 (`legacy`) an absent or nil option means true and any other value but false counts as true
 * (`opts[:credentials].nil? ? true : opts[:credentials]`, read at tags v0.2.9 to v0.4.1).
 */
function credentialsOf(value: RubyValue | undefined, legacy: boolean): Options['credentials'] {
  if (value?.kind === 'dynamic') return 'dynamic';
  if (!legacy) return value?.kind === 'bool' && value.value;
  return !value || value.kind === 'nil' || value.kind !== 'bool' || value.value;
}

/**
 * The rule values of one resource's options (by name, as `opts[:name]` reads them: string keys
 * are not seen). `options` is undefined when they are splatted from an unknown hash. `legacy`:
 * rack-cors before 1.0, whose defaults differ (credentials on, max_age 1728000).
 */
export function resourceOptions(
  options: Map<string, RubyValue> | undefined,
  legacy: boolean,
): Options {
  if (!options) {
    return {
      methods: 'dynamic',
      headers: 'dynamic',
      expose: 'dynamic',
      maxAge: 'dynamic',
      credentials: 'dynamic',
      vary: 'dynamic',
      conditional: false,
    };
  }
  const credentials = options.get('credentials');
  const expose = options.get('expose');
  const vary = options.get('vary');
  return {
    methods: methods(options.get('methods')),
    headers: headers(options.get('headers')),
    expose: absent(expose) ? [] : (names(expose!) ?? 'dynamic'),
    maxAge: maxAge(options.get('max_age'), legacy),
    credentials: credentialsOf(credentials, legacy),
    vary: absent(vary) ? null : (names(vary!) ?? 'dynamic'),
    conditional: !absent(options.get('if')),
  };
}
