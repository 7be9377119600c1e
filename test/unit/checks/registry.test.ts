/** Meta-tests over the whole registry: one file, one docs page and fixtures per check. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checks } from '../../../server/src/analysis/analyze';
import { neutralChecks } from '../../../server/src/checks';
import { docsUrl } from '../../../server/src/checks/types';
import { frameworks } from '../../../server/src/frameworks';
import { generated } from '../../../scripts/generate-docs';

const repo = path.join(__dirname, '../../..');
const tsNames = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => f.replace(/\.ts$/, ''))
    : [];
const neutralFiles = tsNames(path.join(repo, 'server/src/checks')).filter(
  (f) => !['index', 'types', 'framework-fixes'].includes(f),
);

describe('check registry', () => {
  it('registers exactly one neutral check per file in server/src/checks, named by its id, with no frameworks field', () => {
    assert.deepEqual(neutralChecks.map((c) => c.id).sort(), neutralFiles.sort());
    for (const check of neutralChecks) assert.equal(check.frameworks, undefined, check.id);
  });

  it("registers each framework's checks from its own checks/ folder, each saying which framework it reads", () => {
    for (const framework of frameworks) {
      assert.deepEqual(
        framework.checks.map((c) => c.id).sort(),
        tsNames(path.join(repo, 'server/src/frameworks', framework.id, 'checks')).sort(),
        framework.id,
      );
      for (const check of framework.checks)
        assert.deepEqual(check.frameworks, [framework.id], check.id);
    }
    assert.equal(new Set(checks.map((c) => c.id)).size, checks.length, 'check ids are unique');
  });

  it('README.md, docs/README.md and package.json say what the registry says (npm run docs)', () => {
    for (const { file, text } of generated())
      assert.equal(
        readFileSync(path.join(repo, file), 'utf8'),
        text,
        `${file} is out of date: run npm run docs`,
      );
  });

  it('a check with a fix says so in its metadata, and its fixtures show one', () => {
    for (const check of checks.filter((c) => c.fix)) {
      const snaps = readdirSync(path.join(repo, 'test/fixtures/checks', check.id))
        .map((c) => path.join(repo, 'test/fixtures/checks', check.id, c, 'expected.snap'))
        .filter(existsSync);
      assert.ok(
        snaps.some((snap) => readFileSync(snap, 'utf8').includes('--- fix ')),
        `${check.id} declares a fix but no fixture applies one`,
      );
    }
  });

  for (const check of checks) {
    it(`${check.id}: has a docs page with what, why, fix and example, linked from its diagnostics`, () => {
      const page = path.join(repo, 'docs/checks', `${check.id}.md`);
      assert.ok(existsSync(page), `docs/checks/${check.id}.md is missing`);
      const text = readFileSync(page, 'utf8');
      assert.match(text, new RegExp(`^# ${check.id}\\b`));
      for (const section of [
        '## What it finds',
        '## Why it matters',
        '## How to fix',
        '## Example',
      ])
        assert.ok(text.includes(section), `${section} missing`);
      assert.ok(docsUrl(check.id).endsWith(`/docs/checks/${check.id}.md`));
    });

    it(`${check.id}: has valid and invalid fixtures`, () => {
      const cases = readdirSync(path.join(repo, 'test/fixtures/checks', check.id));
      assert.ok(
        cases.some((c) => c.startsWith('valid')),
        'no valid-* fixture',
      );
      assert.ok(
        cases.some((c) => c.startsWith('invalid')),
        'no invalid-* fixture',
      );
    });
  }
});
