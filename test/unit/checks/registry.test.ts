/** Meta-tests over the whole registry: one file, one docs page and fixtures per check. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checks } from '../../../server/src/checks';
import { docsUrl } from '../../../server/src/checks/types';

const repo = path.join(__dirname, '../../..');
const checkFiles = readdirSync(path.join(repo, 'server/src/checks'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'types.ts')
  .map((f) => f.replace(/\.ts$/, ''));

describe('check registry', () => {
  it('registers exactly one check per file in server/src/checks, named by its id', () => {
    assert.deepEqual(checks.map((c) => c.id).sort(), checkFiles.sort());
  });

  for (const check of checks) {
    it(`${check.id}: has a docs page with what, why, fix and example, linked from its diagnostics`, () => {
      const page = path.join(repo, 'docs/checks', `${check.id}.md`);
      assert.ok(existsSync(page), `docs/checks/${check.id}.md is missing`);
      const text = readFileSync(page, 'utf8');
      assert.match(text, new RegExp(`^# ${check.id}\\b`));
      for (const section of ['## What it finds', '## Why it matters', '## How to fix', '## Example']) assert.ok(text.includes(section), `${section} missing`);
      assert.ok(docsUrl(check.id).endsWith(`/docs/checks/${check.id}.md`));
    });

    it(`${check.id}: has valid and invalid fixtures`, () => {
      const cases = readdirSync(path.join(repo, 'test/fixtures/checks', check.id));
      assert.ok(cases.some((c) => c.startsWith('valid')), 'no valid-* fixture');
      assert.ok(cases.some((c) => c.startsWith('invalid')), 'no invalid-* fixture');
    });
  }
});
