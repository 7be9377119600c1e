/**
 * The end-to-end behaviour, written against the VS Code API (runs inside VS Code's extension host
 * via test/e2e/run.ts): open the fixture workspace's settings.py, wait for the diagnostics (on
 * `languages.onDidChangeDiagnostics`, never a sleep), assert them exactly, apply the preferred
 * quick fix, assert the text, save with fix-all on save, and run the preview. The same behaviour
 * is proven as a user sees it in code-server by test/e2e/code-server.test.ts.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const settingsUri = () =>
  vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'settings.py');
const configUri = () =>
  vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'config/settings.py');

/** Resolves with `uri`'s CORS Lens diagnostics once `accept` holds for them (bounded). */
function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic[]) => boolean,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'CORS Lens');
  return new Promise((resolve, reject) => {
    if (accept(ours())) return resolve(ours());
    const timer = setTimeout(() => {
      listener.dispose();
      reject(
        new Error(
          `diagnostics of ${uri.fsPath} never matched; last: ${JSON.stringify(ours().map((d) => d.message))}`,
        ),
      );
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString()) || !accept(ours())) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(ours());
    });
  });
}

const code = (d: vscode.Diagnostic) =>
  typeof d.code === 'object' ? String(d.code.value) : String(d.code);
const at = (line: number, character: number) => new vscode.Position(line, character);

const FIXED_SETTINGS = `INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "corsheaders",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
]

CORS_ALLOWED_ORIGINS = [
    "http://localhost:3000",
    "http://localhost:5173",
]
CORS_ALLOW_CREDENTIALS = True
`;

const FIXED_CONFIG = `# reviewed
CORS_ALLOWED_ORIGINS = [
    "https://app.example.com",
]
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com$"]
CORS_ALLOW_CREDENTIALS = True
`;

async function seeTheFinding(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(settingsUri());
  await vscode.window.showTextDocument(doc);
  const [d, ...rest] = await diagnosticsWhen(doc.uri, (ds) => ds.length > 0, 60_000);
  assert.deepEqual(rest, []);
  assert.equal(code(d), 'allow-all-origins');
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  assert.ok(
    d.range.isEqual(new vscode.Range(at(10, 0), at(10, 29))),
    `range ${JSON.stringify(d.range)}`,
  );
  assert.equal(
    d.message,
    'CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS: a page on https://attacker.test gets Access-Control-Allow-Credentials: ' +
      "true, Access-Control-Allow-Origin: https://attacker.test, so any website can send the user's " +
      'cookies (those the browser sends cross-site) and read the authenticated responses.',
  );
}

async function applyThePreferredFix(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(settingsUri());
  const [d] = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'CORS Lens');
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    d.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  const preferred = actions.filter((a) => a.isPreferred);
  assert.deepEqual(
    preferred.map((a) => a.title),
    ['Allow only http://localhost:3000, http://localhost:5173'],
  );
  assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!), 'the edit applies');
  assert.equal(doc.getText(), FIXED_SETTINGS);
  await diagnosticsWhen(doc.uri, (ds) => ds.length === 0);
  assert.ok(await doc.save());
}

async function fixAllOnSave(): Promise<void> {
  // The fixture's .vscode/settings.json turns on "source.fixAll.cors-lens" in codeActionsOnSave.
  const doc = await vscode.workspace.openTextDocument(configUri());
  const editor = await vscode.window.showTextDocument(doc);
  await diagnosticsWhen(doc.uri, (ds) => ds.length === 2);
  await editor.edit((edit) => edit.insert(at(0, 0), '# reviewed\n'));
  // A save from the API is not "explicit": run the editor's own save, as Ctrl+S does.
  await vscode.commands.executeCommand('workbench.action.files.save');
  assert.equal(doc.getText(), FIXED_CONFIG);
  assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(doc.uri)), FIXED_CONFIG);
  await diagnosticsWhen(doc.uri, (ds) => ds.length === 0);
}

async function previewEffectiveHeaders(): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(settingsUri()));
  const opened = new Promise<vscode.TextDocument>((resolve) => {
    const l = vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.uri.scheme !== 'cors-lens-preview') return;
      l.dispose();
      resolve(doc);
    });
  });
  // Five prompts, each answered with its first item or default value (the first allowlisted
  // origin, GET, no headers, no credentials, "/"), as pressing Enter does.
  let done = false;
  const command = Promise.resolve(
    vscode.commands.executeCommand('corsLens.previewEffectiveHeaders'),
  ).finally(() => (done = true));
  const deadline = Date.now() + 30_000;
  while (!done && Date.now() < deadline)
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  await command;
  const page = (await opened).getText();
  assert.match(page, /^# GET http:\/\/localhost:8000\/$/m);
  assert.match(page, /^From origin `http:\/\/localhost:3000`, credentials `omit`/m);
  assert.match(page, /^## Verdict: allowed$/m);
  assert.match(page, /^Access-Control-Allow-Origin: http:\/\/localhost:3000$/m);
}

/** The steps, in order (each builds on the previous one's workspace state). */
export const steps: [string, () => Promise<void>][] = [
  ['settings.py shows the exact allow-all-origins diagnostic', seeTheFinding],
  ['the preferred quick fix rewrites the setting and clears the diagnostic', applyThePreferredFix],
  ['saving applies source.fixAll.cors-lens (editor.codeActionsOnSave)', fixAllOnSave],
  ['Preview Effective Headers shows the prediction and the verdict', previewEffectiveHeaders],
];
