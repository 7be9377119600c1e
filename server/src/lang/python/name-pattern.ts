import { escapeRegex } from '../../base/regex';

/**
 * A regex source matching any of `names` (dotted Python names as written: `CORS`,
 * `flask_cors.CORS`), spaces allowed around the dots as Python allows them; one that never
 * matches when there are none (an empty alternation would match everywhere).
 */
export function dottedNamesPattern(names: Iterable<string>): string {
  const alternatives = [...names].map((name) =>
    name
      .split('.')
      .map(escapeRegex)
      .join(String.raw`\s*\.\s*`),
  );
  return alternatives.length ? `(?:${alternatives.join('|')})` : '(?!)';
}
