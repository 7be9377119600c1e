import type { Worker } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { stdioConnection } from './stdio-connection';

/**
 * The LSP thread: vscode-languageclient passes the transport (`--node-ipc`, `--stdio`,
 * `--socket=N`, `--pipe=NAME`); without one, stdio. `worker` is the analysis worker the entry
 * started from `script` (this bundle).
 */
export function startLanguageServer(script: string, worker: Worker): void {
  const transports = ['--node-ipc', '--socket', '--pipe'];
  const otherTransport = process.argv.some((arg) =>
    transports.some((t) => arg === t || arg.startsWith(`${t}=`)),
  );
  // Over stdio, diagnostics the worker encoded are written as they are (stdio-connection.ts).
  const connection = otherTransport ? createConnection(ProposedFeatures.all) : stdioConnection();

  // A stray rejection must be logged, not crash the server (Node exits on unhandled rejections).
  process.on('unhandledRejection', (reason) =>
    connection.console.error(`CORS Lens: unhandled rejection: ${String(reason)}`),
  );

  startServer(connection, script, worker);
  connection.listen();
}
