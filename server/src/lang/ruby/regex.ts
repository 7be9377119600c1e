/** Ruby regex helpers for what rack-cors does with paths (matching runs on `base/regex`, flavor `ruby`). */

/** Ruby's `Regexp.quote`: the characters it escapes, escaped. */
export function rubyQuote(text: string): string {
  return text.replace(
    /[.*?+^$|\\()[\]{}\-#\s]/g,
    (c) =>
      ({ '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', ' ': '\\ ' })[c] ??
      `\\${c}`,
  );
}

/**
 * The pattern rack-cors 1.1.1 compiles a resource path into (`Resource#compile`): `/*` matches
 * an optional slash and anything, `*` anything, `:name` one segment, `. + ( )` literally, the
 * rest as regex syntax; anchored `^...$`.
 */
export function rackCorsPathPattern(path: string): string {
  const body = path.replace(/((:\w+)|\/\*|[*.+()])/g, (match) => {
    if (match === '/*') return '\\/?(.*?)';
    if (match === '*') return '(.*?)';
    if ('.+()'.includes(match)) return `\\${match}`;
    return '([^/?&#]+)';
  });
  return `^${body}$`;
}
