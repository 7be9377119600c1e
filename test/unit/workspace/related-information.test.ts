/** A cross-file finding's frontend location travels to the editor as LSP relatedInformation. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../../server/src/checks/types';
import { toDiagnostic, type Located } from '../../../server/src/lsp/diagnostics';

it('converts Finding.related into relatedInformation in the other file', () => {
  const server = TextDocument.create(
    'file:///w/settings.py',
    'python',
    1,
    'CORS_ALLOWED_ORIGINS = []\n',
  );
  const client = TextDocument.create(
    'file:///w/web/api.ts',
    'typescript',
    3,
    'const a = 1;\nfetch(url, { headers });\n',
  );
  const finding: Finding = {
    check: 'custom-header-not-allowed',
    severity: 'error',
    message: 'm',
    docs: 'https://example.test',
    span: { file: '/w/settings.py', start: 0, end: 20 },
    related: [
      {
        span: { file: '/w/web/api.ts', start: 13, end: 36 },
        message: 'fetch GET http://localhost:8000/',
      },
    ],
  };
  const own: Located = { uri: server.uri, version: 1, document: server };
  const located: Located = { uri: client.uri, version: 3, document: client };
  const diagnostic = toDiagnostic(finding, own, (file) =>
    file === '/w/web/api.ts' ? located : undefined,
  );
  assert.deepEqual(diagnostic.relatedInformation, [
    {
      location: {
        uri: client.uri,
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 23 } },
      },
      message: 'fetch GET http://localhost:8000/',
    },
  ]);
  // An unreadable file drops the link, not the diagnostic.
  assert.equal(toDiagnostic(finding, own, () => undefined).relatedInformation, undefined);
});
