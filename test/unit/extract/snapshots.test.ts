/**
 * Every extractor against its fixtures: `test/fixtures/extract/<framework-id>/<case>/` (the
 * file(s) a project of that shape has; `case.json` names the file under test). The policies the
 * analysis extracts from that file, rendered with every span underlined in its source, must equal
 * `policy.snap` (UPDATE_SNAPSHOTS=1 rewrites it: read it before committing). Every registered
 * framework must have a fixture folder, so a new framework comes with its snapshots.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { frameworks } from '../../../server/src/frameworks';
import {
  extractCase,
  extractCases,
  extractRoot,
  renderPolicies,
  type ExtractCase,
} from '../../support/extract-fixture';

const cases = extractCases();
// One parse per file: the tests below share each case's extraction, made when first asked for.
const extractions = new Map<ExtractCase, ReturnType<typeof extractCase>>();
const extracted = (c: ExtractCase) => {
  let found = extractions.get(c);
  if (!found) extractions.set(c, (found = extractCase(c)));
  return found;
};

describe('extractor fixtures', () => {
  it('every registered framework has a fixture folder, and every folder is a registered framework', () => {
    const folders = new Set(cases.map((c) => c.framework));
    for (const { id } of frameworks)
      assert.ok(
        folders.has(id),
        `missing test/fixtures/extract/${id}/<case>/ (a new framework adds its extractor fixtures)`,
      );
    const ids = new Set<string>(frameworks.map((f) => f.id));
    for (const folder of folders)
      assert.ok(
        ids.has(folder),
        `test/fixtures/extract/${folder} is not a registered framework id`,
      );
  });

  for (const framework of frameworks) {
    it(`${framework.id}: some case extracts a ${framework.id} policy`, async () => {
      const own = cases.filter((c) => c.framework === framework.id);
      const found = await Promise.all(
        own.map(async (c) =>
          (await extracted(c)).policies.some((p) => p.framework === framework.id),
        ),
      );
      assert.ok(
        found.includes(true),
        `no case under test/fixtures/extract/${framework.id}/ yields a ${framework.id} policy`,
      );
    });
  }

  for (const c of cases) {
    it(`${c.framework}/${c.name}: policies match policy.snap`, async () => {
      const { text, policies } = await extracted(c);
      const snapshot = renderPolicies(c, text, policies);
      const snap = path.join(c.dir, 'policy.snap');
      if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(snap, snapshot);
      assert.ok(
        existsSync(snap),
        `missing ${path.relative(extractRoot, snap)} (run with UPDATE_SNAPSHOTS=1 and review it)`,
      );
      assert.equal(snapshot, readFileSync(snap, 'utf8'));
    });
  }
});
