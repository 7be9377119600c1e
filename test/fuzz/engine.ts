import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { gzip, writeBytes } from './bytes';
import { loadSeeds } from './corpus';
import {
  classify,
  cleanup,
  findingsOf,
  lostLines,
  runCli,
  slug,
  tempDir,
  writeBatch,
  type CliResult,
  type Failure,
} from './cli-driver';
import { LspSession } from './lsp-driver';
import { minimize } from './minimize';
import { inputAt, type Input } from './mutators';
import { Rng, seedFor } from './prng';

export interface FuzzOptions {
  seed: number;
  /** Stop after this many inputs (CLI inputs; the LSP lane takes a share of the same inputs). */
  count: number;
  /** Stop after this much wall-clock time. */
  minutes: number;
  batchSize: number;
  /** Parallel CLI runs. */
  workers: number;
  /** A whole file's wall-clock limit (hang). */
  hangMs: number;
  /** A file's time budget, over the CLI's start-up time (over-budget). */
  fileBudgetMs: number;
  /** One input in `lspEvery` also goes through the language server (0: no LSP lane). */
  lspEvery: number;
  /** Minimise the first input of each new failure signature and save it. */
  minimize: boolean;
  minimizeMs: number;
  /** Where reproducers go (undefined: not saved). */
  regressionsDir?: string;
  /**
   * After this many hangs or over-budget runs with one mutator and file type, its later inputs are
   * counted as skipped, not run.
   */
  quarantineAfter: number;
  log: (line: string) => void;
}

export interface SignatureStats {
  signature: string;
  kind: Failure['kind'];
  count: number;
  first: { id: string; mutator: string; origin: string; name: string };
  detail: string;
  ms?: number;
  rssMb?: number;
  reproducer?: string;
  originalBytes: number;
  minimizedBytes?: number;
}

export interface Summary {
  inputs: number;
  lspInputs: number;
  cliRuns: number;
  skippedKnownHangs: number;
  crashes: number;
  hangs: number;
  overBudget: number;
  other: number;
  signatures: Map<string, SignatureStats>;
  elapsedMs: number;
  baselineMs: number;
}

const extOf = (name: string) => path.extname(name) || path.basename(name);
/** The mutator family (nesting, regex, huge, eol...) of an input, for hang/slow signatures. */
const family = (mutator: string) => mutator.split('+')[0].split('/')[0];

/**
 * Inputs of one mutator and file type: after a few hangs or over-budget runs, the rest are skipped
 * (each costs seconds).
 */
const quarantineKey = (input: Input) => `${input.mutator} ${extOf(input.name)}`;
/**
 * Mutator families likely to fail (nesting, regexes, huge files): run one per CLI run, so a failure
 * needs no isolation.
 */
const risky = (input: Input) => /^(nesting|regex|huge)\//.test(input.mutator);

/** Runs one input alone, as `name` in a fresh folder. */
async function runAlone(
  name: string,
  bytes: Buffer,
  args: string[],
  timeoutMs: number,
): Promise<CliResult> {
  const dir = tempDir('one');
  try {
    writeBatch(dir, [{ name, bytes }]);
    return await runCli(['check', '.', ...args], dir, timeoutMs);
  } finally {
    cleanup(dir);
  }
}

/** A failure signature that does not depend on the input's details (its language only). */
function signatureOf(f: Failure, input: { name: string; mutator: string }): string {
  if (f.kind === 'hang' || f.kind === 'slow')
    return `${f.kind}: ${family(input.mutator)} ${extOf(input.name)}`;
  if (f.kind.startsWith('lsp')) return f.signature;
  return `${f.signature} [${extOf(input.name)}]`;
}

export class Fuzzer {
  readonly summary: Summary;
  private next = 0;
  private batchNo = 0;
  private readonly deadline: number;
  private readonly hangsByMutator = new Map<string, number>();
  private readonly started = performance.now();
  private readonly toSave: (() => Promise<void>)[] = [];

  constructor(private readonly o: FuzzOptions) {
    this.deadline = this.started + o.minutes * 60_000;
    this.summary = {
      inputs: 0,
      lspInputs: 0,
      cliRuns: 0,
      skippedKnownHangs: 0,
      crashes: 0,
      hangs: 0,
      overBudget: 0,
      other: 0,
      signatures: new Map(),
      elapsedMs: 0,
      baselineMs: 0,
    };
  }

  private get done() {
    return this.next >= this.o.count || performance.now() > this.deadline;
  }

  /** The CLI's own start-up time on a trivial file (median of 3). */
  private async baseline() {
    const times: number[] = [];
    for (let i = 0; i < 3; i++)
      times.push(
        (await runAlone('settings.py', Buffer.from('X = 1\n'), ['--format', 'json'], 30_000)).ms,
      );
    this.summary.baselineMs = times.sort((a, b) => a - b)[1];
  }

  async run(): Promise<Summary> {
    await this.baseline();
    const lanes: Promise<void>[] = [];
    for (let w = 0; w < this.o.workers; w++) lanes.push(this.cliLane());
    if (this.o.lspEvery > 0) lanes.push(this.lspLane());
    await Promise.all(lanes);
    // Minimised one at a time once fuzzing is over: a loaded machine makes every timing look slow.
    if (this.toSave.length) this.o.log(`minimising ${this.toSave.length} new failure(s)...`);
    for (const save of this.toSave) await save();
    this.summary.elapsedMs = performance.now() - this.started;
    return this.summary;
  }

  private record(f: Failure, input: Input, res?: CliResult, bytes: Buffer = input.bytes) {
    const s = this.summary;
    if (f.kind === 'crash' || f.kind === 'lsp-crash' || f.kind === 'invalid-output') s.crashes++;
    else if (f.kind === 'hang' || f.kind === 'lsp-hang' || f.kind === 'lsp-shutdown') s.hangs++;
    else if (f.kind === 'slow' || f.kind === 'lsp-unresponsive') s.overBudget++;
    else s.other++;
    if (f.kind === 'hang' || f.kind === 'slow')
      this.hangsByMutator.set(
        quarantineKey(input),
        (this.hangsByMutator.get(quarantineKey(input)) ?? 0) + 1,
      );
    const signature = signatureOf(f, input);
    const known = s.signatures.get(signature);
    if (known) {
      known.count++;
      return;
    }
    const entry: SignatureStats = {
      signature,
      kind: f.kind,
      count: 1,
      first: { id: input.id, mutator: input.mutator, origin: input.origin, name: input.name },
      detail: f.detail.split('\n')[0].slice(0, 300),
      ms: res?.ms,
      rssMb: res?.rssMb,
      originalBytes: bytes.length,
    };
    s.signatures.set(signature, entry);
    this.o.log(
      `new failure: ${signature}  (input ${input.id}, ${input.mutator}, ${input.name}, ${bytes.length} bytes${res ? `, ${(res.ms / 1000).toFixed(2)} s` : ''}${res?.rssMb ? `, ${res.rssMb.toFixed(0)} MB` : ''})`,
    );
    if (this.o.regressionsDir) this.toSave.push(() => this.saveReproducer(entry, f, input, bytes));
  }

  /** How much longer than a trivial file `bytes` takes, twice in a row, when over budget (else undefined). */
  private async overBudget(name: string, bytes: Buffer): Promise<number | undefined> {
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      const base = (
        await runAlone('settings.py', Buffer.from('X = 1\n'), ['--format', 'json'], 30_000)
      ).ms;
      const r = await runAlone(name, bytes, ['--format', 'json'], this.o.hangMs * 2);
      this.summary.cliRuns += 2;
      if (classify(r, 'json')) return undefined;
      best = Math.min(best, r.ms - base);
      if (best <= this.o.fileBudgetMs) return undefined;
    }
    return best;
  }

  /** Whether `bytes` (as `name`) still fails the same way alone; for minimisation and replays. */
  private async stillFails(
    f: Failure,
    name: string,
    bytes: Buffer,
    mutator: string,
    hangMs: number,
  ): Promise<boolean> {
    if (f.kind === 'eol-findings-differ')
      return (await eolDifference(name, bytes, hangMs)) !== undefined;
    if (f.kind === 'fix-lost-line') return (await fixLoss(name, bytes, hangMs)) !== undefined;
    if (f.kind.startsWith('lsp')) return false;
    const res = await runAlone(name, bytes, ['--format', 'json'], hangMs);
    const g = classify(res, 'json');
    if (f.kind === 'slow')
      return (
        !g &&
        res.ms - this.summary.baselineMs > this.o.fileBudgetMs &&
        (await this.overBudget(name, bytes)) !== undefined
      );
    return (
      g !== undefined && signatureOf(g, { name, mutator }) === signatureOf(f, { name, mutator })
    );
  }

  private async saveReproducer(entry: SignatureStats, f: Failure, input: Input, bytes: Buffer) {
    let text = bytes.toString('latin1'); // byte-preserving while minimising
    if (this.o.minimize && !f.kind.startsWith('lsp')) {
      const hangMs = f.kind === 'slow' ? this.o.hangMs * 2 : this.o.hangMs;
      const confirm = await this.stillFails(f, input.name, bytes, input.mutator, hangMs);
      if (confirm) {
        const result = await minimize(
          text,
          (c) => this.stillFails(f, input.name, Buffer.from(c, 'latin1'), input.mutator, hangMs),
          { tests: 400, ms: this.o.minimizeMs },
        );
        text = result.text;
        this.o.log(
          `minimised ${entry.signature}: ${bytes.length} -> ${text.length} bytes in ${result.tests} tests`,
        );
      } else {
        this.o.log(`${entry.signature}: does not fail alone; saved as found`);
      }
    }
    const out = Buffer.from(text, 'latin1');
    entry.minimizedBytes = out.length;
    const dir = path.join(this.o.regressionsDir!, slug(entry.signature));
    rmSync(dir, { recursive: true, force: true });
    const file = path.join(dir, `${input.name}.repro${out.length > 256 * 1024 ? '.gz' : ''}`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeBytes(file, out.length > 256 * 1024 ? gzip(out) : out);
    writeFileSync(
      path.join(dir, 'meta.json'),
      JSON.stringify(
        {
          signature: entry.signature,
          kind: f.kind,
          file: path.relative(dir, file),
          input: input.id,
          mutator: input.mutator,
          origin: input.origin,
          detail: entry.detail,
          seconds: entry.ms && +(entry.ms / 1000).toFixed(2),
          rssMb: entry.rssMb && Math.round(entry.rssMb),
          bytes: out.length,
        },
        null,
        2,
      ) + '\n',
    );
    entry.reproducer = path.relative(path.resolve(__dirname, '../..'), file);
    writeRegressionsReadme(this.o.regressionsDir!);
  }

  private take(n: number): Input[] {
    const out: Input[] = [];
    let bytes = 0;
    while (out.length < n && !this.done && bytes < 12 * 1024 * 1024) {
      const input = inputAt(this.o.seed, this.next++);
      bytes += input.bytes.length;
      out.push(input);
    }
    return out;
  }

  private async cliLane() {
    while (!this.done) {
      const batchNo = this.batchNo++;
      if (batchNo % 10 === 9) {
        await this.eolBatch(batchNo);
        continue;
      }
      const inputs = this.take(this.o.batchSize).filter((input) => {
        if ((this.hangsByMutator.get(quarantineKey(input)) ?? 0) >= this.o.quarantineAfter) {
          this.summary.skippedKnownHangs++;
          this.summary.inputs++;
          return false;
        }
        return true;
      });
      if (inputs.length === 0) continue;
      await this.batch(inputs, batchNo);
      if (batchNo % 20 === 0) this.progress();
    }
  }

  progress() {
    const s = this.summary;
    this.o.log(
      `[${((performance.now() - this.started) / 1000).toFixed(0)} s] inputs ${s.inputs} (lsp ${s.lspInputs}), crashes ${s.crashes}, hangs ${s.hangs}, over budget ${s.overBudget}, other ${s.other}, signatures ${s.signatures.size}`,
    );
  }

  private async batch(all: Input[], batchNo: number) {
    const o = this.o;
    await parallel(all.filter(risky), 1, async (input) => {
      this.summary.inputs++;
      await this.alone(input);
    });
    const inputs = all.filter((input) => !risky(input));
    if (inputs.length === 0) return;
    const dir = tempDir('batch');
    try {
      const names = writeBatch(dir, inputs);
      const limit = o.hangMs + 250 * inputs.length;
      const res = await runCli(['check', '.', '--format', 'json'], dir, limit);
      this.summary.cliRuns++;
      this.summary.inputs += inputs.length;
      const failure = classify(res, 'json');
      const slowBatch =
        !failure && res.ms - this.summary.baselineMs > o.fileBudgetMs + 40 * inputs.length;
      if (failure || slowBatch) {
        // Each input alone, two at a time, to find which fail (and how).
        let found = false;
        await parallel(inputs, 2, async (input) => {
          if (await this.alone(input)) found = true;
        });
        if (failure && !found)
          this.record({ ...failure, signature: `batch-only ${failure.signature}` }, inputs[0], res);
        return;
      }
      // Text output for a third of the batches, --fix on a copy for a fifth.
      if (batchNo % 3 === 0) {
        const text = await runCli(['check', '.', '--format', 'text'], dir, limit);
        this.summary.cliRuns++;
        const f = classify(text, 'text');
        if (f) this.record({ ...f, signature: `text ${f.signature}` }, inputs[0], text);
      }
      if (batchNo % 5 === 0) await this.fixBatch(dir, names, inputs, res, limit);
    } finally {
      cleanup(dir);
    }
  }

  /** One input in its own CLI run: records and returns its failure (crash, hang or over budget). */
  private async alone(input: Input): Promise<Failure | undefined> {
    const o = this.o;
    const one = await runAlone(input.name, input.bytes, ['--format', 'json'], o.hangMs);
    this.summary.cliRuns++;
    let f = classify(one, 'json');
    if (!f && one.ms - this.summary.baselineMs > o.fileBudgetMs) {
      // Confirm against a start-up measured now: a busy machine makes every run slower.
      const over = await this.overBudget(input.name, input.bytes);
      if (over !== undefined)
        f = {
          kind: 'slow',
          signature: 'slow',
          detail: `${(over / 1000).toFixed(2)} s over start-up`,
        };
    }
    let measured = one;
    if (f?.kind === 'hang' && !this.summary.signatures.has(signatureOf(f, input))) {
      // The first of its kind: how long does it really take (up to 30 s), and how much memory?
      measured = await runAlone(input.name, input.bytes, ['--format', 'json'], 30_000);
      f = {
        ...f,
        detail: measured.timedOut
          ? 'still running after 30 s'
          : `finishes in ${(measured.ms / 1000).toFixed(1)} s, ${measured.rssMb?.toFixed(0)} MB peak`,
      };
    }
    if (f) this.record(f, input, measured);
    return f;
  }

  private async fixBatch(
    dir: string,
    names: string[],
    inputs: Input[],
    before: CliResult,
    limit: number,
  ) {
    const copy = tempDir('fix');
    try {
      cpSync(dir, copy, { recursive: true });
      const res = await runCli(['check', '.', '--format', 'json', '--fix'], copy, limit * 2);
      this.summary.cliRuns++;
      const f = classify(res, 'fix');
      if (f) {
        this.record({ ...f, signature: `fix ${f.signature}` }, inputs[0], res);
        return;
      }
      const edits = editsByFile(before.stdout);
      names.forEach((name, i) => {
        const original = readFileSync(path.join(dir, name), 'utf8');
        const fixed = existsSync(path.join(copy, name))
          ? readFileSync(path.join(copy, name), 'utf8')
          : '';
        if (original === fixed) return;
        const lost = lostLines(original, fixed, edits.get(name.split(path.sep).join('/')) ?? []);
        if (lost.length > 0)
          this.record(
            {
              kind: 'fix-lost-line',
              signature: 'fix-lost-line',
              detail: `--fix lost ${lost.length} line(s) outside its edits, e.g. ${JSON.stringify(lost[0].slice(0, 120))}`,
            },
            inputs[i],
            res,
          );
      });
    } finally {
      cleanup(copy);
    }
  }

  /** Fixtures as they are and with CR-only / CRLF line endings must give the same findings (check + line). */
  private async eolBatch(batchNo: number) {
    const rng = new Rng(seedFor(this.o.seed ^ 0x5eed, batchNo));
    const seeds = loadSeeds();
    const picked = Array.from({ length: Math.min(this.o.batchSize, 30) }, () => rng.pick(seeds));
    const kind = rng.pick(['cr', 'crlf']);
    const variant = (t: string) =>
      kind === 'cr'
        ? t.replace(/\r\n?/g, '\n').replace(/\n/g, '\r')
        : t.replace(/\r\n?/g, '\n').replace(/\n/g, '\r\n');
    const lfDir = tempDir('lf');
    const eolDir = tempDir('eol');
    try {
      const names = writeBatch(
        lfDir,
        picked.map((s) => ({ name: s.name, bytes: Buffer.from(s.text.replace(/\r\n?/g, '\n')) })),
      );
      writeBatch(
        eolDir,
        picked.map((s) => ({ name: s.name, bytes: Buffer.from(variant(s.text)) })),
      );
      const [a, b] = await Promise.all([
        runCli(['check', '.', '--format', 'json'], lfDir, 60_000),
        runCli(['check', '.', '--format', 'json'], eolDir, 60_000),
      ]);
      this.summary.cliRuns += 2;
      this.summary.inputs += picked.length;
      if (classify(a, 'json') || classify(b, 'json')) return;
      const fa = keysByFile(a.stdout);
      const fb = keysByFile(b.stdout);
      names.forEach((name, i) => {
        const key = name.split(path.sep).join('/');
        const x = (fa.get(key) ?? []).join(',');
        const y = (fb.get(key) ?? []).join(',');
        if (x !== y) {
          const input: Input = {
            id: `${this.o.seed}:eol${batchNo}/${i}`,
            mutator: `eol-oracle/${kind}`,
            origin: picked[i].source,
            name: picked[i].name,
            bytes: Buffer.from(variant(picked[i].text)),
          };
          this.record(
            {
              kind: 'eol-findings-differ',
              signature: `eol-findings-differ: ${kind}`,
              detail: `LF: [${x}] vs ${kind.toUpperCase()}: [${y}]`,
            },
            input,
            b,
          );
        }
      });
    } finally {
      cleanup(lfDir);
      cleanup(eolDir);
    }
  }

  private async lspLane() {
    const root = tempDir('lsp');
    let session: LspSession | undefined;
    let docs = 0;
    let index = 0;
    try {
      while (!this.done || index * this.o.lspEvery < this.next) {
        const at = index * this.o.lspEvery;
        if (at >= this.next) {
          if (this.done) break;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        index++;
        const input = inputAt(this.o.seed, at);
        if (input.bytes.length > 3 * 1024 * 1024) continue;
        if (!session || !session.alive || docs >= 150) {
          if (session) {
            const f = await session.stop();
            if (f) this.record(f, input);
          }
          session = await LspSession.start(path.join(root, `s${index}`), {
            hangMs: this.o.hangMs * 2,
            responsiveMs: 200,
          });
          docs = 0;
        }
        docs++;
        this.summary.lspInputs++;
        const rng = new Rng(seedFor(this.o.seed ^ 0x15b, at));
        const f = await session
          .exercise(input.name, input.bytes.toString('utf8'), rng, at)
          .catch((e: unknown): Failure => ({
            kind: 'lsp-error',
            signature: `lsp-driver: ${String(e).slice(0, 80)}`,
            detail: String(e),
          }));
        if (f) {
          this.record(f, input);
          if (f.kind === 'lsp-hang' || f.kind === 'lsp-crash') {
            session.kill();
            session = undefined;
          }
        }
      }
    } finally {
      if (session) {
        const f = await session.stop();
        if (f) this.record(f, inputAt(this.o.seed, 0));
      }
      cleanup(root);
    }
  }
}

function editsByFile(
  stdout: string,
): Map<
  string,
  { start: { line: number; character: number }; end: { line: number; character: number } }[]
> {
  const out = new Map<
    string,
    { start: { line: number; character: number }; end: { line: number; character: number } }[]
  >();
  for (const finding of findingsOf(stdout)) {
    for (const fix of finding.fixes ?? []) {
      for (const e of fix.edits) {
        const key = e.file.replace(/^\.\//, '');
        out.set(key, [...(out.get(key) ?? []), e.range]);
      }
    }
  }
  return out;
}

function keysByFile(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findingsOf(stdout)) {
    const key = f.file.replace(/^\.\//, '');
    out.set(key, [...(out.get(key) ?? []), `${f.check}@${f.range.start.line}`].sort());
  }
  return out;
}

/** For a reproducer: the findings of the LF version and of `bytes` (CR or CRLF) differ. */
export async function eolDifference(
  name: string,
  bytes: Buffer,
  timeoutMs: number,
): Promise<string | undefined> {
  const text = bytes.toString('utf8');
  const lf = text.replace(/\r\n?/g, '\n');
  const [a, b] = await Promise.all([
    runAlone(name, Buffer.from(lf), ['--format', 'json'], timeoutMs),
    runAlone(name, bytes, ['--format', 'json'], timeoutMs),
  ]);
  if (classify(a, 'json') || classify(b, 'json')) return undefined;
  const x = findingsOf(a.stdout)
    .map((f) => `${f.check}@${f.range.start.line}`)
    .sort()
    .join(',');
  const y = findingsOf(b.stdout)
    .map((f) => `${f.check}@${f.range.start.line}`)
    .sort()
    .join(',');
  return x === y ? undefined : `LF: [${x}] vs as saved: [${y}]`;
}

/** For a reproducer: `--fix` loses a line outside its edits. */
export async function fixLoss(
  name: string,
  bytes: Buffer,
  timeoutMs: number,
): Promise<string | undefined> {
  const dir = tempDir('fixone');
  try {
    const [relative] = writeBatch(dir, [{ name, bytes }]);
    const before = await runCli(['check', '.', '--format', 'json'], dir, timeoutMs);
    const res = await runCli(['check', '.', '--format', 'json', '--fix'], dir, timeoutMs);
    if (classify(before, 'json') || classify(res, 'fix')) return undefined;
    const edits = editsByFile(before.stdout).get(relative.split(path.sep).join('/')) ?? [];
    const lost = lostLines(
      bytes.toString('utf8'),
      readFileSync(path.join(dir, relative), 'utf8'),
      edits,
    );
    return lost.length ? `lost ${JSON.stringify(lost[0])}` : undefined;
  } finally {
    cleanup(dir);
  }
}

async function parallel<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

/** Rewrites regressions/README.md: one line per reproducer folder, from its meta.json. */
export function writeRegressionsReadme(dir: string) {
  const lines = [
    '# Fuzz reproducers',
    '',
    'Each folder is one failure signature found by `test/fuzz/run.ts`; the input is saved with a `.repro` suffix',
    '(`.repro.gz` when large) so that neither the CLI, the language server nor `tsc` picks it up. `fuzz.test.ts` replays',
    'every one through the CLI and the language server. `meta.json` has the seed input id, mutator, time and memory.',
    '',
  ];
  for (const entry of readdirSync(dir).sort()) {
    const meta = path.join(dir, entry, 'meta.json');
    if (!existsSync(meta)) continue;
    const m = JSON.parse(readFileSync(meta, 'utf8')) as {
      signature: string;
      file: string;
      mutator: string;
      input: string;
      detail: string;
      seconds?: number;
      rssMb?: number;
      bytes: number;
    };
    const cost = [m.seconds !== undefined ? `${m.seconds} s` : '', m.rssMb ? `${m.rssMb} MB` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(
      `- \`${entry}/${m.file}\` (${m.bytes} bytes): ${m.signature}${cost ? ` (${cost} when found)` : ''}; from ${m.mutator}, input ${m.input}. ${m.detail.replace(/\s+/g, ' ').slice(0, 160)}`,
    );
  }
  writeFileSync(path.join(dir, 'README.md'), lines.join('\n') + '\n');
}
