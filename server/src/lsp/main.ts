import { parentPort, workerData } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { analysisWorkerRole } from './analysis-messages';
import { runAnalysisWorker } from './analysis-worker';
import { startServer } from './server';
import { stdioConnection } from './stdio-connection';

/**
 * The language server's entry (bundled to dist/server.js). vscode-languageclient passes the
 * transport (`--node-ipc`, `--stdio`, `--socket=N`, `--pipe=NAME`); without one, stdio. The same
 * bundle, started as a worker thread in the analysis role, is the analysis worker.
 */
function startLanguageServer(): void {
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

  startServer(connection, __filename);
  connection.listen();
}

if (parentPort && (workerData as { role?: string } | undefined)?.role === analysisWorkerRole)
  runAnalysisWorker(parentPort);
else startLanguageServer();
