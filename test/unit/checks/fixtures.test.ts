/**
 * Every check against its fixtures: `test/fixtures/checks/<check-id>/<case>/settings.py`.
 * `valid-*` cases give no finding at all; `invalid-*` cases give at least one finding of the
 * check, and the findings and each fix's output must equal `expected.snap` (a readable
 * snapshot; UPDATE_SNAPSHOTS=1 rewrites it). After each fix the file still compiles with its
 * real toolchain (py_compile, `node --check`, `php -l`, PyYAML, one batched `tsc --noEmit` for .ts/.tsx) and
 * re-checking finds the fixed finding gone and nothing new. Other languages name their file in
 * `case.json` ({"file": "app.ts"}).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CorsLensSettings } from '../../../server/src/analysis/settings';
import { DiskReader } from '../../../server/src/base/disk-reader';
import type { SourceReader } from '../../../server/src/base/source-reader';
import {
  analyzeText,
  workspaceOf,
  applyEdits,
  nodeCheck,
  pyCompile,
  renderFindings,
  phpCheck,
  rubyCheck,
  tscCheck,
  yamlCheck,
} from '../../support/check-fixture';
import { nginxCheck } from '../../support/nginx-check';
import { grammarForText } from '../../../server/src/parsing/languages';

const root = path.join(__dirname, '../../fixtures/checks');

interface CaseOptions {
  /** The file under test, relative to the case folder (default settings.py). */
  file?: string;
  settings?: Partial<CorsLensSettings>;
}

/** Reads a case's files from disk, but the fixed file from memory. */
class OverlayReader implements SourceReader {
  private readonly disk = new DiskReader();
  constructor(private readonly overlay: Map<string, string>) {}
  read(file: string): string | undefined {
    return this.overlay.get(file) ?? this.disk.read(file);
  }
}

const key = (f: { check: string; message: string }) => `${f.check}: ${f.message}`;

/** Fixed TypeScript files, type-checked together by one tsc call at the end (tsc starts slowly). */
const fixedTypeScript: { name: string; text: string }[] = [];

/** Checks a fixed file with its language's real toolchain now; TypeScript is batched. */
function compiles(name: string, text: string): string {
  if (/\.py$/.test(name)) return pyCompile(text);
  if (/\.[mc]?js$/.test(name)) return nodeCheck(text, name);
  if (/\.(rb|ru)$/.test(name)) return rubyCheck(text, name);
  const grammar = grammarForText(name, text);
  if (grammar === 'nginx') return nginxCheck(text);
  if (grammar === 'php') return phpCheck(text, name);
  if (grammar === 'yaml') return yamlCheck(text, name);
  if (/\.[mc]?tsx?$/.test(name)) fixedTypeScript.push({ name, text });
  return '';
}

for (const check of readdirSync(root).sort()) {
  describe(`check ${check}`, () => {
    for (const name of readdirSync(path.join(root, check)).sort()) {
      const dir = path.join(root, check, name);
      const options: CaseOptions = existsSync(path.join(dir, 'case.json'))
        ? JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8'))
        : {};
      const file = path.join(dir, options.file ?? 'settings.py');
      const text = readFileSync(file, 'utf8');

      if (name.startsWith('valid')) {
        it(`${name}: no findings`, async () => {
          const { findings } = await analyzeText(
            file,
            text,
            new DiskReader(),
            options.settings,
            await workspaceOf(dir),
          );
          assert.deepEqual(findings.map(key), []);
        });
        continue;
      }

      it(`${name}: findings and fixes match expected.snap`, async () => {
        const workspace = await workspaceOf(dir);
        const { findings } = await analyzeText(
          file,
          text,
          new DiskReader(),
          options.settings,
          workspace,
        );
        const own = findings.filter((f) => f.check === check);
        assert.ok(own.length > 0, `expected a ${check} finding in ${name}`);
        const parts = [renderFindings(text, findings)];
        for (const finding of own) {
          if (!finding.fix) {
            parts.push(`--- no fix for: ${finding.message}`);
            continue;
          }
          const byFile = new Map<string, string>();
          for (const edited of new Set(finding.fix.edits.map((e) => e.file))) {
            byFile.set(
              edited,
              applyEdits(
                readFileSync(edited, 'utf8'),
                finding.fix.edits.filter((e) => e.file === edited),
              ),
            );
          }
          for (const [edited, fixed] of byFile) {
            parts.push(`--- fix "${finding.fix.title}" → ${path.relative(dir, edited)}\n${fixed}`);
            assert.equal(
              compiles(edited, fixed),
              '',
              `fixed ${path.relative(dir, edited)} must compile`,
            );
          }
          const after = await analyzeText(
            file,
            byFile.get(file) ?? text,
            new OverlayReader(byFile),
            options.settings,
            workspace,
          );
          const before = new Set(findings.filter((f) => f !== finding).map(key));
          const added = after.findings.map(key).filter((k) => !before.has(k));
          assert.deepEqual(
            added,
            [],
            `re-checking after "${finding.fix.title}" must find nothing new`,
          );
          assert.ok(
            !after.findings.some(
              (f) => key(f) === key(finding) && f.span.start === finding.span.start,
            ),
            'the fixed finding is gone',
          );
        }
        const snapshot = parts.join('\n') + '\n';
        const expectedFile = path.join(dir, 'expected.snap');
        if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(expectedFile, snapshot);
        assert.ok(
          existsSync(expectedFile),
          `missing ${path.relative(root, expectedFile)} (run with UPDATE_SNAPSHOTS=1 and review it)`,
        );
        assert.equal(snapshot, readFileSync(expectedFile, 'utf8'));
      });
    }
  });
}

// Registered last, so it runs after every fixture above has queued its fixed TypeScript.
describe('fixed TypeScript fixtures', () => {
  it('type-check with tsc', () => {
    const output = tscCheck(fixedTypeScript);
    assert.equal(output, '', `tsc rejects a fixed TypeScript fixture:\n${output}`);
  });
});
