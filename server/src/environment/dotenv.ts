/**
 * The syntax of one `.env` file, shared by every reader of env files: the frontend dev servers
 * (`workspace/env-files.ts`), nelmio's Symfony `.env`, and the backend environments here.
 */

/** One assignment's value as written. */
export interface RawValue {
  text: string;
  /** Single-quoted: dotenv-expand's handling of `$` there differs between versions. */
  literal: boolean;
}

// NAME=value, `export NAME=value`, quoted values (which may span lines), `# comments`.
const LINE =
  /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*(?:'([^']*)'|"((?:\\.|[^"\\])*)"|`([^`]*)`|([^#\r\n]*))[ \t]*(?:#[^\r\n]*)?$/gm;

/** The assignments of one `.env` file, in order (a later one for the same name wins). */
export function parseEnvFile(text: string): Map<string, RawValue> {
  const out = new Map<string, RawValue>();
  for (const m of text.matchAll(LINE)) {
    const [, name, single, double, backtick, bare] = m;
    if (single !== undefined) out.set(name, { text: single, literal: true });
    else if (double !== undefined)
      out.set(name, { text: double.replace(/\\n/g, '\n').replace(/\\r/g, '\r'), literal: false });
    else out.set(name, { text: backtick ?? bare.trim(), literal: false });
  }
  return out;
}
