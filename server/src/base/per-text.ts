/**
 * A function of a whole file's text, computed once per text. Fixes ask for the file's quote
 * style once per edit: on a file with 10,000 findings a rescan per fix made `check` quadratic.
 * The last few texts are kept (a run checks one file at a time; the LSP a few open documents);
 * a repeated lookup of the same string costs no rescan (V8 keeps a string's hash).
 */
export function perText<T>(compute: (text: string) => T, keep = 4): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    if (cache.has(text)) return cache.get(text) as T;
    const value = compute(text);
    if (cache.size >= keep) cache.delete(cache.keys().next().value as string);
    cache.set(text, value);
    return value;
  };
}
