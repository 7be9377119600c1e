/**
 * What each thread of the language server evaluates before its first job (issue 21, the first
 * squiggle; docs/first-squiggle.md): esbuild evaluates a module when a static import reaches it
 * and a dynamically imported one when it is imported, so the static import closure of each role's
 * module is what that thread evaluates at start. The LSP thread answers `initialize` without the
 * framework registry, the probe or the parser; the analysis worker starts its first analysis
 * without vscode-languageserver and the preview, probe and explain requests.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Metafile } from 'esbuild';
import { bundleInputs } from '../../support/bundle-inputs';

describe('each thread evaluates only its own modules at start', () => {
  let metafile: Metafile;
  before(async () => {
    metafile = await bundleInputs('server/src/lsp/main.ts');
  });

  /** The modules `entry` reaches by static imports (a dynamic import is evaluated when it runs). */
  const staticClosure = (entry: string): string[] => {
    const seen = new Set([entry]);
    for (const file of seen)
      for (const edge of metafile.inputs[file]?.imports ?? [])
        if (edge.kind !== 'dynamic-import' && !edge.external) seen.add(edge.path);
    return [...seen];
  };

  test('the LSP thread: no framework registry, probe, parser or their packages', () => {
    const loaded = staticClosure('server/src/lsp/language-server.ts');
    assert.ok(loaded.includes('server/src/lsp/server.ts'), loaded.join('\n'));
    assert.deepEqual(
      loaded.filter(
        (file) =>
          /^server\/src\/(frameworks|probe|explain|replay|checks|lang|workspace)\//.test(file) ||
          /^server\/src\/parsing\/(?!languages\.(ts|json)$)/.test(file) ||
          /node_modules\/(tldts|re2js|web-tree-sitter)\//.test(file),
      ),
      [],
    );
  });

  test('the analysis worker: no vscode-languageserver and no question modules', () => {
    const loaded = staticClosure('server/src/lsp/analysis-worker.ts');
    assert.ok(loaded.includes('server/src/frameworks/index.ts'), loaded.join('\n'));
    assert.deepEqual(
      loaded.filter(
        (file) =>
          /node_modules\/vscode-languageserver\//.test(file) ||
          /^server\/src\/lsp\/(requests|probe-requests|explain-requests|policy-summary)\.ts$/.test(
            file,
          ),
      ),
      [],
    );
  });
});
