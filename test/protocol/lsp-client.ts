import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hangGuardMs } from '../support/hang-guard';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  type CancellationToken,
  type CodeAction,
  type Command,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';

/** A code action (not a bare command) in a codeAction answer. */
export const isAction = (a: unknown): a is CodeAction =>
  typeof a === 'object' && a !== null && 'kind' in a;
/** A code action's versioned document edits. */
export const editsOf = (action: CodeAction) => action.edit!.documentChanges as TextDocumentEdit[];

/** The bundled server, as the extension runs it. */
export const serverBundle = path.resolve(__dirname, '../../dist/server.js');

export const fixturesDir = path.resolve(__dirname, '../fixtures/protocol');
export const fixtureUri = (relative: string): string =>
  pathToFileURL(path.join(fixturesDir, relative)).href;

/**
 * A hang guard for each awaited answer, scaled by the load at the time of the wait (the server
 * shares the machine with the tests, and a long fuzz run sees the load change).
 */
function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeoutMs = hangGuardMs(20_000);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ClientOptions {
  /** What the client answers to `workspace/configuration` for `corsLens` (undefined: no capability). */
  settings?: Record<string, unknown>;
  /** The workspace folder the server indexes (default: the protocol fixtures). */
  root?: string;
  /** `initializationOptions` sent with `initialize` (e.g. `{ workspaceTrusted: false }`). */
  initializationOptions?: Record<string, unknown>;
  /** Arguments after `--stdio` (e.g. `--preload=python`, as the extension passes them). */
  serverArgs?: string[];
  /** Another build of the server to run (a bench comparing two builds); default `serverBundle`. */
  bundle?: string;
}

/**
 * A real LSP client over the bundled server's stdio: it answers configuration requests, records
 * every `publishDiagnostics` and log message, and waits for diagnostics of a given version.
 */
export class LspTestClient {
  readonly logs: string[] = [];
  readonly stderr: string[] = [];
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: {
    match: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  private exited: Promise<number | null>;
  settings: Record<string, unknown> | undefined;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    options: ClientOptions,
  ) {
    this.settings = options.settings;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    connection.onNotification(LogMessageNotification.type, (params) =>
      this.logs.push(params.message),
    );
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map(() => this.settings ?? null),
    );
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.listen();
  }

  /**
   * Spawns `node dist/server.js --stdio` and runs `initialize`/`initialized`. Node flags for the
   * server (e.g. `--cpu-prof` when profiling the bench) come from CORS_LENS_SERVER_NODE_ARGS.
   */
  static async start(
    options: ClientOptions = {},
  ): Promise<{ client: LspTestClient; init: InitializeResult }> {
    const nodeArgs = process.env.CORS_LENS_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(
      process.execPath,
      [...nodeArgs, options.bundle ?? serverBundle, '--stdio', ...(options.serverArgs ?? [])],
      {
        stdio: 'pipe',
      },
    );
    const connection = createProtocolConnection(child.stdout, child.stdin);
    const client = new LspTestClient(child, connection, options);
    const pull = options.settings !== undefined;
    const init = await withTimeout(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        initializationOptions: options.initializationOptions,
        rootUri: pathToFileURL(options.root ?? fixturesDir).href,
        workspaceFolders: [
          {
            uri: pathToFileURL(options.root ?? fixturesDir).href,
            name: path.basename(options.root ?? fixturesDir),
          },
        ],
        capabilities: {
          workspace: { configuration: pull, didChangeConfiguration: { dynamicRegistration: pull } },
          textDocument: {
            publishDiagnostics: {
              versionSupport: true,
              dataSupport: true,
              codeDescriptionSupport: true,
            },
            codeAction: {
              dataSupport: true,
              isPreferredSupport: true,
              codeActionLiteralSupport: {
                codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] },
              },
            },
            hover: { contentFormat: ['markdown', 'plaintext'] },
          },
        },
      }),
      'initialize',
    );
    await connection.sendNotification(InitializedNotification.type, {});
    return { client, init };
  }

  /** The first diagnostics for `uri` at `version` or later (already received or still to come). */
  diagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    const match = (p: PublishDiagnosticsParams) => p.uri === uri && (p.version ?? -1) >= version;
    const seen = this.published.find(match);
    if (seen) return Promise.resolve(seen);
    return withTimeout(
      new Promise((resolve) => this.waiters.push({ match, resolve })),
      `diagnostics of ${uri} v${version}`,
    );
  }

  /**
   * The next diagnostics for `uri` published from now on that satisfy `accept` (for publishes
   * without a new version: settings changes, edits to an imported file).
   */
  nextDiagnostics(
    uri: string,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
  ): Promise<PublishDiagnosticsParams> {
    const after = this.published.length;
    return withTimeout(
      new Promise((resolve) =>
        this.waiters.push({
          match: (p) => p.uri === uri && this.published.indexOf(p) >= after && accept(p),
          resolve,
        }),
      ),
      `new diagnostics of ${uri}`,
    );
  }

  /** How many times diagnostics were published for `uri` so far. */
  publishCount(uri: string): number {
    return this.published.filter((p) => p.uri === uri).length;
  }

  open(uri: string, text: string, version = 1, languageId = 'python'): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
  }

  /** Replaces the whole text (full-document sync). */
  change(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
  }

  codeActions(
    uri: string,
    range: Range,
    diagnostics: Diagnostic[],
    only?: string[],
  ): Promise<(Command | CodeAction)[] | null> {
    return withTimeout(
      this.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range,
        context: { diagnostics, only },
      }),
      'code actions',
    );
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return withTimeout(
      this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }),
      'hover',
    );
  }

  /** Sends a notification the protocol types do not name (CORS Lens's own). */
  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** Sends a request; `token` cancels it (`$/cancelRequest`). */
  request<R>(method: string, params: unknown, token?: CancellationToken): Promise<R> {
    return withTimeout(this.connection.sendRequest<R>(method, params, token), method);
  }

  changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { corsLens: settings },
    });
  }

  /** `shutdown` then `exit`; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    const code = await withTimeout(this.exited, 'the server to exit');
    this.connection.dispose();
    return code;
  }

  /** Kills the server if a test failed before `stop`. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
    this.connection.dispose();
    // The pipes too: an open one kept a test file's process alive after its last test (a CI run
    // waited on cross-file.test.ts for minutes with the server already gone).
    this.child.stdin.destroy();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
  }
}

/** Applies LSP text edits to a text (positions in UTF-16 units), last first. */
export function applyTextEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: Position) => starts[p.line] + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}
