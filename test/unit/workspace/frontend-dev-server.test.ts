/**
 * A frontend project's own dev origin (the origin its pages have, which cross-file checks replay
 * calls from): Vite's config or default, `next dev -p`, Create React App's `.env` PORT. Real
 * fixture projects in (test/fixtures/ports/frontends), the exact origin on each call out.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { WorkspaceIndex } from '../../../server/src/analysis/workspace-index';

const fixtures = path.resolve(__dirname, '../../fixtures/ports/frontends');

async function pageOrigins(file: string): Promise<(string | undefined)[]> {
  const index = new WorkspaceIndex();
  const full = path.join(fixtures, file);
  await index.update(full, readFileSync(full, 'utf8'));
  return index.facts().calls.map((c) => c.pageOrigin);
}

describe("a frontend project's dev origin", () => {
  for (const [file, origin] of [
    ['vite-default/src/api.js', 'http://localhost:5173'],
    ['vite-port/src/api.js', 'http://localhost:5180'],
    ['next-port/app/api.js', 'http://localhost:3001'],
    ['cra-env/src/api.js', 'http://localhost:3005'],
    ['plain/src/api.js', undefined],
  ] as const)
    test(`${file}: ${origin ?? 'none'}`, async () => {
      assert.deepEqual(await pageOrigins(file), [origin]);
    });
});
