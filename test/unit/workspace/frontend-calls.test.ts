/** Frontend calls found in JS/TS files: fetch, axios instances and defaults, URL resolution. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkspaceIndex } from '../../../server/src/analysis/workspace-index';

async function calls(file: string, text: string) {
  const index = new WorkspaceIndex();
  await index.update(file, text);
  return index.facts().calls.map(({ client, url, method, headers, credentials }) => ({
    client,
    url,
    method,
    headers,
    credentials,
  }));
}

describe('frontend calls', () => {
  it('reads fetch with an environment base URL, method, headers and credentials', async () => {
    const found = await calls(
      '/w/src/api.ts',
      `const API = import.meta.env.VITE_API_URL || 'http://localhost:8000';\nexport const save = (id: string) => fetch(\`\${API}/items/\${id}\`, { method: 'put', headers: new Headers({ 'X-Token': 't' }), credentials: 'include' });\nfetch('/same-origin');\n`,
    );
    assert.deepEqual(found, [
      {
        client: 'fetch',
        url: 'http://localhost:8000/items/1',
        method: 'PUT',
        headers: [['X-Token', 't']],
        credentials: 'include',
      },
    ]);
  });

  it('reads axios instances, defaults and JSON bodies', async () => {
    const found = await calls(
      '/w/src/client.js',
      `import axios from 'axios';\nconst api = axios.create({ baseURL: 'http://localhost:8000/api', withCredentials: true });\napi.defaults.headers.common['Authorization'] = token;\napi.post('/orders', { n: 1 });\naxios.get('https://example.org/x');\n`,
    );
    assert.deepEqual(found, [
      {
        client: 'axios',
        url: 'http://localhost:8000/api/orders',
        method: 'POST',
        headers: [
          ['Authorization', 'x'],
          ['Content-Type', 'application/json'],
        ],
        credentials: 'include',
      },
      {
        client: 'axios',
        url: 'https://example.org/x',
        method: 'GET',
        headers: [],
        credentials: 'same-origin',
      },
    ]);
  });

  it('reads calls in a React component (.tsx)', async () => {
    const found = await calls(
      '/w/src/Profile.tsx',
      `export function Profile() {\n  useEffect(() => { fetch('http://localhost:8000/api/me', { credentials: 'include' }); }, []);\n  return <div className="p">{name}</div>;\n}\n`,
    );
    assert.deepEqual(found, [
      {
        client: 'fetch',
        url: 'http://localhost:8000/api/me',
        method: 'GET',
        headers: [],
        credentials: 'include',
      },
    ]);
  });

  it('ignores broken code and unknown URLs', async () => {
    assert.deepEqual(
      await calls(
        '/w/src/a.ts',
        `fetch(getUrl(), { headers: { 'X-A': '1' } });\nfetch(\`\${base}/x\`);\nfetch('http://localhost:1/x', {`,
      ),
      [],
    );
  });
});
