/**
 * The shapes real projects write (test/fixtures/real-shapes/<shape>/, each written from the
 * projects listed in its expect.json `seen_in`): `cors-lens check` over the folder must give
 * exactly the findings a reviewer judged (file, check, 1-based line), nothing else of a check in
 * `mustNot`, and a modelled setup (or a finding other than cors-setup-not-modelled) in every
 * `recognised` file.
 * As in test/real-world/measure.ts, only `warning` and `error` findings count: an `info` note
 * (allow-all-origins without credentials) is advice, neither meeting an expectation nor extra,
 * unless the expectation says `"severity": "info"` (a note the reviewer wants, like a
 * deprecated setting's).
 * A shape whose `today` starts with "gap" is a known gap: it runs and is reported as todo, never
 * counted as passing. `UPDATE_SHAPES=1` rewrites each `today` from what the tool does now.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const repo = path.join(__dirname, '../../..');
const root = path.join(repo, 'test/fixtures/real-shapes');
const cli = path.join(repo, 'dist/cli.js');

interface Expected {
  shape: string;
  recognised: string[];
  findings: { file: string; check: string; line: number; severity?: 'info' }[];
  mustNot?: { check: string; file?: string }[];
  today?: string;
}

interface CheckJson {
  findings: {
    file: string;
    check: string;
    severity: string;
    range: { start: { line: number } };
  }[];
  modelled: string[];
}

function check(dir: string): CheckJson {
  try {
    return JSON.parse(
      execFileSync(process.execPath, [cli, 'check', '.', '--format', 'json'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1 << 26,
      }),
    );
  } catch (error) {
    // Exit 1: an error-severity finding. Anything else is a failure of the tool.
    const { status, stdout } = error as { status?: number; stdout?: string };
    if (status === 1 && stdout) return JSON.parse(stdout);
    throw error;
  }
}

/** What differs between the tool and the reviewer, one line each (empty: the shape passes). */
export function differences(dir: string, expected: Expected): string[] {
  const result = check(dir);
  const key = (f: { file: string; check: string; line: number }) =>
    `${f.check} at ${f.file}:${f.line}`;
  const wantedNotes = new Set(expected.findings.filter((f) => f.severity === 'info').map(key));
  const got = new Set(
    result.findings
      .map((f) => ({
        severity: f.severity,
        key: key({ file: f.file, check: f.check, line: f.range.start.line + 1 }),
      }))
      .filter((f) => f.severity === 'error' || f.severity === 'warning' || wantedNotes.has(f.key))
      .map((f) => f.key),
  );
  const want = new Set(expected.findings.map(key));
  const problems = [...got].filter((g) => !want.has(g)).map((g) => `extra ${g}`);
  // `mustNot`: no finding of that check (in that file) beyond the expected ones. Such a finding
  // is also `extra`; it is named apart because a reviewer ruled it out by name.
  for (const ruled of expected.mustNot ?? [])
    for (const g of got)
      if (!want.has(g) && g.startsWith(`${ruled.check} at ${ruled.file ?? ''}`))
        problems.push(`must not: ${g}`);
  problems.push(...[...want].filter((w) => !got.has(w)).map((w) => `missing ${w}`));
  for (const file of expected.recognised) {
    const found =
      result.modelled.includes(file) ||
      result.findings.some((f) => f.file === file && f.check !== 'cors-setup-not-modelled');
    if (!found) problems.push(`${file} not recognised`);
  }
  return problems;
}

const shapes = readdirSync(root)
  .filter((name) => existsSync(path.join(root, name, 'expect.json')))
  .sort();

describe('real-project shapes', () => {
  it('there are shapes from real projects for every language', () => {
    assert.ok(shapes.length >= 60, `${shapes.length} shapes`);
  });

  for (const shape of shapes) {
    const file = path.join(root, shape, 'expect.json');
    const expected = JSON.parse(readFileSync(file, 'utf8')) as Expected;
    const gap = expected.today?.startsWith('gap') ? expected.today : undefined;
    it(shape, { todo: process.env.UPDATE_SHAPES ? undefined : gap }, () => {
      const problems = differences(path.join(root, shape), expected);
      if (process.env.UPDATE_SHAPES) {
        expected.today = problems.length ? `gap: ${problems.join('; ')}` : 'pass';
        writeFileSync(file, `${JSON.stringify(expected, null, 2)}\n`);
        return;
      }
      assert.deepEqual(problems, [], expected.shape);
    });
  }
});
