/**
 * The methods a Sinatra project serves, for the checks that ask with a method (a PUT preflight).
 * A CORS class is often middleware of filters and an `options '*'` route, `use`d by the app whose
 * routes serve the requests (cherrypandora's CORSHelper, held-out batch 56: its app had GET and
 * POST routes only, and a PUT preflight was reported failing): the verbs of every route written
 * in the project's Ruby files. Undefined when the project is not seen whole or writes no route.
 */
import path from 'node:path';
import { projectFiles } from '../../base/nearby-files';
import type { SourceReader } from '../../base/source-reader';

/** A route at the start of a line: `put '/x' do`, `delete("/y")`, `patch ROUTE do`. */
const ROUTE = /^[ \t]*(get|post|put|patch|delete|link|unlink)[ \t]*\(?[ \t]*['"%/A-Z]/gm;

/** Files read for their routes, at most (a big project stays unknown). */
const MAX_FILES = 400;

export function projectServedMethods(file: string, reader: SourceReader): string[] | undefined {
  const files = projectFiles(
    file,
    reader,
    (f) => path.extname(f) === '.rb' || path.basename(f) === 'config.ru',
  );
  if (!files || files.length > MAX_FILES) return undefined;
  const served = new Set<string>();
  for (const f of [file, ...files])
    for (const m of (reader.read(f) ?? '').matchAll(ROUTE)) {
      const verb = m[1].toUpperCase();
      served.add(verb);
      if (verb === 'GET') served.add('HEAD');
    }
  return served.size ? [...served].sort() : undefined;
}
