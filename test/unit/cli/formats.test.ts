import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rmSync } from 'node:fs';
import { cli, cliFixtures, scratch } from './cli-helpers';

describe('cors-lens check --format json', () => {
  test('findings carry the contract fields, 0-based ranges and fixes', () => {
    const run = cli(
      ['check', 'error.py', 'warning.py', 'clean.py', '--format', 'json'],
      cliFixtures,
    );
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as {
      findings: Record<string, unknown>[];
      skipped: unknown[];
      checked: number;
    };
    assert.deepEqual(Object.keys(report), ['findings', 'skipped', 'checked', 'modelled']);
    assert.equal(report.checked, 3);
    assert.deepEqual(report.skipped, []);
    const [error, warning] = report.findings;
    assert.deepEqual(Object.keys(error), [
      'check',
      'severity',
      'message',
      'file',
      'range',
      'docs',
      'fixes',
    ]);
    assert.equal(error.check, 'allow-all-origins');
    assert.equal(error.severity, 'error');
    assert.equal(error.file, 'error.py');
    assert.deepEqual(error.range, {
      start: { line: 10, character: 0 },
      end: { line: 10, character: 29 },
    });
    assert.equal(
      error.docs,
      'https://github.com/cors-lens/cors-lens/blob/main/docs/checks/allow-all-origins.md',
    );
    assert.deepEqual(error.fixes, [
      {
        title: 'Allow only http://localhost:3000, http://localhost:5173',
        edits: [
          {
            file: 'error.py',
            range: { start: { line: 10, character: 0 }, end: { line: 10, character: 29 } },
            newText:
              'CORS_ALLOWED_ORIGINS = [\n    "http://localhost:3000",\n    "http://localhost:5173",\n]',
          },
        ],
      },
    ]);
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.file, 'warning.py');
  });
});

describe('cors-lens check --format sarif', () => {
  const run = cli(['check', 'error.py', 'fixable.py', '--format', 'sarif'], cliFixtures);
  const sarif = JSON.parse(run.stdout);
  const [sarifRun] = sarif.runs;

  test('is SARIF 2.1.0 with a rule per check', () => {
    assert.equal(run.code, 1);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(sarif.runs.length, 1);
    const driver = sarifRun.tool.driver;
    assert.equal(driver.name, 'CORS Lens');
    assert.match(driver.informationUri, /^https:\/\//);
    assert.ok(driver.rules.length >= 5);
    for (const rule of driver.rules) {
      assert.match(rule.id, /^[a-z0-9-]+$/);
      assert.equal(
        rule.helpUri,
        `https://github.com/cors-lens/cors-lens/blob/main/docs/checks/${rule.id}.md`,
      );
      assert.equal(typeof rule.shortDescription.text, 'string');
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.equal(sarifRun.columnKind, 'utf16CodeUnits');
    assert.match(sarifRun.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);
  });

  test('results have rule ids, levels, messages and 1-based relative locations', () => {
    const ids = sarifRun.tool.driver.rules.map((r: { id: string }) => r.id);
    assert.deepEqual(
      sarifRun.results.map((r: { ruleId: string }) => r.ruleId),
      ['allow-all-origins', 'malformed-origin', 'malformed-origin'],
    );
    const [first, second] = sarifRun.results;
    assert.equal(ids[first.ruleIndex], first.ruleId);
    assert.equal(first.level, 'error');
    assert.match(first.message.text, /^CORS_ALLOW_ALL_ORIGINS\b.*CORS_ALLOW_CREDENTIALS\b/);
    assert.deepEqual(first.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: 'error.py', uriBaseId: '%SRCROOT%' },
          region: { startLine: 11, startColumn: 1, endLine: 11, endColumn: 30 },
        },
      },
    ]);
    assert.deepEqual(second.fixes, [
      {
        description: { text: "Use 'https://app.example.com'" },
        artifactChanges: [
          {
            artifactLocation: { uri: 'fixable.py', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 4, startColumn: 5, endLine: 4, endColumn: 31 },
                insertedContent: { text: '"https://app.example.com"' },
              },
            ],
          },
        ],
      },
    ]);
  });
});

describe('cors-lens check: a file that does not parse is named in every format', () => {
  // A missing comma inside the cors() options of the project's entry file (TaskHero's shape,
  // held-out batch 54): the JSON said nothing of it, so the project read as clean.
  const root = scratch({
    'server.js': {
      text:
        "const express = require('express');\nconst cors = require('cors');\nconst app = express();\n" +
        "app.use(cors({ origin: process.env.CLIENT_URL || 'http://localhost:5173' credentials: true }));\n" +
        'app.listen(4000);\n',
    },
  });
  test('json: syntaxErrors', () => {
    const run = cli(['check', 'server.js', '--format', 'json'], root);
    const report = JSON.parse(run.stdout) as { syntaxErrors?: string[] };
    assert.deepEqual(report.syntaxErrors, ['server.js']);
  });
  test('sarif: a warning notification of the invocation, at the file', () => {
    const run = cli(['check', 'server.js', '--format', 'sarif'], root);
    const [invocation] = JSON.parse(run.stdout).runs[0].invocations;
    assert.equal(invocation.executionSuccessful, true);
    assert.deepEqual(invocation.toolExecutionNotifications, [
      {
        level: 'warning',
        message: { text: 'server.js: has syntax errors; findings may be incomplete' },
        locations: [
          { physicalLocation: { artifactLocation: { uri: 'server.js', uriBaseId: '%SRCROOT%' } } },
        ],
      },
    ]);
    rmSync(root, { recursive: true, force: true });
  });
  test('a clean run has neither', () => {
    const json = JSON.parse(cli(['check', 'clean.py', '--format', 'json'], cliFixtures).stdout);
    assert.equal('syntaxErrors' in json, false);
    const sarif = JSON.parse(cli(['check', 'clean.py', '--format', 'sarif'], cliFixtures).stdout);
    assert.equal('invocations' in sarif.runs[0], false);
  });
});
