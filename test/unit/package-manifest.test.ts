import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { languages } from '../../server/src/parsing/languages';

/** What a Marketplace user gets: the manifest's promises hold and the .vsix holds what they name. */
interface Manifest {
  icon: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean } };
  contributes: {
    commands: { command: string; category?: string }[];
    walkthroughs: {
      steps: { id: string; media: { markdown?: string }; completionEvents?: string[] }[];
    }[];
  };
}

const repo = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as Manifest;
// `vsce ls` applies .vscodeignore exactly as `vsce package` does.
const packaged = execFileSync(
  path.join(repo, 'node_modules/.bin/vsce'),
  ['ls', '--no-dependencies'],
  { cwd: repo, encoding: 'utf8' },
)
  .split('\n')
  .filter(Boolean);

describe('extension manifest and package contents', () => {
  test('the icon is a 128x128 PNG and is packaged', () => {
    const png = readFileSync(path.join(repo, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(packaged.includes(pkg.icon));
  });

  test('activation only on our languages and our panels (commands activate by themselves since VS Code 1.74)', () => {
    assert.ok(pkg.activationEvents.length > 0);
    for (const event of pkg.activationEvents)
      assert.match(event, /^(onLanguage:[a-z]+|onWebviewPanel:corsLens\.\w+)$/);
    // One onLanguage per VS Code language of server/src/parsing/languages.json, and no other.
    const onLanguage = pkg.activationEvents
      .filter((e) => e.startsWith('onLanguage:'))
      .map((e) => e.slice('onLanguage:'.length));
    assert.deepEqual(onLanguage.sort(), languages.flatMap((l) => l.vscode).sort());
  });

  test('every command has the CORS Lens category', () => {
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'CORS Lens', c.command);
  });

  test('Restricted Mode is supported in a limited way', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  test('the walkthrough goes open → finding → fix → preview → probe, with packaged media', () => {
    const [walkthrough] = pkg.contributes.walkthroughs;
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['openSettings', 'seeFinding', 'applyFix', 'preview', 'probe'],
    );
    for (const step of walkthrough.steps) {
      assert.ok(
        step.media.markdown && packaged.includes(step.media.markdown),
        `${step.id}: ${step.media.markdown} is packaged`,
      );
      for (const event of step.completionEvents ?? []) {
        const command = event.match(/^onCommand:(corsLens\..+)$/)?.[1];
        if (command)
          assert.ok(
            pkg.contributes.commands.some((c) => c.command === command),
            `${event} names a contributed command`,
          );
      }
    }
  });

  test('the package holds the bundles and the grammars, and no sources or tests', () => {
    for (const file of [
      'dist/client.js',
      'dist/server.js',
      'dist/cli.js',
      'dist/web-tree-sitter.wasm',
      'dist/tree-sitter-python.wasm',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
    ]) {
      assert.ok(packaged.includes(file), `${file} is packaged`);
    }
    const stray = packaged.filter(
      (f) =>
        /^(server|client|test|bench|node_modules)\//.test(f) ||
        f.endsWith('.map') ||
        f.endsWith('.ts'),
    );
    assert.deepEqual(stray, []);
  });
});
