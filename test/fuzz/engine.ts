import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { gzip, writeBytes } from './bytes';
import { loadSeeds } from './corpus';
import {
  analysisFailure,
  classify,
  classifyProcess,
  cleanup,
  fileVerdicts,
  reportsOverBudget,
  findingsOf,
  lostLines,
  runCli,
  slug,
  tempDir,
  writeBatch,
  type CliResult,
  type Failure,
} from './cli-driver';
import { LspSession, lspEditsRng } from './lsp-driver';
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
  /** A whole file's wall-clock limit (hang): a backstop only, far over the CPU budget. */
  hangMs: number;
  /**
   * A file's CPU-time budget (ms), over the CLI's start-up CPU time, and the CLI's `--budget-ms`:
   * a file must be answered within it or reported over budget (`analysis-over-budget`).
   */
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
  /** Files the tool itself reported over budget (`analysis-over-budget`): allowed, counted. */
  overBudget: number;
  /** Files over the CPU budget and not reported so (a failure). */
  slow: number;
  /** Language-server documents whose clean-document hover took over `responsiveMs` wall clock. */
  unresponsive: number;
  /** Huge inputs byte for byte the same as one run before (the CLI is deterministic): not re-run. */
  repeats: number;
  /** Batches split in two to find which files crashed, hung or went over budget. */
  splits: number;
  other: number;
  /** CPU time of every CLI run (user + system). */
  cliCpuMs: number;
  signatures: Map<string, SignatureStats>;
  elapsedMs: number;
  baselineMs: number;
  /** The CLI's start-up CPU time on a trivial file. */
  baselineCpuMs: number;
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
 * Huge files (MBs; up to a second of CPU each) run one per CLI run: a batch of them is always over
 * a file's budget in total, so it would be split down to single files anyway.
 */
const huge = (input: Input) => input.mutator.startsWith('huge/');
const sha1 = (bytes: Buffer) =>
  createHash('sha1').update(bytes.toString('latin1'), 'latin1').digest('hex');

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
  /** sha1 of every huge input run so far. */
  private readonly seenHuge = new Set<string>();

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
      slow: 0,
      unresponsive: 0,
      repeats: 0,
      splits: 0,
      other: 0,
      cliCpuMs: 0,
      signatures: new Map(),
      elapsedMs: 0,
      baselineMs: 0,
      baselineCpuMs: 0,
    };
  }

  private get done() {
    return this.next >= this.o.count || performance.now() > this.deadline;
  }

  /** The CLI's own start-up time and CPU time on a trivial file (medians of 3). */
  private async baseline() {
    const runs: CliResult[] = [];
    for (let i = 0; i < 3; i++)
      runs.push(
        await runAlone('settings.py', Buffer.from('X = 1\n'), ['--format', 'json'], 30_000),
      );
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
    this.summary.baselineMs = median(runs.map((r) => r.ms));
    this.summary.baselineCpuMs = median(runs.map((r) => r.cpuMs ?? 0));
  }

  /** A CLI run in the fuzz pass (counted, its CPU time summed). */
  private async cli(args: string[], cwd: string, timeoutMs: number): Promise<CliResult> {
    const res = await runCli(args, cwd, timeoutMs);
    this.summary.cliRuns++;
    this.summary.cliCpuMs += res.cpuMs ?? 0;
    return res;
  }

  /** CPU time of a run over the CLI's start-up (undefined when it was killed). */
  private cpuOver(res: CliResult): number | undefined {
    return res.cpuMs === undefined ? undefined : res.cpuMs - this.summary.baselineCpuMs;
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
    else if (f.kind === 'slow' || f.kind === 'lsp-slow') s.slow++;
    else if (f.kind === 'lsp-unresponsive') s.unresponsive++;
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

  /**
   * A file's CPU time over the CLI's start-up when it is over its budget and not reported so,
   * twice in a row (else undefined).
   */
  private async overBudget(name: string, bytes: Buffer): Promise<number | undefined> {
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      const r = await runAlone(name, bytes, this.jsonArgs(), this.o.hangMs);
      this.summary.cliRuns++;
      const over = this.cpuOver(r);
      if (classify(r, 'json') || over === undefined || reportsOverBudget(r)) return undefined;
      best = Math.min(best, over);
      if (best <= this.o.fileBudgetMs) return undefined;
    }
    return best;
  }

  private jsonArgs(): string[] {
    return ['--format', 'json', '--budget-ms', String(this.o.fileBudgetMs)];
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
    const res = await runAlone(name, bytes, this.jsonArgs(), hangMs);
    const g = classify(res, 'json');
    if (f.kind === 'slow') return !g && (await this.overBudget(name, bytes)) !== undefined;
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
      if (batchNo % 25 === 24) {
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
      if (batchNo % 10 === 0) this.progress();
    }
  }

  progress() {
    const s = this.summary;
    this.o.log(
      `[${((performance.now() - this.started) / 1000).toFixed(0)} s] inputs ${s.inputs} (lsp ${s.lspInputs}, repeats ${s.repeats}), ` +
        `crashes ${s.crashes}, hangs ${s.hangs}, over budget ${s.overBudget} reported / ${s.slow} not, ` +
        `unresponsive ${s.unresponsive}, other ${s.other}, signatures ${s.signatures.size}, splits ${s.splits}, ` +
        `CLI CPU ${(s.cliCpuMs / 1000).toFixed(0)} s`,
    );
  }

  private async batch(all: Input[], batchNo: number) {
    for (const input of all.filter(huge)) {
      this.summary.inputs++;
      const key = sha1(input.bytes);
      if (this.seenHuge.has(key)) {
        this.summary.repeats++;
        continue;
      }
      this.seenHuge.add(key);
      await this.alone(input);
    }
    const inputs = all.filter((input) => !huge(input));
    if (inputs.length === 0) return;
    this.summary.inputs += inputs.length;
    const dir = tempDir('batch');
    try {
      const names = writeBatch(dir, inputs);
      const res = await this.cli(['check', '.', ...this.jsonArgs()], dir, this.batchLimit(inputs));
      if (!(await this.judge(inputs, res))) return;
      // The same analysis printed as text for a fifth of the batches, --fix on a copy for a tenth.
      if (batchNo % 5 === 0) {
        const text = await this.cli(
          ['check', '.', '--format', 'text', '--budget-ms', String(this.o.fileBudgetMs)],
          dir,
          this.batchLimit(inputs),
        );
        const f = classifyProcess(text, 'text');
        if (f) this.record({ ...f, signature: `text ${f.signature}` }, inputs[0], text);
      }
      if (batchNo % 10 === 0) await this.fixBatch(dir, names, inputs, res, this.batchLimit(inputs));
    } finally {
      cleanup(dir);
    }
  }

  /** The wall-clock backstop of a batch: the hang limit, and a second a file on top. */
  private batchLimit(inputs: Input[]): number {
    return this.o.hangMs + 1000 * inputs.length;
  }

  /**
   * Judges a batch run: per file, from the json (a file whose analysis threw is a crash of that
   * file; one reported over budget is counted). When the process crashed or timed out, or its CPU
   * time over start-up is over one file's budget (so some file may be over it unreported), or a
   * file says it is over budget, the batch is split in two and each half re-run, down to single
   * files: a batch within one file's budget in all proves each of its files within it.
   * Returns whether the batch was clean as a whole.
   */
  private async judge(inputs: Input[], res: CliResult): Promise<boolean> {
    const failure = classifyProcess(res, 'json');
    const verdicts = fileVerdicts(res.stdout);
    const over = this.cpuOver(res);
    const anyOver = [...verdicts.values()].some((v) => v.overBudget);
    if (!failure && over !== undefined && over <= this.o.fileBudgetMs && !anyOver) {
      inputs.forEach((input, i) => {
        const v = verdicts.get(`${String(i).padStart(4, '0')}/${input.name}`);
        if (v?.failed !== undefined) this.record(analysisFailure(v.failed), input, res);
      });
      return true;
    }
    if (inputs.length === 1) {
      await this.alone(inputs[0], res);
      return false;
    }
    this.summary.splits++;
    const halves = [inputs.slice(0, inputs.length >> 1), inputs.slice(inputs.length >> 1)];
    for (const half of halves) {
      const dir = tempDir('half');
      try {
        writeBatch(dir, half);
        await this.judge(
          half,
          await this.cli(['check', '.', ...this.jsonArgs()], dir, this.batchLimit(half)),
        );
      } finally {
        cleanup(dir);
      }
    }
    return false;
  }

  /**
   * One input in its own CLI run (or `first`, its run already made): records and returns its
   * failure (crash, hang, or over its CPU budget unreported); counts a reported over-budget file.
   */
  private async alone(input: Input, first?: CliResult): Promise<Failure | undefined> {
    const o = this.o;
    const one = first ?? (await this.runOne(input));
    let f = classify(one, 'json');
    const over = this.cpuOver(one);
    if (!f && reportsOverBudget(one)) {
      this.summary.overBudget++;
      // Reported, but only after ten budgets of CPU: the budget is not checked where it runs.
      if (over !== undefined && over > 10 * o.fileBudgetMs)
        f = {
          kind: 'slow',
          signature: 'slow: reported late',
          detail: `reported over budget only after ${(over / 1000).toFixed(2)} s of CPU over start-up`,
        };
    } else if (!f && over !== undefined && over > o.fileBudgetMs) {
      // Confirmed twice: a garbage collection or a page-in can cost a run a few hundred ms.
      const confirmed = await this.overBudget(input.name, input.bytes);
      if (confirmed !== undefined)
        f = {
          kind: 'slow',
          signature: 'slow',
          detail: `${(confirmed / 1000).toFixed(2)} s of CPU over start-up, not reported over budget`,
        };
    }
    let measured = one;
    if (f?.kind === 'hang' && !this.summary.signatures.has(signatureOf(f, input))) {
      // The first of its kind: how long does it really take (up to 4 hang limits), and how much memory?
      measured = await runAlone(input.name, input.bytes, this.jsonArgs(), o.hangMs * 4);
      f = {
        ...f,
        detail: measured.timedOut
          ? `still running after ${(o.hangMs * 4) / 1000} s`
          : `finishes in ${(measured.ms / 1000).toFixed(1)} s (${((measured.cpuMs ?? 0) / 1000).toFixed(1)} s CPU), ${measured.rssMb?.toFixed(0)} MB peak`,
      };
    }
    if (f) this.record(f, input, measured);
    return f;
  }

  private async runOne(input: Input): Promise<CliResult> {
    const dir = tempDir('one');
    try {
      writeBatch(dir, [input]);
      return await this.cli(['check', '.', ...this.jsonArgs()], dir, this.o.hangMs);
    } finally {
      cleanup(dir);
    }
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
      // One round, so the file's lines are compared with exactly the edits `before` listed (a
      // later round edits lines that only the first round's fixes made checkable).
      const res = await this.cli(
        ['check', '.', '--format', 'json', '--fix', '--fix-rounds', '1'],
        copy,
        limit * 2,
      );
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
      const a = await this.cli(['check', '.', '--format', 'json'], lfDir, this.o.hangMs * 2);
      const b = await this.cli(['check', '.', '--format', 'json'], eolDir, this.o.hangMs * 2);
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
      const seen = new Set<string>();
      // Catches up with the CLI lanes once they are done, but not past the deadline.
      while (
        performance.now() <= this.deadline &&
        (!this.done || index * this.o.lspEvery < this.next)
      ) {
        const at = index * this.o.lspEvery;
        if (at >= this.next) {
          if (this.done) break;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        index++;
        const input = inputAt(this.o.seed, at);
        if (input.bytes.length > 3 * 1024 * 1024) continue;
        if (huge(input)) {
          // A huge input the server already had, byte for byte, is not opened again.
          const key = sha1(input.bytes);
          if (seen.has(key)) continue;
          seen.add(key);
        }
        if (!session || !session.alive || docs >= 150) {
          if (session) {
            const f = await session.stop();
            if (f) this.record(f, input);
          }
          session = await LspSession.start(path.join(root, `s${index}`), {
            hangMs: this.o.hangMs * 2,
            responsiveMs: 200,
          }).catch((e: unknown) => {
            // A server that cannot start is a failure of its own; the next input tries a new one.
            this.record(
              { kind: 'lsp-hang', signature: 'lsp-hang: server start', detail: String(e) },
              input,
            );
            return undefined;
          });
          if (!session) continue;
          docs = 0;
        }
        docs++;
        this.summary.lspInputs++;
        const rng = lspEditsRng(this.o.seed, at);
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
    const file = path.join(dir, relative);
    // Round by round, as `--fix` runs them: each round's text against that round's own edits.
    for (let round = 1; round <= 10; round++) {
      const before = await runCli(['check', '.', '--format', 'json'], dir, timeoutMs);
      if (classify(before, 'json')) return undefined;
      const edits = editsByFile(before.stdout).get(relative.split(path.sep).join('/')) ?? [];
      if (!edits.length) return undefined;
      const text = readFileSync(file, 'utf8');
      const res = await runCli(
        ['check', '.', '--format', 'json', '--fix', '--fix-rounds', '1'],
        dir,
        timeoutMs,
      );
      if (classify(res, 'fix')) return undefined;
      const lost = lostLines(text, readFileSync(file, 'utf8'), edits);
      if (lost.length) return `lost ${JSON.stringify(lost[0])} in round ${round}`;
    }
    return undefined;
  } finally {
    cleanup(dir);
  }
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
