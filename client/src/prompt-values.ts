/**
 * The pure part of the prompts that accept typing: what a typed value is worth, and the rows a
 * quick pick shows for it. No VS Code import: unit-tested as is.
 */

/** An origin as a browser serializes it: scheme://host[:port] (no path), or `null`. */
export function originProblem(value: string): string | undefined {
  if (value === 'null') return undefined;
  try {
    const url = new URL(value);
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(value) || url.origin === 'null')
      return 'Enter an origin such as https://app.example.com (scheme://host[:port])';
    return url.origin === value
      ? undefined
      : `Not an origin (scheme://host[:port], no path or trailing slash): did you mean ${url.origin}?`;
  } catch {
    return 'Enter an origin such as https://app.example.com (scheme://host[:port])';
  }
}

/** One offered value. */
export interface PickEntry {
  value: string;
  description?: string;
}

/** A row of the quick pick: an offered value, the typed one, or what is wrong with the typed one. */
export interface PickRow extends PickEntry {
  typed: boolean;
  problem?: string;
}

/**
 * The rows for `typed`: the offered entries, with the typed text first when it is none of them
 * (as a value to accept when `check` passes, else as the problem). A half-typed value that some
 * entry still matches shows no problem and comes after the match: the user is filtering, not done.
 */
export function pickItems(
  entries: PickEntry[],
  typed: string,
  check: (value: string) => string | undefined,
): PickRow[] {
  const rows: PickRow[] = entries.map((e) => ({ ...e, typed: false }));
  const value = typed.trim();
  // Methods and origins compare without case here (fetch upper-cases the standard methods).
  if (!value || entries.some((e) => e.value.toLowerCase() === value.toLowerCase())) return rows;
  const problem = check(value);
  const filtering = entries.some((e) => e.value.toLowerCase().includes(value.toLowerCase()));
  if (!problem) {
    const typedRow: PickRow = { value, description: 'as typed', typed: true };
    // Still matching an offered value: that one stays first (Enter picks it), the typed one next.
    return filtering ? [...rows, typedRow] : [typedRow, ...rows];
  }
  return filtering ? rows : [{ value, typed: true, problem }, ...rows];
}
