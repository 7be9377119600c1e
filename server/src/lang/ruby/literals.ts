/** Ruby string literals written in a file's own style, for fixes in Ruby files. */

/** The quote the file uses most for strings. */
export function rubyPreferredQuote(text: string): "'" | '"' {
  return (text.match(/"/g)?.length ?? 0) > (text.match(/'/g)?.length ?? 0) ? '"' : "'";
}

/** A Ruby string literal of `value`, in `quote` (double quotes also escape `#{`). */
export function rubyString(value: string, quote: "'" | '"'): string {
  const body = value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return quote + (quote === '"' ? body.replace(/#(?=[{$@])/g, '\\#') : body) + quote;
}
