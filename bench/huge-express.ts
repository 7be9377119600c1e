/**
 * Huge Express files through `cors-lens check` (issue 16: Express files were quadratic, every
 * `cors()` policy carrying the whole middleware stack): wall and CPU time, peak RSS and the CPU
 * ratio per doubling of the size, printed as a table, never asserted (linear: a ratio near 2).
 * Shapes: one small app repeated (what the fuzzer's huge/2mb mutator makes of an Express fixture);
 * distinct routes, each with its own inline `cors()` (`distinct`: GET under /items; `routes`:
 * `app.options` + `app.get` per path; `api`: the same under /api with a parameter); `app.use`
 * mounts with their own `cors()` (`use`; `use-after-routes`: each after a route it covers);
 * many routers, each with its own `cors()` (`routers`).
 *
 *   node --import tsx bench/huge-express.ts [--dist dist] [--sizes 256,512,1024] [--timeout 300]
 *     [--shapes repeated,distinct,routes,api,use,use-after-routes,routers]
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
const sizes = arg('sizes', '256,512,1024').split(',').map(Number);
const timeoutMs = Number(arg('timeout', '300')) * 1000;
const usageHook = path.resolve('bench/support/usage-hook.cjs');

const repeatedApp = `const express = require('express');
const cors = require('cors');

const app = express();
app.use(cors({ origin: 'https://app.example.com' }));
app.get('/items', (req, res) => res.json([]));
app.listen(4000);
`;

const header =
  "const express = require('express');\nconst cors = require('cors');\nconst app = express();\n" +
  'const handler = (req, res) => res.json([]);\n';
const origin = (i: number) => `cors({ origin: 'https://app${i}.example.com' })`;

/** The text each shape repeats, for its `i`th unit. */
const units = {
  distinct: (i: number) => `app.get('/items/${i}', ${origin(i)}, (req, res) => res.json([]));\n`,
  routes: (i: number) =>
    `app.options('/r${i}', ${origin(i)});\napp.get('/r${i}', ${origin(i)}, handler);\n`,
  api: (i: number) =>
    `app.options('/api/r${i}/:id', ${origin(i)});\napp.get('/api/r${i}/:id', ${origin(i)}, handler);\n`,
  use: (i: number) => `app.use('/u${i}', ${origin(i)});\n`,
  'use-after-routes': (i: number) =>
    `app.get('/u${i}/items', handler);\napp.use('/u${i}', ${origin(i)});\n`,
  routers: (i: number) =>
    `const r${i} = express.Router();\nr${i}.use(${origin(i)});\nr${i}.get('/x', handler);\napp.use('/m${i}', r${i});\n`,
};
type Shape = 'repeated' | keyof typeof units;
const shapes = arg('shapes', `repeated,${Object.keys(units).join(',')}`).split(',') as Shape[];

/** `kb` KiB of one shape. */
function generate(shape: Shape, kb: number): string {
  const bytes = kb * 1024;
  if (shape === 'repeated')
    return repeatedApp.repeat(Math.ceil(bytes / repeatedApp.length)).slice(0, bytes);
  let text = header;
  for (let i = 0; text.length < bytes; i++) text += units[shape](i);
  return text;
}

interface Run {
  seconds: number;
  cpuSeconds?: number;
  rssMb?: number;
  exit: number | string;
  findings?: number;
}

/** One `check . --format json` over a folder holding `text` as server.js. */
async function check(text: string): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-huge-'));
  const usageFile = path.join(dir, 'usage.json');
  fs.mkdirSync(path.join(dir, 'app'));
  fs.writeFileSync(path.join(dir, 'app', 'server.js'), text);
  const started = performance.now();
  try {
    return await new Promise<Run>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          usageHook,
          path.join(dist, 'cli.js'),
          'check',
          'app',
          '--format',
          'json',
          '--budget-ms',
          '10000000',
        ],
        { cwd: dir, env: { ...process.env, CORS_LENS_USAGE_FILE: usageFile } },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const seconds = (performance.now() - started) / 1000;
        const usage = fs.existsSync(usageFile)
          ? (JSON.parse(fs.readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage)
          : undefined;
        let findings: number | undefined;
        try {
          findings = (JSON.parse(out) as { findings: unknown[] }).findings.length;
        } catch {
          findings = undefined;
        }
        resolve({
          seconds,
          cpuSeconds: usage && (usage.userCPUTime + usage.systemCPUTime) / 1e6,
          rssMb: usage && usage.maxRSS / 1024,
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
  console.log(
    '| shape | size | wall | CPU | CPU ratio (per doubling) | peak RSS | exit | findings |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const shape of shapes) {
    let previous: { kb: number; cpu?: number } | undefined;
    for (const kb of sizes) {
      const run = await check(generate(shape, kb));
      const size = kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`;
      const ratio =
        previous?.cpu && run.cpuSeconds
          ? `${((run.cpuSeconds / previous.cpu) ** (1 / Math.log2(kb / previous.kb))).toFixed(2)}`
          : '—';
      console.log(
        `| ${shape} | ${size} | ${run.seconds.toFixed(2)} s | ${run.cpuSeconds?.toFixed(2) ?? '—'} s | ${ratio} | ${run.rssMb ? `${Math.round(run.rssMb)} MB` : '—'} | ${run.exit} | ${run.findings ?? '—'} |`,
      );
      previous = { kb, cpu: run.cpuSeconds };
    }
  }
}

void main();
