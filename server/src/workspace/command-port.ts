/** The port a command names, in the forms dev servers take it. */
export function commandPort(command: string): number | undefined {
  const forms = [
    /\brunserver\s+(?:[\w.[\]:-]*:)?(\d{2,5})\b/,
    /(?:--port|--http-port)(?:=|\s+)(\d{2,5})\b/,
    /\s-p\s*(\d{2,5})\b/,
    /(?:-b|--bind)(?:=|\s+)[\w.[\]-]*:(\d{2,5})\b/,
    /\bPORT=(\d{2,5})\b/,
  ];
  for (const form of forms) {
    const m = form.exec(command);
    const port = m && Number(m[1]);
    if (port && port < 65536) return port;
  }
  return undefined;
}
