import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Node, Parser } from 'web-tree-sitter';
import { walk } from '../../../server/src/analysis/walk';
import { analyzeTree } from '../../../server/src/analysis/analyze';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { defaultSettings } from '../../../server/src/analysis/settings';
import { createParser } from '../../../server/src/parsing/parser';
import { SegmentedParse } from '../../../server/src/parsing/segmented-parse';
import { SourceTree } from '../../../server/src/parsing/source-tree';

const checks = path.join(__dirname, '../../fixtures/checks');

/** Every Python file of the check fixtures with a statement (an empty `__init__.py` has nothing to lengthen). */
const pythonFixtures = () =>
  walk(checks).filter((file) => file.endsWith('.py') && readFileSync(file, 'utf8').trim());

/** The fixture with 80 filler settings before each of its top-level statements: long enough for several segments. */
function lengthen(text: string, parser: Parser): string {
  const tree = parser.parse(text)!;
  const starts = (tree.rootNode.children as Node[])
    .filter((n) => n.startPosition.column === 0)
    .map((n) => n.startIndex);
  tree.delete();
  let out = '';
  let from = 0;
  starts.forEach((start, i) => {
    out +=
      text.slice(from, start) +
      Array.from({ length: 80 }, (_, k) => `FILLER_${i}_${k} = {"on": True, "n": [${k}]}\n`).join(
        '',
      );
    from = start;
  });
  return out + text.slice(from);
}

describe('analysis of a long Python module in segments equals the analysis of one whole tree', () => {
  let parser: Parser;
  before(async () => {
    parser = await createParser('python');
  });
  after(() => parser.delete());

  it('for every Python check fixture, lengthened: same policies, findings, spans and fixes', async () => {
    let segmented = 0;
    let withFindings = 0;
    const files = pythonFixtures();
    for (const file of files) {
      const text = lengthen(readFileSync(file, 'utf8'), parser);
      const reader = new DiskReader();
      const parse = SegmentedParse.parse(parser, 'python', text);
      const whole = parser.parse(text)!;
      try {
        if (parse.count > 1) segmented++;
        const inSegments = await analyzeTree(file, text, parse.tree, reader, defaultSettings);
        const inOne = await analyzeTree(
          file,
          text,
          new SourceTree([whole]),
          reader,
          defaultSettings,
        );
        assert.deepEqual(inSegments, inOne, path.relative(checks, file));
        if (inOne.findings.length) withFindings++;
      } finally {
        parse.delete();
        whole.delete();
      }
    }
    assert.equal(segmented, files.length, 'every lengthened fixture is parsed in segments');
    assert.ok(withFindings >= 30, `fixtures with findings: ${withFindings} of ${files.length}`);
  });
});
