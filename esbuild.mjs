// Bundles the extension client, the language server and the CLI, and copies the grammar wasm
// files next to them (web-tree-sitter loads them from the bundle's folder at run time).
// `--cli-package[=DIR]` builds only the CLI's npm package instead: DIR/dist (default cli/dist),
// for `npm pack ./cli` (the tests build a copy of cli/ elsewhere, leaving the checkout alone).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const cliPackage = process.argv
  .find((arg) => arg === '--cli-package' || arg.startsWith('--cli-package='))
  ?.replace(/^--cli-package=?/, '');

// NOTE: esbuild picks web-tree-sitter's ESM build, which crashes on import.meta.url in CJS;
// point it at the CJS build instead (see ../shared/notes/toolchain.md).
const treeSitterCjs = require.resolve('web-tree-sitter'); // the "require" condition: the CJS build

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  // Not `minify`: with short identifiers V8 fully parses ~3× the functions when it loads the
  // client (1,679 against 568; preparsed otherwise), and requiring it took longer than the
  // unminified build's (Node 24: median 106 against 85 ms; whitespace and syntax only: 72 ms;
  // docs/first-squiggle.md).
  minifyWhitespace: production,
  minifySyntax: production,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': treeSitterCjs },
};
const cli = {
  ...common,
  entryPoints: { cli: 'server/src/cli/main.ts' },
  banner: { js: '#!/usr/bin/env node' },
};

/** Copies the runtime's and every grammar's wasm into `outdir`. */
function copyWasm(outdir) {
  // Grammar packages do not export their wasm files; find them beside each package.json. Which
  // ones: server/src/parsing/languages.json (a null package is our own grammar, in grammars/).
  const languages = JSON.parse(readFileSync('server/src/parsing/languages.json', 'utf8'));
  const grammarWasm = (pkg, file) =>
    path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
  const wasmFiles = [
    require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    ...languages.filter((l) => l.package).map((l) => grammarWasm(l.package, l.wasm)),
    ...readdirSync('grammars', { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.wasm'))
      .map((file) => path.join('grammars', file)),
  ];
  for (const file of wasmFiles) copyFileSync(file, path.join(outdir, path.basename(file)));
}

if (cliPackage !== undefined) {
  // What `npx cors-lens` runs: one minified, self-contained bundle (no dependencies to install)
  // and the wasm, with no source map (nothing would read it).
  const outdir = path.join(cliPackage || 'cli', 'dist');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({ ...cli, outdir, minify: true, sourcemap: false });
  copyWasm(outdir);
  copyFileSync('LICENSE', path.join(outdir, 'LICENSE'));
} else {
  const outdir = 'dist';
  mkdirSync(outdir, { recursive: true });
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { client: 'client/src/extension.ts' },
      outdir,
      external: ['vscode'],
    }),
    esbuild.build({ ...common, entryPoints: { server: 'server/src/lsp/main.ts' }, outdir }),
    esbuild.build({ ...cli, outdir }),
  ]);
  copyWasm(outdir);
}
