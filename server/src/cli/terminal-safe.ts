/**
 * Text from analysed files and probed servers reaches the terminal inside our messages: a file
 * or a server can hold escape sequences that move the cursor, rewrite earlier lines, retitle the
 * window or reorder text (bidi overrides). Every printed line goes through `terminalSafe`.
 */

// C0 controls, DEL, C1 controls, and the Unicode format characters that reorder or hide text.
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One line with every control or reordering character written as a visible escape (`\x1b`, `\u202e`). */
export function terminalSafe(line: string): string {
  return line.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Lines made safe one by one, then joined with newlines (a newline inside a value stays visible as `\n`). */
export const safeLines = (lines: readonly string[]): string =>
  lines.map(terminalSafe).join('\n') + '\n';
