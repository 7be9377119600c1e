/**
 * Users' origin regexes run on RE2 (re2js): linear time whatever the pattern, so a catastrophic
 * allowlist entry can neither hang the CLI nor the language server. Each flavour's syntax and
 * matching mode is translated; what RE2 cannot do is refused with a reason, never run elsewhere.
 */
import { RE2JS } from 're2js';
import { parsePattern, Unsupported, type Capture, type Node, type RegexFlavor } from './parse';

/** A group's opening: capturing groups keep their number (and name) so `exec` reports them. */
const open = (capture: Capture | undefined): string =>
  !capture ? '(?:' : capture.name ? `(?P<${capture.name}>` : '(';

/** A compiled origin regex, or why it cannot be analysed. */
export type OriginMatcher =
  | {
      ok: true;
      /** Whether the library's match succeeds. */
      test(input: string): boolean;
      /**
       * The first match as the engine reports it (leftmost, greedy/lazy as written): [0] the
       * match, then each group in order (undefined when it did not take part), and named groups.
       * A `$` that ends the pattern here consumes a final newline the engine would leave out.
       */
      exec(input: string): {
        groups: (string | undefined)[];
        named: Record<string, string | undefined>;
        index: number;
      } | null;
      /** The RE2 source that runs. */
      re2: string;
    }
  | { ok: false; reason: string };

/** RE2 text for `node`; `tail` says nothing consuming can follow it (where `$` may eat a final newline). */
function emit(node: Node, tail: boolean, fullmatch: boolean): string {
  switch (node.type) {
    case 'char':
      return node.re2;
    case 'assert':
      switch (node.kind) {
        case 'start':
          return '\\A';
        case 'end':
          return '\\z';
        case 'line-start':
          return '(?m:^)';
        case 'line-end':
          return '(?m:$)';
        case 'word':
          return '\\b';
        case 'not-word':
          return '\\B';
        case 'end-or-final-newline':
          // Zero-width in the engine; consuming the final newline is the same for a yes/no match
          // as long as nothing can follow it.
          if (!tail)
            throw new Unsupported(
              '`$`/`\\Z` before more pattern (matches before a final newline; RE2 cannot say that mid-pattern)',
            );
          // re.fullmatch then needs the very end: a final newline is left over and fails it.
          return fullmatch ? '\\z' : '(?:\\x{a}?\\z)';
      }
      break;
    case 'concat': {
      let lastConsuming = -1;
      node.items.forEach((item, k) => {
        if (item.type !== 'assert') lastConsuming = k;
      });
      return `${open(node.capture)}${node.items.map((item, k) => emit(item, tail && k >= lastConsuming, fullmatch)).join('')})`;
    }
    case 'alt':
      return `${open(node.capture)}${node.branches.map((b) => emit(b, tail, fullmatch)).join('|')})`;
    case 'repeat': {
      const body = emit(node.body, tail && node.max <= 1, fullmatch);
      const q =
        node.min === 0 && node.max === Infinity
          ? '*'
          : node.min === 1 && node.max === Infinity
            ? '+'
            : node.min === 0 && node.max === 1
              ? '?'
              : node.max === Infinity
                ? `{${node.min},}`
                : `{${node.min},${node.max}}`;
      return `(?:${body})${q}${node.lazy ? '?' : ''}`;
    }
  }
  throw new Error('unreachable');
}

/**
 * The RE2 source equivalent to `pattern` as the library applies it (anchoring of `re.match`,
 * `re.fullmatch`, JS sticky `y`), or throws Unsupported. Exported for tests and diagnostics.
 */
export function toRe2(pattern: string, flavor: RegexFlavor, flags = ''): string {
  const tree = parsePattern(pattern, flavor, flags);
  const body = emit(tree, true, flavor === 'python-fullmatch');
  if (flavor === 'python-match' || (flavor === 'js' && flags.includes('y'))) return `\\A${body}`;
  if (flavor === 'python-fullmatch') return `\\A${body}\\z`;
  return body;
}

/**
 * Compiles a user's origin (or path) regex for linear-time matching the way `flavor`'s library
 * applies it: `re.match` anchors the start, `re.fullmatch` both ends, `re.search`, Ruby `=~`,
 * JS `RegExp#test` and nginx's PCRE search anywhere. `flags` are the library-level flags
 * (`i` for `re.I`/`/i`/`~*`, `s`, `m`, `x`, JS `u`/`y`/`g`). Never throws; `ok: false` says why.
 */
export function compileOrigin(pattern: string, flavor: RegexFlavor, flags = ''): OriginMatcher {
  let re2: string;
  try {
    re2 = toRe2(pattern, flavor, flags);
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: e.message };
    return { ok: false, reason: `could not parse the pattern: ${(e as Error).message}` };
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(re2);
  } catch (e) {
    return { ok: false, reason: `RE2 rejects the pattern: ${(e as Error).message}` };
  }
  return {
    ok: true,
    re2,
    test: (input: string) => compiled.test(input),
    exec: (input: string) => {
      const m = compiled.exec(input) as
        (RegExpExecArray & { groups?: Record<string, string | undefined> }) | null;
      if (!m) return null;
      return {
        groups: Array.from(m, (g) => (g === null ? undefined : g)),
        named: { ...(m.groups ?? {}) },
        index: m.index,
      };
    },
  };
}
