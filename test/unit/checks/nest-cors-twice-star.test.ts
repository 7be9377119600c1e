/**
 * nest-cors-twice beside an `enableCors` that sends `*` with credentials itself (site-backend,
 * held-out batch 43): the create option re-sends the same `*`, so removing it changes nothing and
 * the warning is not given; the allow-all note says what is wrong. Not a fixture case: the
 * allow-all fix leaves the create option's `*` over the new allowlist, which the fixture suite's
 * re-check then reports, rightly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeText } from '../../support/check-fixture';

const file = path.join(__dirname, '../../fixtures/nest-cors-twice/main.ts');

test("enableCors({ origin: '*', credentials: true }) beside { cors: true }: no nest-cors-twice", async () => {
  const { findings } = await analyzeText(file, readFileSync(file, 'utf8'));
  const checks = findings.map((f) => `${f.check}:${f.severity}`);
  assert.ok(!checks.includes('nest-cors-twice:warning'), checks.join(', '));
  assert.ok(checks.includes('allow-all-origins:info'), checks.join(', '));
});

test('the same pair with an allowlist: the warning stays', async () => {
  const text = readFileSync(file, 'utf8').replace(
    "origin: '*'",
    "origin: ['https://app.example.com']",
  );
  const { findings } = await analyzeText(file, text);
  assert.deepEqual(
    findings.filter((f) => f.check === 'nest-cors-twice').map((f) => f.severity),
    ['warning'],
  );
});
