/**
 * The CLI over a workspace with nginx in front of apps (test/fixtures/cli/nginx-workspace): the
 * duplicate Access-Control-Allow-Origin is reported on nginx's add_header with the app's setting
 * as the related location (JSON and SARIF), and `--fix` hides the app's header so a re-check
 * finds it no more.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cli, cliFixtures } from './cli-helpers';

const workspace = path.join(cliFixtures, 'nginx-workspace');

interface JsonRelated {
  file: string;
  range: { start: { line: number; character: number } };
  message: string;
}

const duplicates = (stdout: string) =>
  (
    JSON.parse(stdout).findings as {
      check: string;
      file: string;
      range: { start: { line: number } };
      related?: JsonRelated[];
    }[]
  ).filter((f) => f.check === 'duplicate-allow-origin');

describe('cors-lens check: nginx in front of apps of the same workspace', () => {
  test('reports the doubled header on the add_header line, linked to each app', () => {
    const run = cli(['check', '.', '--format', 'json'], workspace);
    assert.equal(run.code, 1, run.stderr);
    const found = duplicates(run.stdout);
    assert.deepEqual(
      found.map((f) => [
        f.file,
        f.range.start.line,
        f.related?.map((r) => [r.file, r.range.start.line]),
      ]),
      [
        ['deploy/nginx/nginx.conf', 12, [['api/settings.py', 5]]],
        ['deploy/nginx/nginx.conf', 18, [['node-api/server.js', 4]]],
      ],
    );
    assert.match(
      found[0].related![0].message,
      /^django-cors-headers 3\.14\.0 sends Access-Control-Allow-Origin too \(CORS_ALLOWED_ORIGINS\); nginx adds another at nginx\.conf:13$/,
    );
  });

  test('SARIF carries the app as a related location', () => {
    const sarif = JSON.parse(cli(['check', '.', '--format', 'sarif'], workspace).stdout);
    const result = sarif.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'duplicate-allow-origin',
    );
    assert.equal(
      result.relatedLocations[0].physicalLocation.artifactLocation.uri,
      'api/settings.py',
    );
    assert.equal(result.relatedLocations[0].physicalLocation.region.startLine, 6);
  });

  test("--fix hides the apps' header in nginx and the finding is gone", () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'cors-lens-nginx-ws-'));
    cpSync(workspace, copy, { recursive: true });
    cli(['check', '.', '--fix'], copy);
    const conf = readFileSync(path.join(copy, 'deploy/nginx/nginx.conf'), 'utf8');
    assert.equal(conf.match(/^ {8}proxy_hide_header Access-Control-Allow-Origin;$/gm)?.length, 2);
    assert.deepEqual(duplicates(cli(['check', '.', '--format', 'json'], copy).stdout), []);
  });
});
