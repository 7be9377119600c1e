/**
 * Offsets where `name` occurs as a Python identifier in `text`: outside strings and comments,
 * not part of a longer name or an attribute (`x.NAME`).
 */
export function identifierOccurrences(text: string, name: string): number[] {
  const found: number[] = [];
  const isWord = (c: string | undefined) => !!c && /[\w]/.test(c);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length;
      while (i < text.length && !text.startsWith(quote, i)) i += text[i] === '\\' ? 2 : 1;
      i += quote.length - 1;
      continue;
    }
    if (
      text.startsWith(name, i) &&
      !isWord(text[i - 1]) &&
      !isWord(text[i + name.length]) &&
      text[i - 1] !== '.'
    ) {
      found.push(i);
      i += name.length - 1;
    } else if (isWord(c)) {
      // Skip the rest of this word (a string prefix like r"..." stops at its quote).
      while (isWord(text[i + 1])) i++;
    }
  }
  return found;
}
