import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeTextDocumentNotification,
  HoverRequest,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient } from '../protocol/lsp-client';
import { errorSignature, type Failure } from './cli-driver';
import { Rng, seedFor } from './prng';

const languageIds: [RegExp, string][] = [
  [/\.py$/, 'python'],
  [/\.(ts|mts|cts)$/, 'typescript'],
  [/\.tsx$/, 'typescriptreact'],
  [/\.(js|mjs|cjs|jsx)$/, 'javascript'],
  [/\.(rb|ru)$/, 'ruby'],
  [/\.php$/, 'php'],
];
export const languageIdOf = (name: string) =>
  languageIds.find(([re]) => re.test(name))?.[1] ?? 'nginx';

/** A clean document the server must keep answering hovers for while bad ones are open. */
const cleanText =
  'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n';

const edits = [
  '',
  '*',
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  '"',
  "'",
  '\n',
  '\r\n',
  '\r',
  'CORS_ALLOW_ALL_ORIGINS = True\n',
  "origins '*'\n",
  'add_header Access-Control-Allow-Origin *;\n',
  "origin: '*',",
  '\u{1F600}',
  'x'.repeat(500),
];

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> => {
  let t: NodeJS.Timeout;
  // A request that lost the race is rejected later, when a hung server is killed and its
  // connection disposed; nobody awaits it then, and an unhandled rejection would end the fuzzer.
  p.catch(() => undefined);
  return Promise.race([
    p,
    new Promise<'timeout'>((r) => (t = setTimeout(() => r('timeout'), ms))),
  ]).finally(() => clearTimeout(t));
};

/**
 * The edits input `index` of pass `seed` gets in the language server: seeded by the input, so a
 * saved reproducer replays the very edits that failed.
 */
export const lspEditsRng = (seed: number, index: number): Rng =>
  new Rng(seedFor(seed ^ 0x15b, index));

export interface LspOptions {
  /** How long one document may take to get its diagnostics or answer a request. */
  hangMs: number;
  /** How fast the clean document's hover must answer while a bad document is open. */
  responsiveMs: number;
  /**
   * Diagnostics later than this are a failure too (default: a quarter of `hangMs`): an analysis
   * that reports over budget only after half a minute is a blow-up the hang limit would miss.
   */
  slowMs?: number;
}

/**
 * One language server process over stdio (workspace: a temp folder with the clean file), that
 * documents are opened in, edited, queried and closed one after the other.
 */
export class LspSession {
  private constructor(
    readonly client: LspTestClient,
    readonly root: string,
    private readonly cleanUri: string,
    private readonly options: LspOptions,
  ) {}
  private logsSeen = 0;

  static async start(root: string, options: LspOptions): Promise<LspSession> {
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'settings.py'), cleanText);
    const { client } = await LspTestClient.start({
      root,
      settings: { allowedOrigins: ['https://app.example.com'] },
    });
    const cleanUri = pathToFileURL(path.join(root, 'settings.py')).href;
    await client.open(cleanUri, cleanText, 1, 'python');
    const published = await withTimeout(client.diagnostics(cleanUri, 1), options.hangMs);
    if (published === 'timeout') {
      client.child.kill('SIGKILL');
      throw new Error(`a fresh server published no diagnostics within ${options.hangMs} ms`);
    }
    const session = new LspSession(client, root, cleanUri, options);
    session.logsSeen = client.logs.length;
    return session;
  }

  get alive(): boolean {
    return this.client.child.exitCode === null && this.client.child.signalCode === null;
  }

  private deathFailure(): Failure {
    const stderr = this.client.stderr.join('');
    return {
      kind: 'lsp-crash',
      signature: `lsp-crash: ${errorSignature(stderr)}`,
      detail: `server exited ${this.client.child.exitCode ?? this.client.child.signalCode}: ${stderr.slice(0, 600)}`,
    };
  }

  /**
   * Opens `text` as `name`, applies a few random incremental edits, asks for diagnostics, code
   * actions, hovers, the policy and a preview, then checks the clean document still answers
   * a hover within `responsiveMs`, and closes it. Returns the first failure seen.
   */
  async exercise(
    name: string,
    text: string,
    rng: Rng,
    index: number,
  ): Promise<Failure | undefined> {
    const { client, options } = this;
    const ext = path.extname(name);
    const uri = pathToFileURL(path.join(this.root, `doc${index}`, name)).href;
    let doc = TextDocument.create(uri, languageIdOf(name), 1, text);
    await client.open(uri, text, 1, languageIdOf(name));
    const hang = (what: string): Failure => {
      // No answer: an analysis that threw (logged, then nothing published) is an error, not a hang.
      const logged = client.logs.slice(this.logsSeen).find((l) => /failed/.test(l));
      this.logsSeen = client.logs.length;
      if (logged)
        return {
          kind: 'lsp-error',
          signature: `lsp-error: no ${what}, ${errorSignature(logged)} ${ext}`,
          detail: logged.slice(0, 600),
        };
      return {
        kind: 'lsp-hang',
        signature: `lsp-hang: ${what} ${ext}`,
        detail: `no ${what} within ${options.hangMs} ms`,
      };
    };

    const slowMs = options.slowMs ?? options.hangMs / 4;
    const late = (what: string, ms: number): Failure | undefined =>
      ms > slowMs
        ? {
            kind: 'lsp-slow',
            signature: `lsp-slow: ${what} ${ext}`,
            detail: `${what} after ${(ms / 1000).toFixed(1)} s (over ${slowMs / 1000} s)`,
          }
        : undefined;
    let asked = performance.now();
    const first = await withTimeout(
      client.diagnostics(uri, 1).catch(() => 'timeout' as const),
      options.hangMs,
    );
    if (!this.alive) return this.deathFailure();
    if (first === 'timeout') return hang('diagnostics');
    const firstLate = late('diagnostics', performance.now() - asked);
    if (firstLate) return firstLate;

    const changes = rng.int(0, 4);
    for (let i = 0; i < changes; i++) {
      const len = doc.getText().length;
      const a = rng.int(0, len);
      const b = Math.min(len, a + (rng.chance(0.5) ? 0 : rng.int(0, 50)));
      const range: Range = { start: doc.positionAt(a), end: doc.positionAt(b) };
      const newText = rng.pick(edits);
      doc = TextDocument.update(doc, [{ range, text: newText }], doc.version + 1);
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: doc.version },
        contentChanges: [{ range, text: newText }],
      });
    }
    asked = performance.now();
    const published = await withTimeout(
      client.diagnostics(uri, doc.version).catch(() => 'timeout' as const),
      options.hangMs,
    );
    if (!this.alive) return this.deathFailure();
    if (published === 'timeout') return hang('diagnostics after edits');
    const editsLate = late('diagnostics after edits', performance.now() - asked);
    if (editsLate) return editsLate;

    const diagnostics: Diagnostic[] = published.diagnostics;
    const whole: Range = {
      start: { line: 0, character: 0 },
      end: doc.positionAt(doc.getText().length),
    };
    const requests: [string, Promise<unknown>][] = [
      [
        'codeAction',
        client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: whole,
          context: { diagnostics },
        }),
      ],
      [
        'codeAction fixAll',
        client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: whole,
          context: { diagnostics, only: ['source.fixAll'] },
        }),
      ],
      ['policy', client.connection.sendRequest('corsLens/policy', { uri })],
      [
        'preview',
        client.connection.sendRequest('corsLens/preview', {
          uri,
          origin: 'https://evil.example',
          path: '/api/x',
          method: 'PUT',
          headers: ['x-session-token'],
          credentials: true,
        }),
      ],
    ];
    for (const d of diagnostics.slice(0, 3)) {
      requests.push([
        'codeAction diagnostic',
        client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: d.range,
          context: { diagnostics: [d] },
        }),
      ]);
      requests.push([
        'hover diagnostic',
        client.connection.sendRequest(HoverRequest.type, {
          textDocument: { uri },
          position: d.range.start,
        }),
      ]);
    }
    for (let i = 0; i < 2; i++)
      requests.push([
        'hover',
        client.connection.sendRequest(HoverRequest.type, {
          textDocument: { uri },
          position: doc.positionAt(rng.int(0, doc.getText().length)),
        }),
      ]);
    // Every answer is handled as it comes: a request that fails while an earlier one is awaited
    // must not be an unhandled rejection.
    const answers = requests.map(([what, p]) => [what, this.answer(p)] as const);
    for (const [what, p] of answers) {
      const r = await withTimeout(p, options.hangMs);
      if (!this.alive) return this.deathFailure();
      if (r === 'timeout') return hang(what);
      if (r !== 'ok' && r !== 'dead')
        return {
          kind: 'lsp-error',
          signature: `lsp-error: ${what} ${errorSignature(r)} ${ext}`,
          detail: r,
        };
    }

    // The server answers another document promptly while this one is open (best of two tries).
    let best = Infinity;
    for (let attempt = 0; attempt < 2 && best > options.responsiveMs; attempt++) {
      const started = performance.now();
      const r = await withTimeout(
        client.hover(this.cleanUri, { line: 2, character: 3 }).catch(() => 'timeout' as const),
        options.hangMs,
      );
      if (r === 'timeout') return hang('hover on a clean document');
      best = Math.min(best, performance.now() - started);
    }
    const logged = client.logs.slice(this.logsSeen).filter((l) => /failed/.test(l));
    this.logsSeen = client.logs.length;
    await client.close(uri);
    if (!this.alive) return this.deathFailure();
    if (best > options.responsiveMs)
      return {
        kind: 'lsp-unresponsive',
        signature: `lsp-unresponsive ${ext}`,
        detail: `clean hover took ${best.toFixed(0)} ms`,
      };
    if (logged.length > 0)
      return {
        kind: 'lsp-error',
        signature: `lsp-error: ${errorSignature(logged[0])} ${ext}`,
        detail: logged[0].slice(0, 600),
      };
    return undefined;
  }

  /**
   * A request's outcome: a ResponseError the server chose (no policy in this file...) is an
   * answer; an internal error (-32603: the handler threw) is not.
   */
  private answer(p: Promise<unknown>): Promise<string> {
    return p.then(
      () => 'ok',
      (e: unknown) =>
        !this.alive
          ? 'dead'
          : (e as { code?: number }).code !== -32603
            ? 'ok'
            : `error ${String((e as Error).message ?? e).slice(0, 200)}`,
    );
  }

  /** shutdown + exit: the process must end within `ms`. */
  async stop(ms = 5000): Promise<Failure | undefined> {
    if (!this.alive) return undefined;
    const started = performance.now();
    const r = await withTimeout(
      this.client.stop().catch(() => 'timeout' as const),
      ms,
    );
    if (r === 'timeout' || this.alive) {
      this.client.kill();
      return {
        kind: 'lsp-shutdown',
        signature: 'lsp-shutdown: process did not exit',
        detail: `still running ${(performance.now() - started).toFixed(0)} ms after shutdown/exit`,
      };
    }
    return undefined;
  }

  kill(): void {
    this.client.kill();
  }
}
