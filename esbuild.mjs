// Bundles the extension client, the language server and the CLI, and copies the grammar wasm
// files next to them (web-tree-sitter loads them from the bundle's folder at run time).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });

// NOTE: esbuild picks web-tree-sitter's ESM build, which crashes on import.meta.url in CJS;
// point it at the CJS build instead (see ../shared/notes/toolchain.md).
const treeSitterCjs = require.resolve('web-tree-sitter'); // the "require" condition: the CJS build

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': treeSitterCjs },
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { client: 'client/src/extension.ts' },
    outdir,
    external: ['vscode'],
  }),
  esbuild.build({ ...common, entryPoints: { server: 'server/src/lsp/main.ts' }, outdir }),
  esbuild.build({
    ...common,
    entryPoints: { cli: 'server/src/cli/main.ts' },
    outdir,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);

// Grammar packages do not export their wasm files; find them beside each package.json. Which ones:
// server/src/parsing/languages.json (a null package is our own grammar, copied from grammars/ below).
const languages = JSON.parse(readFileSync('server/src/parsing/languages.json', 'utf8'));
const grammarWasm = (pkg, file) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
const wasmFiles = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  ...languages.filter((l) => l.package).map((l) => grammarWasm(l.package, l.wasm)),
];
for (const file of wasmFiles) copyFileSync(file, path.join(outdir, path.basename(file)));
for (const file of readdirSync('grammars', { recursive: true, withFileTypes: false })) {
  if (String(file).endsWith('.wasm'))
    copyFileSync(
      path.join('grammars', String(file)),
      path.join(outdir, path.basename(String(file))),
    );
}
