/** `urllib.parse.unquote` (UTF-8, invalid bytes replaced, malformed escapes kept). */
export function pythonUnquote(text: string): string {
  return text.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.match(/%../g)!.map((b) => parseInt(b.slice(1), 16)));
    return new TextDecoder('utf-8').decode(bytes);
  });
}
