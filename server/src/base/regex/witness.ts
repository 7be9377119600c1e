/**
 * A short text a pattern matches, to ask a model about a path the policy really covers
 * (`^/api/(v1|v2)/client(/.*)?$` → `/api/v1/client`): each atom's first fitting character, each
 * repeat its fewest turns, each alternation its first branch. Assertions are skipped, so the
 * result is checked with the real matcher before it is used.
 */
import { RE2JS } from 're2js';
import { parsePattern, Unsupported, type Node, type RegexFlavor } from './parse';
import { regexMatches } from './cache';

/** Characters tried for an atom, path-friendly first. */
const CANDIDATES = 'a1xA-_./~';
/** The witness of a pattern whose shortest match would be longer is not worth building. */
const MAX_LENGTH = 200;

function atom(re2: string): string | undefined {
  // A literal character is written `\x{61}`.
  const literal = /^\\x\{([0-9a-fA-F]+)\}$/.exec(re2);
  if (literal) return String.fromCodePoint(parseInt(literal[1], 16));
  try {
    const one = RE2JS.compile(re2);
    return [...CANDIDATES].find((c) => one.matches(c));
  } catch {
    return undefined; // an atom re2js cannot compile alone: no witness
  }
}

/**
 * Which choice point (an alternation with two branches or more, a repeat that may turn once
 * more) `build` takes the other way, counted in walk order; `seen` counts the points passed.
 */
interface Variant {
  other: number;
  seen: number;
  /** Digits repeated after a `:` are written as a port a developer uses (`:3000`, not `:1`). */
  port?: boolean;
}

/** Whether a repeated atom takes every digit of a port. */
function digits(node: Node): boolean {
  if (node.type !== 'char') return false;
  try {
    const one = RE2JS.compile(node.re2);
    return [...'0123456789'].every((d) => one.matches(d));
  } catch {
    return false;
  }
}

function build(node: Node, out: string[], variant: Variant = { other: -1, seen: 0 }): boolean {
  if (out.length > MAX_LENGTH) return false;
  switch (node.type) {
    case 'char': {
      const c = atom(node.re2);
      if (c === undefined) return false;
      out.push(c);
      return true;
    }
    case 'assert':
      return true;
    case 'concat':
      return node.items.every((item) => build(item, out, variant));
    case 'alt': {
      const other = node.branches.length > 1 && variant.seen++ === variant.other;
      const branch = node.branches[other ? 1 : 0];
      return !!branch && build(branch, out, variant);
    }
    case 'repeat': {
      if (variant.port && out[out.length - 1] === ':' && node.max >= 4 && digits(node.body)) {
        out.push(...'3000');
        return true;
      }
      const more = node.max > node.min && variant.seen++ === variant.other;
      for (let i = 0; i < node.min + (more ? 1 : 0); i++)
        if (!build(node.body, out, variant)) return false;
      return true;
    }
  }
}

/** A text `pattern` matches under `flavor`, or undefined when none is found this way. */
export function witnessOf(pattern: string, flavor: RegexFlavor): string | undefined {
  return witnessesOf(pattern, flavor, 1)[0];
}

/** Choice points tried for more witnesses: a pattern's first few alternations and repeats. */
const CHOICES_TRIED = 16;

/**
 * Up to `count` different texts `pattern` matches: the first branch of every alternation and
 * the fewest turns of every repeat, then the same with one choice point taken the other way.
 */
export function witnessesOf(pattern: string, flavor: RegexFlavor, count: number): string[] {
  let tree: Node;
  try {
    tree = parsePattern(pattern, flavor);
  } catch (error) {
    if (error instanceof Unsupported) return [];
    throw error;
  }
  const found: string[] = [];
  // Only a pattern with digits after a `:` has a port to write (most, paths, have none).
  const ports = /:(?:\\d|\[0-9)/.test(pattern);
  for (let other = -1; other < CHOICES_TRIED && found.length < count; other++) {
    const variant = { other, seen: 0 };
    const plain: string[] = [];
    const built = build(tree, plain, variant);
    const ported: string[] = [];
    const port = ports && build(tree, ported, { other, seen: 0, port: true });
    // A realistic port first; the fewest digits where the pattern refuses it.
    const text = [port && ported.join(''), built && plain.join('')].find(
      (t): t is string => typeof t === 'string' && regexMatches(pattern, flavor, '', t),
    );
    if (text !== undefined && !found.includes(text)) found.push(text);
    // Past the pattern's last choice point every variant is the first witness again.
    if (other >= variant.seen) break;
  }
  return found;
}
