import { cleanup, classify, findingsOf, runCli, tempDir, writeBatch, type CliResult } from './cli-driver';
import { loadSeeds } from './corpus';
import { deepNesting, originsFile, pathologicalRegexes, regexFile, regexFrameworks } from './mutators';

async function one(name: string, text: string | Buffer, timeoutMs = 60_000): Promise<CliResult> {
  const dir = tempDir('measure');
  try {
    writeBatch(dir, [{ name, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text) }]);
    return await runCli(['check', '.', '--format', 'json'], dir, timeoutMs);
  } finally {
    cleanup(dir);
  }
}
const fmt = (r: CliResult) => `${r.timedOut ? `>${(r.ms / 1000).toFixed(0)} s (killed)` : `${(r.ms / 1000).toFixed(2)} s`}, exit ${r.code ?? r.signal}, ${r.rssMb ? `${r.rssMb.toFixed(0)} MB` : '? MB'}`;

/** Measures the known failure modes: nesting depth that overflows, regex hangs, findings scaling, CR-only loss. */
export async function measure(log: (l: string) => void) {
  log('## Deep nesting: smallest depth that crashes (exit 2), per language and construct');
  for (const lang of ['python', 'javascript', 'ruby', 'nginx'] as const) {
    for (let kind = 0; kind < (lang === 'javascript' ? 5 : lang === 'nginx' ? 3 : 4); kind++) {
      const name = { python: 'settings.py', javascript: 'app.js', ruby: 'config/initializers/cors.rb', nginx: 'nginx.conf' }[lang];
      let lo = 1;
      let hi = lang === 'nginx' ? 4000 : 12000;
      const top = await one(name, deepNesting(lang, kind, hi));
      if (!classify(top, 'json')) {
        log(`${lang} #${kind}: no failure up to depth ${hi} (${fmt(top)})`);
        continue;
      }
      while (hi - lo > Math.max(10, lo / 50)) {
        const mid = Math.floor((lo + hi) / 2);
        if (classify(await one(name, deepNesting(lang, kind, mid)), 'json')) hi = mid;
        else lo = mid;
      }
      const at = await one(name, deepNesting(lang, kind, hi));
      log(`${lang} #${kind}: fails from depth ~${hi}: ${classify(at, 'json')?.signature} (${fmt(at)})`);
    }
  }
  log('\n## Pathological regexes (10 s limit)');
  for (const re of pathologicalRegexes) {
    const cells: string[] = [];
    for (const fw of regexFrameworks) {
      const f = regexFile(fw, re);
      const r = await one(f.name, f.text, 10_000);
      cells.push(`${fw} ${r.timedOut ? 'HANG' : (r.ms / 1000).toFixed(1)}`);
    }
    log(`${re}: ${cells.join(', ')}`);
  }
  log('\n## Findings per file: N malformed origins in one list');
  for (const lang of ['python', 'javascript', 'ruby', 'nginx'] as const) {
    let prev: number | undefined;
    for (const n of [1000, 2000, 4000, 8000]) {
      const f = originsFile(lang, n, true);
      const r = await one(f.name, f.text, 120_000);
      const found = findingsOf(r.stdout).length;
      log(`${lang} n=${n}: ${found} findings, ${fmt(r)}${prev ? `, x${(r.ms / prev).toFixed(1)} time for x2 n` : ''}`);
      prev = r.ms;
      if (r.timedOut || r.ms > 60_000) break;
    }
    const ok = originsFile(lang, 10_000, false);
    log(`${lang} 10,000 well-formed origins: ${fmt(await one(ok.name, ok.text, 120_000))}`);
  }
  log('\n## Line endings: fixtures whose findings (check@line) change with CR-only / CRLF');
  const seeds = loadSeeds();
  for (const kind of ['cr', 'crlf'] as const) {
    let differ = 0;
    const examples: string[] = [];
    let lfFindings = 0;
    let eolFindings = 0;
    for (const s of seeds) {
      const lf = s.text.replace(/\r\n?/g, '\n');
      const v = kind === 'cr' ? lf.replace(/\n/g, '\r') : lf.replace(/\n/g, '\r\n');
      const [a, b] = await Promise.all([one(s.name, lf), one(s.name, v)]);
      const x = findingsOf(a.stdout).map((f) => `${f.check}@${f.range.start.line}`).sort();
      const y = findingsOf(b.stdout).map((f) => `${f.check}@${f.range.start.line}`).sort();
      lfFindings += x.length;
      eolFindings += y.length;
      if (x.join() !== y.join()) {
        differ++;
        if (examples.length < 5) examples.push(`${s.source}: [${x.join(', ')}] vs [${y.join(', ')}]`);
      }
    }
    log(`${kind}: ${differ}/${seeds.length} fixtures differ; findings ${lfFindings} (LF) vs ${eolFindings} (${kind})`);
    for (const e of examples) log(`  ${e}`);
  }
}
