/**
 * nginx-add-header-without-always on a snippet whose Access-Control-Allow-Origin is a variable
 * no file it reaches defines (h5bp's `add_header Access-Control-Allow-Origin $cors;`, its `map`
 * in a main file that does not include it): the warning says the claim holds only where the
 * variable has a value on error responses. Not a fixture case: `nginx -t` rejects a snippet with
 * an undefined variable, and the fixture suite runs each fixed file through it.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeText } from '../../support/check-fixture';

const file = path.join(__dirname, '../../fixtures/nginx-always/cross-origin-requests.conf');

test('a variable defined outside the file: the warning names it and says when it holds', async () => {
  const text = 'add_header Access-Control-Allow-Origin $cors;\n';
  const { findings } = await analyzeText(file, text);
  assert.deepEqual(
    findings.filter((f) => f.check === 'nginx-add-header-without-always').map((f) => f.message),
    [
      'add_header Access-Control-Allow-Origin has no `always`: nginx sends it only with 200, 201, ' +
        '204, 206, 301, 302, 303, 304, 307 and 308, so a 401, 404, 422 or 500 reaches the browser ' +
        'without it and the page sees a CORS error instead of the status. ($cors is defined ' +
        'outside this file: this holds where it has a value on error responses; a `map` on the ' +
        "response's type that is empty for HTML and JSON makes `always` change nothing.)",
    ],
  );
});

test('a variable its own map defines from the Origin: the plain warning', async () => {
  const text =
    'map $http_origin $cors {\n    default "";\n    "https://app.example.com" $http_origin;\n}\n\nserver {\n    listen 80;\n    add_header Access-Control-Allow-Origin $cors;\n    location / {\n        proxy_pass http://127.0.0.1:3000;\n    }\n}\n';
  const { findings } = await analyzeText(file.replace(/[^/]+$/, 'site.conf'), text);
  const messages = findings
    .filter((f) => f.check === 'nginx-add-header-without-always')
    .map((f) => f.message);
  assert.equal(messages.length, 1);
  assert.doesNotMatch(messages[0], /defined outside/);
});
