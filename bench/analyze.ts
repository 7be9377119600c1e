/**
 * Per-edit cost of the core, measured in one run and printed as a table: a full parse, an
 * incremental reparse after one keystroke (DocumentTrees), and the whole analysis (extract +
 * every check) on settings files of growing size, in process: where an edit's time goes inside
 * the server. Run: `node --import tsx bench/analyze.ts` (`npm run bench` prints the budget table).
 */
import { performance } from 'node:perf_hooks';
import { analyzeTree } from '../server/src/analysis/analyze';
import { defaultSettings } from '../server/src/analysis/settings';
import { DocumentTrees } from '../server/src/parsing/document-trees';
import { parseText } from '../server/src/parsing/parser';

const ROUNDS = 50;

/** A settings module of about `lines` lines: real CORS settings plus filler settings. */
function settingsFile(lines: number): string {
  const head = `from corsheaders.defaults import default_headers
INSTALLED_APPS = ["django.contrib.contenttypes", "corsheaders", "allauth.headless"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "corsheaders.middleware.CorsMiddleware"]
CORS_ALLOWED_ORIGINS = ["https://app.example.com", "https://App.example.com/"]
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+.example.com"]
CORS_ALLOW_HEADERS = (*default_headers, "x-session-token")
CORS_ALLOW_CREDENTIALS = True
`;
  const filler: string[] = [];
  for (let i = 0; filler.length < lines; i++)
    filler.push(`SETTING_${i} = {"name": "value ${i}", "items": [${i}, ${i + 1}], "on": True}`);
  return head + filler.join('\n') + '\n';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => x.toFixed(2);

async function main(): Promise<void> {
  const reader = { read: () => undefined };
  const rows: string[][] = [
    [
      'lines',
      'full parse ms',
      'keystroke reparse ms',
      'analysis ms',
      'edit→findings ms',
      'full/incremental',
    ],
  ];
  for (const lines of [200, 2000, 10000]) {
    const text = settingsFile(lines);
    const full: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      (await parseText('python', text)).delete();
      full.push(performance.now() - t0);
    }
    const trees = new DocumentTrees();
    await trees.update('bench', 'python', text);
    const reparse: number[] = [];
    const analysis: number[] = [];
    const total: number[] = [];
    let current = text;
    const at = text.indexOf('"x-session-token"') + 3;
    for (let i = 0; i < ROUNDS; i++) {
      current = current.slice(0, at) + (i % 2 ? '' : 'y') + current.slice(at + (i % 2 ? 1 : 0));
      const t0 = performance.now();
      const tree = await trees.update('bench', 'python', current);
      const t1 = performance.now();
      await analyzeTree('/bench/settings.py', current, tree, reader, defaultSettings);
      const t2 = performance.now();
      reparse.push(t1 - t0);
      analysis.push(t2 - t1);
      total.push(t2 - t0);
    }
    trees.dispose();
    rows.push([
      String(lines),
      ms(median(full)),
      ms(median(reparse)),
      ms(median(analysis)),
      ms(median(total)),
      `${(median(full) / median(reparse)).toFixed(1)}x`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c])).join('  '));
  console.log(
    `medians over ${ROUNDS} edits; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(1)} MB`,
  );
}

void main();
