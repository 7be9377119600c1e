import {
  classify,
  cleanup,
  findingsOf,
  runCli,
  tempDir,
  writeBatch,
  type CliResult,
} from './cli-driver';
import { loadSeeds } from './corpus';
import {
  deepNesting,
  originsFile,
  pathologicalRegexes,
  regexFile,
  regexFrameworks,
} from './mutators';

async function one(name: string, text: string | Buffer, timeoutMs = 60_000): Promise<CliResult> {
  const dir = tempDir('measure');
  try {
    writeBatch(dir, [{ name, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text) }]);
    return await runCli(['check', '.', '--format', 'json'], dir, timeoutMs);
  } finally {
    cleanup(dir);
  }
}
const fmt = (r: CliResult) =>
  `${r.timedOut ? `>${(r.ms / 1000).toFixed(0)} s (killed)` : `${(r.ms / 1000).toFixed(2)} s`}, exit ${r.code ?? r.signal}, ${r.rssMb ? `${r.rssMb.toFixed(0)} MB` : '? MB'}`;

/** Measures the known failure modes: nesting depth that overflows, regex hangs, findings scaling, CR-only loss. */
export async function measure(log: (l: string) => void) {
  log('## Deep nesting: smallest depth that crashes (exit 2), per language and construct');
  for (const lang of ['python', 'javascript', 'ruby', 'nginx', 'php'] as const) {
    for (let kind = 0; kind < (lang === 'javascript' ? 5 : lang === 'nginx' ? 3 : 4); kind++) {
      const name = {
        python: 'settings.py',
        javascript: 'app.js',
        ruby: 'config/initializers/cors.rb',
        nginx: 'nginx.conf',
        php: 'public/api.php',
      }[lang];
      const nest = (depth: number) =>
        (lang === 'php' ? '<?php\n' : '') + deepNesting(lang, kind, depth);
      let lo = 1;
      let hi = lang === 'nginx' ? 4000 : 12000;
      const top = await one(name, nest(hi));
      if (!classify(top, 'json')) {
        log(`${lang} #${kind}: no failure up to depth ${hi} (${fmt(top)})`);
        continue;
      }
      while (hi - lo > Math.max(10, lo / 50)) {
        const mid = Math.floor((lo + hi) / 2);
        if (classify(await one(name, nest(mid)), 'json')) hi = mid;
        else lo = mid;
      }
      const at = await one(name, nest(hi));
      log(
        `${lang} #${kind}: fails from depth ~${hi}: ${classify(at, 'json')?.signature} (${fmt(at)})`,
      );
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
  for (const lang of ['python', 'javascript', 'ruby', 'nginx', 'php'] as const) {
    let prev: number | undefined;
    for (const n of [1000, 2000, 4000, 8000]) {
      const f = originsFile(lang, n, true);
      const r = await one(f.name, f.text, 60_000);
      const found = findingsOf(r.stdout).length;
      log(
        `${lang} n=${n}: ${found} findings, ${fmt(r)}${prev ? `, x${(r.ms / prev).toFixed(1)} time for x2 n` : ''}`,
      );
      prev = r.ms;
      if (r.timedOut || r.ms > 20_000) break;
    }
    const ok = originsFile(lang, 10_000, false);
    log(`${lang} 10,000 well-formed origins: ${fmt(await one(ok.name, ok.text, 120_000))}`);
  }
  log(
    '\n## Line endings: fixtures whose findings (check@line) change with CR-only / CRLF (one run over all fixtures each)',
  );
  const seeds = loadSeeds();
  const lfDir = tempDir('m-lf');
  const names = writeBatch(
    lfDir,
    seeds.map((s) => ({ name: s.name, bytes: Buffer.from(s.text.replace(/\r\n?/g, '\n')) })),
  );
  const lf = await runCli(['check', '.', '--format', 'json'], lfDir, 120_000);
  cleanup(lfDir);
  const byFile = (stdout: string) => {
    const m = new Map<string, string[]>();
    for (const f of findingsOf(stdout))
      m.set(
        f.file.replace(/^\.\//, ''),
        [...(m.get(f.file.replace(/^\.\//, '')) ?? []), `${f.check}@${f.range.start.line}`].sort(),
      );
    return m;
  };
  const a = byFile(lf.stdout);
  for (const kind of ['cr', 'crlf'] as const) {
    const dir = tempDir('m-eol');
    writeBatch(
      dir,
      seeds.map((s) => {
        const t = s.text.replace(/\r\n?/g, '\n');
        return {
          name: s.name,
          bytes: Buffer.from(kind === 'cr' ? t.replace(/\n/g, '\r') : t.replace(/\n/g, '\r\n')),
        };
      }),
    );
    const r = await runCli(['check', '.', '--format', 'json'], dir, 120_000);
    cleanup(dir);
    const b = byFile(r.stdout);
    let differ = 0;
    let nA = 0;
    let nB = 0;
    const examples: string[] = [];
    names.forEach((name, i) => {
      const key = name.split('\\').join('/');
      const x = a.get(key) ?? [];
      const y = b.get(key) ?? [];
      nA += x.length;
      nB += y.length;
      if (x.join() !== y.join()) {
        differ++;
        if (examples.length < 4)
          examples.push(`${seeds[i].source}: [${x.join(', ')}] vs [${y.join(', ')}]`);
      }
    });
    log(
      `${kind}: ${differ}/${seeds.length} fixtures differ; ${nA} findings with LF vs ${nB} with ${kind} (LF run ${fmt(lf)}, ${kind} run ${fmt(r)})`,
    );
    for (const e of examples) log(`  ${e}`);
  }
}
