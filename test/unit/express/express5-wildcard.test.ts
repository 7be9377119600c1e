/**
 * What the express-options-wildcard check claims, against the real Express 5 from node_modules:
 * `app.options('*', cors())` throws when the route is registered, and the fix's '/{*splat}'
 * starts and answers a preflight on any path. Also pins the path rules of models/express-path.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import {
  expressPathMatches,
  rejectedByExpress5,
} from '../../../server/src/lang/javascript/express-path';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs a script with the repository's node_modules; returns its exit status and output. */
function run(script: string): { status: number | null; out: string } {
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

const registers = (p: string) =>
  run(
    `const app = require('express')(); try { app.options(${JSON.stringify(p)}, require('cors')()); console.log('OK') } catch (e) { console.log('THROWS ' + e.message) }`,
  ).out.trim();

test('real Express 5 throws on the paths the model rejects, and accepts the fix', () => {
  for (const p of ['*', '/api/*', '/{*splat}', '/api/{*rest}', '/api/:id', '/items{/:id}']) {
    const real = registers(p);
    assert.ok(real === 'OK' || real.startsWith('THROWS'), `express could not be loaded: ${real}`);
    assert.equal(rejectedByExpress5(p), real !== 'OK', `${p}: real Express says ${real}`);
  }
});

test("'/{*splat}' answers a preflight on any path with real Express 5 + cors", () => {
  const script = `
    const app = require('express')();
    app.options('/{*splat}', require('cors')({ origin: 'https://app.example.com' }));
    const server = app.listen(0, '127.0.0.1', async () => {
      const r = await fetch('http://127.0.0.1:' + server.address().port + '/a/b/c', { method: 'OPTIONS' });
      console.log(r.status, r.headers.get('access-control-allow-origin'));
      server.close();
    });`;
  assert.equal(run(script).out.trim(), '204 https://app.example.com');
});

test('mount prefixes end at a slash; routes allow one trailing slash and ignore case', () => {
  assert.ok(expressPathMatches({ kind: 'string', value: '/api' }, '/api/items', true));
  assert.ok(!expressPathMatches({ kind: 'string', value: '/api' }, '/apix', true));
  assert.ok(
    expressPathMatches({ kind: 'string', value: '/api/items/:id' }, '/API/items/42/', false),
  );
  assert.ok(
    !expressPathMatches({ kind: 'string', value: '/api/items/:id' }, '/api/items/42/x', false),
  );
});
