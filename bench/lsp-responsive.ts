/**
 * Issue 16's responsiveness target: while a pathological file is open and being analysed, the
 * language server answers another request (a hover on a small clean settings.py) within 200 ms.
 * For each pathological document: open it, then hover on the clean one every 50 ms until the bad
 * document's diagnostics arrive (at least 5 hovers); prints the hover latency (p50 and max; the
 * max includes the hover that waits behind the bad document's publish, which the server encodes
 * and the client parses), the max of those answered while it was analysed, and how long the bad
 * document took, and the longest the LSP thread's event loop was blocked meanwhile (measured in
 * the server by bench/support/stall-hook.cjs: publishing its diagnostics included), and how many
 * diagnostics were published (at most `corsLens.maxDiagnosticsPerFile` and a note). Printed,
 * never asserted. Needs `node esbuild.mjs` first.
 *
 *   node --import tsx bench/lsp-responsive.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzip } from '../test/fuzz/bytes';
import { LspTestClient } from '../test/protocol/lsp-client';
import { deepNesting, originsFile, regexFile } from '../test/fuzz/mutators';

const clean = `from pathlib import Path\n\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n`;
const regressions = path.resolve('test/fuzz/regressions');
const saved = (relative: string) => {
  const raw = fs.readFileSync(path.join(regressions, relative));
  return (relative.endsWith('.gz') ? gunzip(raw) : raw).toString('utf8');
};
const expressApp = `const express = require('express');\nconst cors = require('cors');\n\nconst app = express();\napp.use(cors({ origin: 'https://app.example.com' }));\napp.get('/items', (req, res) => res.json([]));\napp.listen(4000);\n`;

/** The documents: name, language id, text. */
const documents: [string, string, string][] = [
  [
    'catastrophic origin regex (Django)',
    'python',
    regexFile('django', '^(https?://)?(.*)*\\.example\\.com$').text,
  ],
  [
    '10,000 origins (settings.py, 359 KB)',
    'python',
    saved('lsp-hang-diagnostics-py/settings.py.repro.gz'),
  ],
  [
    'nginx map of origins (2.6 MB)',
    'nginx',
    saved('lsp-hang-diagnostics-conf/nginx.conf.repro.gz'),
  ],
  [
    '2 MB Express app repeated',
    'javascript',
    expressApp.repeat(Math.ceil((2 << 20) / expressApp.length)),
  ],
  ['3,000 nested ifs (JS)', 'javascript', deepNesting('javascript', 3, 3000)],
  ['3,000 nested lists (Python)', 'python', deepNesting('python', 0, 3000)],
  ['10,000 bad origins (JS)', 'javascript', originsFile('javascript', 10_000, true).text],
  // Fuzz input 2001:513: 10,000 findings to publish when its checks finish within the budget.
  ['10,000 bad origins (rack-cors)', 'ruby', originsFile('ruby', 10_000, true).text],
  // Analysed in full within the budget: 3,000 findings, published as the capped 300 and a note.
  ['3,000 bad origins (JS)', 'javascript', originsFile('javascript', 3_000, true).text],
];
const fileNames: Record<string, string> = {
  python: 'settings.py',
  javascript: 'app.js',
  nginx: 'nginx.conf',
  ruby: 'config/initializers/cors.rb',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The LSP thread's stalls over 20 ms since the last call (and forgets them). */
function stallsSinceLast(file: string): number[] {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  fs.rmSync(file, { force: true });
  return lines.filter(Boolean).map((line) => (JSON.parse(line) as { ms: number }).ms);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-responsive-'));
  const stallFile = path.join(root, 'stalls.jsonl');
  process.env.CORS_LENS_STALL_FILE = stallFile;
  process.env.CORS_LENS_SERVER_NODE_ARGS = `--require ${path.resolve('bench/support/stall-hook.cjs')}`;
  fs.writeFileSync(path.join(root, 'clean.py'), clean);
  const { client } = await LspTestClient.start({ root });
  const cleanUri = pathToFileURL(path.join(root, 'clean.py')).href;
  await client.open(cleanUri, clean, 1, 'python');
  await client.diagnostics(cleanUri, 1);
  stallsSinceLast(stallFile);
  console.log(
    '| open document | hovers | hover p50 | hover max | max while analysed | its diagnostics after | diagnostics published | LSP thread blocked at most |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  try {
    for (const [label, languageId, text] of documents) {
      const dir = fs.mkdtempSync(path.join(root, 'doc-'));
      const uri = pathToFileURL(path.join(dir, fileNames[languageId])).href;
      const started = performance.now();
      let done: number | undefined;
      let published = 0;
      const diagnostics = client.diagnostics(uri, 1).then((p) => {
        done = performance.now() - started;
        published = p.diagnostics.length;
      });
      await client.open(uri, text, 1, languageId);
      const hovers: number[] = [];
      /** Hovers answered before the document's diagnostics arrived: while it was analysed. */
      const during: number[] = [];
      while (done === undefined || hovers.length < 5) {
        const t = performance.now();
        await client.hover(cleanUri, { line: 2, character: 3 });
        hovers.push(performance.now() - t);
        if (done === undefined) during.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
        if (performance.now() - started > 120_000) break;
      }
      await diagnostics;
      await client.request('corsLens/analysesSettled', null);
      const blocked = Math.max(0, ...stallsSinceLast(stallFile));
      await client.close(uri);
      console.log(
        `| ${label} | ${hovers.length} | ${median(hovers).toFixed(0)} ms | ${Math.max(...hovers).toFixed(0)} ms | ${during.length ? `${Math.max(...during).toFixed(0)} ms` : '–'} | ${((done ?? 0) / 1000).toFixed(2)} s | ${published} | ${blocked.toFixed(0)} ms |`,
      );
    }
  } finally {
    await client.stop().catch(() => client.kill());
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
