import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pathPrefix, suggestedUrl } from '../../../server/src/probe';
import { probeDefaults } from '../../../server/src/lsp/probe-requests';
import { noProbeDefaults } from '../../../server/src/lsp/probe-protocol';
import type { Policy } from '../../../server/src/policy/types';
import type { FrontendCall } from '../../../server/src/workspace/types';

const policy = (framework: string, urlRegex: Policy['urlRegex']) =>
  ({ framework, urlRegex }) as unknown as Policy;

describe('probe defaults', () => {
  test('the literal start of a path regex', () => {
    assert.equal(pathPrefix('^/api/.*$'), '/api/');
    assert.equal(pathPrefix('^.*$'), '/');
    assert.equal(pathPrefix(String.raw`^\/v1\/items/(\d+)$`), '/v1/items/');
    assert.equal(pathPrefix('^/apis?/'), '/api');
    assert.equal(pathPrefix('^/(api|graphql)/'), '/');
    assert.equal(pathPrefix('api/'), '/');
  });

  test('the dev port of the framework and a path the policy covers', () => {
    assert.equal(suggestedUrl(undefined), 'http://127.0.0.1:8000/');
    assert.equal(suggestedUrl(policy('django', '^/api/.*$')), 'http://127.0.0.1:8000/api/');
    assert.equal(suggestedUrl(policy('flask-cors', null)), 'http://127.0.0.1:5000/');
    assert.equal(suggestedUrl(policy('express-cors', 'dynamic')), 'http://127.0.0.1:3000/');
    assert.equal(suggestedUrl(policy('rack-cors', null)), 'http://127.0.0.1:3000/');
    assert.equal(suggestedUrl(policy('nginx', null)), 'http://127.0.0.1/');
  });

  test("headers and credentials from the frontend's calls: CORS-unsafe ones, once per name", async () => {
    const call = (
      headers: [string, string][],
      credentials: FrontendCall['credentials'],
    ): FrontendCall => ({
      span: { file: '/w/app.ts', start: 0, end: 1 },
      client: 'fetch',
      url: 'http://localhost:8000/api/me',
      method: 'GET',
      headers,
      credentials,
    });
    const calls = [
      call(
        [
          ['Content-Type', 'text/plain'],
          ['X-Session-Token', 'abc'],
        ],
        'omit',
      ),
      call(
        [
          ['x-session-token', 'zzz'],
          ['Content-Type', 'application/json'],
        ],
        'include',
      ),
    ];
    assert.deepEqual(await probeDefaults([], calls), {
      url: 'http://127.0.0.1:8000/',
      headers: ['X-Session-Token: abc', 'Content-Type: application/json'],
      credentials: true,
    });
    assert.deepEqual(await probeDefaults([]), {
      url: 'http://127.0.0.1:8000/',
      headers: [],
      credentials: false,
    });
  });

  test("the LSP thread's fallback is what a document without policy or workspace gets", async () => {
    assert.deepEqual(noProbeDefaults, await probeDefaults([]));
  });
});
