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

function build(node: Node, out: string[]): boolean {
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
      return node.items.every((item) => build(item, out));
    case 'alt':
      return node.branches.length > 0 && build(node.branches[0], out);
    case 'repeat':
      for (let i = 0; i < node.min; i++) if (!build(node.body, out)) return false;
      return true;
  }
}

/** A text `pattern` matches under `flavor`, or undefined when none is found this way. */
export function witnessOf(pattern: string, flavor: RegexFlavor): string | undefined {
  let tree: Node;
  try {
    tree = parsePattern(pattern, flavor);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const out: string[] = [];
  if (!build(tree, out)) return undefined;
  const text = out.join('');
  return regexMatches(pattern, flavor, '', text) ? text : undefined;
}
