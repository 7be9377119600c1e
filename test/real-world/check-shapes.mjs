#!/usr/bin/env node
// Re-run the CLI on every test/fixtures/real-shapes/<shape>/ folder and compare with its expect.json:
// the tool's findings must equal `findings` exactly (file, check, line) and every `recognised` file
// must yield a finding or a policy (`cors-lens preview`). Prints one line per shape.
// usage: node test/real-world/check-shapes.mjs [path/to/dist/cli.js] [shape ...]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../fixtures/real-shapes');
const [cliArg, ...only] = process.argv.slice(2);
const cli = resolve(cliArg ?? join(here, '../../dist/cli.js'));
const run = (args) => {
  try {
    return execFileSync('node', [cli, ...args], { cwd: resolve(dirname(cli), '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  } catch (e) {
    return e.stdout ?? ''; // exit 1 = error-severity findings
  }
};
let gaps = 0;
for (const shape of readdirSync(root).sort()) {
  if (only.length && !only.includes(shape)) continue;
  const dir = join(root, shape);
  if (!existsSync(join(dir, 'expect.json'))) continue;
  const expect = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8'));
  const tool = JSON.parse(run(['check', dir, '--format', 'json'])).findings;
  const key = (f, c, l) => `${c} at ${f}:${l}`;
  const got = new Set(tool.map((t) => key(relative(dir, t.file), t.check, t.range.start.line + 1)));
  const want = new Set(expect.findings.map((f) => key(f.file, f.check, f.line)));
  const problems = [];
  for (const g of got) if (!want.has(g)) problems.push(`extra ${g}`);
  for (const w of want) if (!got.has(w)) problems.push(`missing ${w}`);
  for (const f of expect.recognised) {
    if (tool.some((t) => relative(dir, t.file) === f)) continue;
    if (!run(['preview', join(dir, f), '--origin', 'https://probe.example']).startsWith('Policy')) problems.push(`${f} not recognised`);
  }
  if (problems.length) gaps++;
  console.log(`${problems.length ? 'GAP ' : 'PASS'} ${shape}${problems.length ? ': ' + problems.join('; ') : ''}`);
}
console.log(`${gaps} gap(s)`);
