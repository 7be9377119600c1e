import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import table from '../../server/src/parsing/languages.json';
import type { InitializationOptions } from '../../server/src/lsp/probe-protocol';

/** Languages whose files may configure CORS (server/src/parsing/languages.json). */
const languages = table.flatMap((language) => language.vscode);

/** The language client for the bundled server (dist/server.js), over Node IPC. */
export function createLanguageClient(
  context: vscode.ExtensionContext,
  outputChannel: vscode.OutputChannel,
): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  // The grammars of the files open now (the one that activated us) load during the handshake.
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.languageId));
  const preload = table.filter((l) => l.vscode.some((id) => open.has(id))).map((l) => l.id);
  const args = preload.length ? [`--preload=${preload.join(',')}`] : [];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, args },
    debug: {
      module,
      transport: TransportKind.ipc,
      args,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  // The server refuses to send HTTP (the probe) while the workspace is untrusted.
  const initializationOptions: InitializationOptions = {
    workspaceTrusted: vscode.workspace.isTrusted,
  };
  const clientOptions: LanguageClientOptions = {
    initializationOptions,
    outputChannel,
    documentSelector: languages.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: {
      configurationSection: 'corsLens',
      // Imported settings files change on disk (git checkout): the server re-analyses importers.
      // A frontend's `.env*` files and vite config change where its calls go. Deployment files
      // and Rails' config/*.rb change what each environment sets.
      fileEvents: [
        '**/*.py',
        '**/.env*',
        '**/vite.config.*',
        '**/package.json',
        '**/{Dockerfile,Procfile}*',
        '**/docker-compose*.{yml,yaml}',
        '**/compose*.{yml,yaml}',
        '**/config/**/*.rb',
      ].map((glob) => vscode.workspace.createFileSystemWatcher(glob)),
    },
  };
  return new LanguageClient('corsLens', 'CORS Lens', serverOptions, clientOptions);
}
