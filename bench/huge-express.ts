/**
 * Huge Express files through `cors-lens check` (issue 16: a 2 MB Express file was quadratic, every
 * `cors()` policy carrying the whole middleware stack): time and peak RSS per size, printed as a
 * table, never asserted. Two shapes: one small app repeated (what the fuzzer's huge/2mb mutator
 * makes of an Express fixture) and one app of distinct routes, each with its own inline `cors()`.
 *
 *   node --import tsx bench/huge-express.ts [--dist dist] [--sizes 250,500,1024,2048] [--timeout 300]
 *     [--shapes repeated,distinct]
 *
 * `--dist` picks the bundle folder (to compare two builds); the per-file analysis budget is lifted
 * so the whole cost is measured.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dist = path.resolve(arg('dist', 'dist'));
const sizes = arg('sizes', '250,500,1024,2048').split(',').map(Number);
const timeoutMs = Number(arg('timeout', '300')) * 1000;
const shapes = arg('shapes', 'repeated,distinct').split(',') as ('repeated' | 'distinct')[];
const rssHook = path.resolve('test/fuzz/rss-hook.cjs');

const repeatedApp = `const express = require('express');
const cors = require('cors');

const app = express();
app.use(cors({ origin: 'https://app.example.com' }));
app.get('/items', (req, res) => res.json([]));
app.listen(4000);
`;

const distinctRoute = (i: number) =>
  `app.get('/items/${i}', cors({ origin: 'https://app${i}.example.com' }), (req, res) => res.json([]));\n`;

/** `kb` KiB of one shape. */
function generate(shape: 'repeated' | 'distinct', kb: number): string {
  const bytes = kb * 1024;
  if (shape === 'repeated')
    return repeatedApp.repeat(Math.ceil(bytes / repeatedApp.length)).slice(0, bytes);
  let text =
    "const express = require('express');\nconst cors = require('cors');\nconst app = express();\n";
  for (let i = 0; text.length < bytes; i++) text += distinctRoute(i);
  return text;
}

interface Run {
  seconds: number;
  rssMb?: number;
  exit: number | string;
  findings?: number;
}

/** One `check . --format json` over a folder holding `text` as server.js. */
async function check(text: string): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-huge-'));
  const rssFile = path.join(dir, 'rss');
  fs.mkdirSync(path.join(dir, 'app'));
  fs.writeFileSync(path.join(dir, 'app', 'server.js'), text);
  const started = performance.now();
  try {
    return await new Promise<Run>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          rssHook,
          path.join(dist, 'cli.js'),
          'check',
          'app',
          '--format',
          'json',
          '--budget-ms',
          '10000000',
        ],
        { cwd: dir, env: { ...process.env, CORS_FUZZ_RSS_FILE: rssFile } },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const seconds = (performance.now() - started) / 1000;
        const rss = fs.existsSync(rssFile)
          ? Number(fs.readFileSync(rssFile, 'utf8')) / 1024
          : undefined;
        let findings: number | undefined;
        try {
          findings = (JSON.parse(out) as { findings: unknown[] }).findings.length;
        } catch {
          findings = undefined;
        }
        resolve({
          seconds,
          rssMb: rss,
          exit: signal ? `killed after ${timeoutMs / 1000} s` : (code ?? -1),
          findings,
        });
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`bundle: ${dist}`);
  console.log('| shape | size | time | peak RSS | exit | findings |');
  console.log('|---|---|---|---|---|---|');
  for (const shape of shapes) {
    for (const kb of sizes) {
      const run = await check(generate(shape, kb));
      const size = kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`;
      console.log(
        `| ${shape} | ${size} | ${run.seconds.toFixed(2)} s | ${run.rssMb ? `${Math.round(run.rssMb)} MB` : '—'} | ${run.exit} | ${run.findings ?? '—'} |`,
      );
    }
  }
}

void main();
