import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startupTimingsRequest } from './protocol';
import { startServer } from './server';
import { preloadGrammars } from './startup';

// First, so the grammars load while the client and the server shake hands.
const startup = preloadGrammars(process.argv);

/**
 * The language server's entry (bundled to dist/server.js). vscode-languageclient passes the
 * transport (`--node-ipc`, `--stdio`, `--socket=N`, `--pipe=NAME`); without one, stdio.
 */
const transports = ['--stdio', '--node-ipc', '--socket', '--pipe'];
const hasTransport = process.argv.some((arg) =>
  transports.some((t) => arg === t || arg.startsWith(`${t}=`)),
);
const connection = hasTransport
  ? createConnection(ProposedFeatures.all)
  : createConnection(ProposedFeatures.all, process.stdin, process.stdout);

// A stray rejection must be logged, not crash the server (Node exits on unhandled rejections).
process.on('unhandledRejection', (reason) =>
  connection.console.error(`CORS Lens: unhandled rejection: ${String(reason)}`),
);

startServer(connection);
connection.onRequest(startupTimingsRequest, () => startup);
connection.listen();
