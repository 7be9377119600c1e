/**
 * Issue 21's target: the first diagnostics of an opened file within 1 s of the server being up.
 * Spawns the real server over stdio as the extension does (`--preload=` the opened file's
 * grammar, its status bar's two `corsLens/policy` requests), and times each run: spawn →
 * `initialize` answered, `initialized` + `didOpen` → the first `publishDiagnostics` of the opened
 * file, and when the start-up index of the workspace ended (the server's "indexed" log line)
 * relative to that publish. Two workspaces: the code-server e2e's (3 files) and a generated mixed
 * project (bench/support/repo.ts) with a Django settings.py opened at its root. Printed, never
 * asserted. Needs `node esbuild.mjs` first.
 * CORS_LENS_BENCH_BASE=path/to/server.js runs another build too, run for run in turn with this
 * one (the machine's load changes by the minute), e.g. the previous commit's `dist/server.js`
 * copied elsewhere with its wasm files.
 *
 *   node --import tsx bench/first-diagnostics.ts [runs]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../test/protocol/lsp-client';
import { generateRepo } from './support/repo';
import { ms, printTable, quantile } from './support/stats';

const RUNS = Number(process.argv[2] ?? 10);
const PROJECT_FILES = 500;

interface Run {
  /** Spawn → `initialize` answered (the server is up). */
  up: number;
  /** `initialized` + `didOpen` → the opened file's first diagnostics. */
  first: number;
  /** The first analysis of the opened file, as the server logs it. */
  analysis: number;
  /** The start-up index's end minus the first diagnostics (negative: it ended before them). */
  indexAfter: number;
}

/** One server start: open `file` right after `initialized`, as VS Code does. */
async function once(root: string, file: string, bundle?: string): Promise<Run> {
  const uri = pathToFileURL(file).href;
  const spawned = performance.now();
  const { client } = await LspTestClient.start({
    root,
    settings: {},
    serverArgs: ['--preload=python'],
    bundle,
  });
  try {
    const up = performance.now();
    let indexed: number | undefined;
    const indexedSeen = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (client.logs.some((l) => l.includes('workspace folder(s) in'))) {
          indexed ??= performance.now();
          clearInterval(check);
          resolve();
        }
      }, 2);
    });
    await client.open(uri, fs.readFileSync(file, 'utf8'), 1, 'python');
    // The extension's status bar and environment items ask as the client starts.
    const summaries = [1, 2].map(() => client.request('corsLens/policy', { uri }));
    await client.diagnostics(uri, 1);
    const first = performance.now();
    await Promise.all(summaries);
    await indexedSeen;
    const analysed = new RegExp(`analysed ${path.basename(file)} \\(v1\\) in (\\d+) ms`);
    const analysis = Number(client.logs.map((l) => analysed.exec(l)?.[1]).find(Boolean) ?? NaN);
    return {
      up: up - spawned,
      first: first - up,
      analysis,
      indexAfter: (indexed ?? first) - first,
    };
  } finally {
    await client.stop();
  }
}

const stats = (label: string, sample: number[]): string[] => {
  const sorted = [...sample].sort((a, b) => a - b);
  return [
    label,
    String(sorted.length),
    ms(quantile(sorted, 0.5)),
    ms(quantile(sorted, 0.9)),
    ms(sorted[sorted.length - 1]),
  ];
};

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-first-'));
  try {
    const project = path.join(scratch, 'project');
    generateRepo(project, PROJECT_FILES);
    const settings = path.join(project, 'settings.py');
    fs.copyFileSync(path.resolve('test/fixtures/e2e/workspace/settings.py'), settings);
    const e2e = path.resolve('test/fixtures/e2e/workspace');
    const workspaces: [string, string, string][] = [
      ['e2e workspace (3 files)', e2e, path.join(e2e, 'settings.py')],
      [`mixed project (${PROJECT_FILES} files)`, project, settings],
    ];
    const builds: [string, string | undefined][] = [['this build', undefined]];
    if (process.env.CORS_LENS_BENCH_BASE)
      builds.unshift(['base', process.env.CORS_LENS_BENCH_BASE]);
    const rows: string[][] = [];
    for (const [name, root, file] of workspaces) {
      const runs = new Map<string, Run[]>(builds.map(([build]) => [build, []]));
      for (let i = 0; i < RUNS; i++)
        for (const [build, bundle] of builds) runs.get(build)!.push(await once(root, file, bundle));
      for (const [build, sample] of runs) {
        const label = `${name}, ${build}`;
        rows.push(
          stats(
            `${label}: spawn → server up`,
            sample.map((r) => r.up),
          ),
        );
        rows.push(
          stats(
            `${label}: server up → first diagnostics`,
            sample.map((r) => r.first),
          ),
        );
        rows.push(
          stats(
            `${label}: spawn → first diagnostics`,
            sample.map((r) => r.up + r.first),
          ),
        );
        rows.push(
          stats(
            `${label}: first analysis (server log)`,
            sample.map((r) => r.analysis),
          ),
        );
        rows.push(
          stats(
            `${label}: index end − first diagnostics`,
            sample.map((r) => r.indexAfter),
          ),
        );
      }
      console.error(`first-diagnostics: ${name} done`);
    }
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, ms:`,
    );
    printTable(['measure', 'n', 'median', 'p90', 'max'], rows);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
