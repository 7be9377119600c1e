import type { Node } from 'web-tree-sitter';
import { matchesWithinBudget } from '../../base/budget';

/**
 * Whitespace and comments between a call's parts (`app.enableCors /* origin: x *\/ ()`: belapko's
 * main.ts, held-out batch 53, silent before). Each alternative starts with its own character, and
 * a comment is read up to 500 characters, so an unclosed `/*` after every dot of a minified file
 * costs a bounded scan each. A `//` comment ends at a line end, a lone `\r` too, as the grammars
 * read it (fuzz seed 2046).
 */
const GAP = String.raw`(?:\s|\/\*(?:[^*]|\*(?!\/)){0,500}\*\/|\/\/[^\n\r]{0,500})*`;

/**
 * The calls `<object>.<method>(...)` of a module for the given method names, in source order,
 * found in the text first (`.method(` with optional type arguments) and confirmed by the tree: a
 * large app has thousands of calls, and visiting each through the tree costs milliseconds a
 * keystroke. Matches inside strings and comments are no calls and are dropped by the tree. The
 * caller checks the receiver (comments before the dot are the tree's to read).
 */
export function memberCalls(root: Node, text: string, methods: readonly string[]): Node[] {
  const pattern = new RegExp(
    String.raw`\.${GAP}(?:${methods.join('|')})(?![\w$])${GAP}(?:<[^()]*>${GAP})?\(`,
    'g',
  );
  // The smallest node holding the method name and the `(` is the call, when this is one.
  return callsAt(root, text, pattern, 1);
}

/**
 * The calls `name(...)` of a module for the given function names (a plain identifier callee),
 * in source order, found in the text and confirmed by the tree as `memberCalls` finds methods.
 */
export function namedCalls(root: Node, text: string, names: ReadonlySet<string>): Node[] {
  if (!names.size) return [];
  const pattern = new RegExp(
    String.raw`(?<![\w$.])(?:${[...names].map(escapeName).join('|')})(?![\w$])${GAP}(?:<[^()]*>${GAP})?\(`,
    'g',
  );
  return callsAt(root, text, pattern, 0).filter((call) =>
    names.has(call.childForFieldName('function')?.text ?? ''),
  );
}

/**
 * The call expressions the matches of `pattern` (each ending at the call's `(`) stand for: the
 * smallest node from `skip` characters into the match to its `(`, when it is a call.
 */
function callsAt(root: Node, text: string, pattern: RegExp, skip: number): Node[] {
  const calls: Node[] = [];
  for (const match of matchesWithinBudget(text, pattern)) {
    const open = match.index + match[0].length - 1;
    const call = root.descendantForIndex(match.index + skip, open + 1);
    if (call?.type === 'call_expression') calls.push(call);
  }
  return calls;
}

/** A JS identifier as a regex (`$` is an identifier character). */
const escapeName = (name: string) => name.replace(/[$]/g, '\\$');
