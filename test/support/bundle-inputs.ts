import path from 'node:path';
import * as esbuild from 'esbuild';

const repo = path.resolve(__dirname, '../..');

/**
 * The modules esbuild bundles from `entry` (a path relative to the repository) as our builds do
 * (node, CommonJS), without writing anything: its metafile, keyed by repository-relative path.
 */
export async function bundleInputs(entry: string): Promise<esbuild.Metafile> {
  const { metafile } = await esbuild.build({
    absWorkingDir: repo,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return metafile;
}
