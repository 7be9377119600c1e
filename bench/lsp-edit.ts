/**
 * End-to-end latency of the language server as the editor feels it: from sending `didChange`
 * (full text, one keystroke) to receiving `publishDiagnostics` for that version, through the
 * bundled server over stdio. Prints a table. Run: `node esbuild.mjs && node --import tsx bench/lsp-edit.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { analyzeTree } from '../server/src/core/analyze';
import { defaultSettings } from '../server/src/core/settings';
import { DocumentTrees } from '../server/src/parsing/document-trees';
import { LspTestClient } from '../test/protocol/lsp-client';

const EDITS = 50;

/** A Django settings module of about `lines` lines, with findings and filler settings. */
function settingsFile(lines: number): string {
  const head = `INSTALLED_APPS = ["django.contrib.contenttypes", "corsheaders"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "corsheaders.middleware.CorsMiddleware"]
CORS_ALLOWED_ORIGINS = ["https://app.example.com", "https://App.example.com/"]
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = True
`;
  const filler: string[] = [];
  for (let i = 0; filler.length < lines - 5; i++) filler.push(`SETTING_${i} = {"name": "value ${i}", "items": [${i}, ${i + 1}], "on": True}`);
  return head + filler.join('\n') + '\n';
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const ms = (x: number) => x.toFixed(2);

/** The same keystrokes in-process: incremental reparse + analysis, without LSP or JSON-RPC. */
async function measureCore(lines: number): Promise<number> {
  let text = settingsFile(lines);
  const trees = new DocumentTrees();
  await trees.update('bench', 'python', text);
  const at = text.indexOf(`"value ${Math.floor(lines / 2)}"`) + 7;
  const times: number[] = [];
  for (let v = 0; v < EDITS; v++) {
    text = text.slice(0, at) + String(v % 10) + text.slice(at);
    const t0 = performance.now();
    const tree = await trees.update('bench', 'python', text);
    await analyzeTree('/bench/settings.py', text, tree, { read: () => undefined }, defaultSettings);
    times.push(performance.now() - t0);
  }
  trees.dispose();
  return quantile(times, 0.5);
}

async function measure(lines: number): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-bench-'));
  const file = path.join(dir, 'settings.py');
  let text = settingsFile(lines);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const { client } = await LspTestClient.start({ settings: {} });
  try {
    let t0 = performance.now();
    await client.open(uri, text, 1);
    const first = await client.diagnostics(uri, 1);
    const open = performance.now() - t0;
    const times: number[] = [];
    // Keystrokes in the middle of the file, in a filler value: what typing costs.
    const at = text.indexOf(`"value ${Math.floor(lines / 2)}"`) + 7;
    for (let v = 2; v < EDITS + 2; v++) {
      text = text.slice(0, at) + String(v % 10) + text.slice(at);
      t0 = performance.now();
      await client.change(uri, text, v);
      await client.diagnostics(uri, v);
      times.push(performance.now() - t0);
    }
    return [
      String(lines),
      `${(text.length / 1024).toFixed(0)} KB`,
      String(first.diagnostics.length),
      ms(open),
      ms(quantile(times, 0.5)),
      ms(await measureCore(lines)),
      ms(quantile(times, 0.9)),
      ms(Math.min(...times)),
      ms(Math.max(...times)),
    ];
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows = [['lines', 'size', 'findings', 'didOpen→diagnostics ms', 'edit median ms', 'of which reparse+analysis ms', 'edit p90 ms', 'min ms', 'max ms']];
  for (const lines of [200, 2000, 10000]) rows.push(await measure(lines));
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`;
  console.log(`didChange (full text) → publishDiagnostics, bundled server over stdio, ${EDITS} keystrokes each, Node ${process.version}`);
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
