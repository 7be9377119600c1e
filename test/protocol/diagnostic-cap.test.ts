/**
 * `corsLens.maxDiagnosticsPerFile` over the real server's stdio: a file with more findings than
 * the cap publishes the most severe ones (in file order) and one info note at the top of the file
 * saying how many more there are; the real CLI still reports every finding.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { originsFile } from '../fuzz/mutators';
import { LspTestClient } from './lsp-client';

const cliBundle = path.resolve(__dirname, '../../dist/cli.js');
const note = (hidden: number, file: string) =>
  `${hidden} more CORS Lens findings not shown; run \`cors-lens check ${file}\` for all`;
const topOfFile = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** An info finding (cors() on /public) above three errors (origins with a trailing slash). */
const mixed = `const express = require('express');
const cors = require('cors');

const app = express();
app.use('/public', cors());
app.use('/api', cors({ origin: ['https://a.example.com/', 'https://b.example.com/', 'https://c.example.com/'] }));
app.listen(3000);
`;

describe('diagnostics per file are capped in the editor, not in the CLI', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-cap-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };

  test('305 findings: the default cap of 300 and a note saying 5 more; the CLI reports 305', async () => {
    const file = write('many/app.js', originsFile('javascript', 305, true).text);
    const { client } = await LspTestClient.start({ root, settings: {} });
    try {
      const uri = pathToFileURL(file).href;
      await client.open(uri, fs.readFileSync(file, 'utf8'), 1, 'javascript');
      const { diagnostics } = await client.diagnostics(uri, 1);
      assert.equal(diagnostics.length, 301);
      const [first, ...rest] = diagnostics;
      assert.deepEqual(
        [first.message, first.severity, first.range, first.source],
        [note(5, file), DiagnosticSeverity.Information, topOfFile, 'CORS Lens'],
      );
      assert.deepEqual(new Set(rest.map((d) => d.code)), new Set(['malformed-origin']));
      // Of equal severity: the first 300 in the file.
      assert.match(rest[0].message, /^Origin 'https:\/\/app0\.example\.com\/'/);
      assert.match(rest[299].message, /^Origin 'https:\/\/app299\.example\.com\/'/);
    } finally {
      await client.stop();
    }
    const json = JSON.parse(
      execFileSync(
        process.execPath,
        [cliBundle, 'check', file, '--format', 'json', '--fail-on', 'none'],
        {
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        },
      ).toString(),
    ) as { findings: { check: string }[] };
    assert.equal(json.findings.filter((f) => f.check === 'malformed-origin').length, 305);
  });

  test('a cap of 2 keeps the two most severe (errors before an earlier info), in file order', async () => {
    const file = write('mixed/app.js', mixed);
    const { client } = await LspTestClient.start({ root, settings: { maxDiagnosticsPerFile: 2 } });
    try {
      const uri = pathToFileURL(file).href;
      await client.open(uri, mixed, 1, 'javascript');
      const { diagnostics } = await client.diagnostics(uri, 1);
      assert.deepEqual(
        diagnostics.map((d) => [
          d.code ?? null,
          d.severity,
          d.range.start.line,
          d.range.start.character,
        ]),
        [
          ['diagnostics-capped', DiagnosticSeverity.Information, 0, 0],
          ['malformed-origin', DiagnosticSeverity.Error, 5, 32],
          ['malformed-origin', DiagnosticSeverity.Error, 5, 58],
        ],
      );
      assert.equal(diagnostics[0].message, note(2, file));
    } finally {
      await client.stop();
    }
  });
});
