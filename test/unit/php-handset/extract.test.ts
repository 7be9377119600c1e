/**
 * The php-handset extractor and model on shapes the truth suite does not serve (frameworks'
 * response objects, hooks).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractPhpHandset } from '../../../server/src/frameworks/php-handset/extract';
import { phpHandset } from '../../../server/src/frameworks/php-handset/model';
import { pcreToJs, pregParts } from '../../../server/src/lang/php/regex';
import { parseText } from '../../../server/src/parsing/parser';
import type { Policy } from '../../../server/src/policy/types';

async function policies(text: string): Promise<Policy[]> {
  const tree = await parseText('php', text);
  try {
    return await extractPhpHandset('index.php', text, tree, { read: () => undefined });
  } finally {
    tree.delete();
  }
}

const request = (method: string, origin?: string) => ({
  method,
  path: '/api/x',
  headers: origin ? ([['Origin', origin]] as [string, string][]) : [],
});

test('a Laravel middleware: the allowlist guard, the ->header() chain and the OPTIONS answer', async () => {
  const [p] = await policies(`<?php
class Cors
{
    public function handle($request, Closure $next)
    {
        $origin = $request->header('Origin');
        if ($request->isMethod('OPTIONS')) {
            return response('', 204)
                ->header('Access-Control-Allow-Origin', 'https://app.example.com')
                ->header('Access-Control-Allow-Methods', 'GET, POST');
        }
        $response = $next($request);
        if ($origin === 'https://app.example.com') {
            $response->headers->set('Access-Control-Allow-Origin', $origin);
        }
        return $response;
    }
}
`);
  assert.equal(p.origins.reflectAny, undefined);
  assert.deepEqual(
    p.origins.exact.map((o) => o.value),
    ['https://app.example.com', 'https://app.example.com'],
  );
  assert.ok(p.preflightAt);
  const preflight = phpHandset.respond(p, request('OPTIONS', 'https://app.example.com'));
  assert.deepEqual(preflight, {
    status: 204,
    headers: [
      ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ['Access-Control-Allow-Methods', 'GET, POST'],
    ],
  });
  assert.deepEqual(phpHandset.respond(p, request('GET', 'https://evil.example')).headers, []);
});

test('a WordPress filter closure and a PSR-7 withHeader echo are read as their own scopes', async () => {
  const [wp] = await policies(`<?php
add_filter('rest_pre_serve_request', function ($served) {
    header('Access-Control-Allow-Origin: *');
    return $served;
});
`);
  assert.ok(wp.origins.allowAll);
  const [psr] = await policies(`<?php
$app->add(function ($request, $handler) {
    $response = $handler->handle($request);
    return $response->withHeader('Access-Control-Allow-Origin', $request->getHeaderLine('Origin'));
});
`);
  assert.ok(psr.origins.reflectAny);
  assert.deepEqual(phpHandset.respond(psr, request('GET', 'https://a.test')).headers, [
    ['Access-Control-Allow-Origin', 'https://a.test'],
  ]);
});

test('an allowlist test the extractor cannot read is dynamic, not reflect-any', async () => {
  const [p] = await policies(
    `<?php\nif (allowed($_SERVER['HTTP_ORIGIN'])) header('Access-Control-Allow-Origin: ' . $_SERVER['HTTP_ORIGIN']);\n`,
  );
  assert.equal(p.origins.reflectAny, undefined);
  assert.equal(p.origins.dynamic, true);
});

test('preg patterns: delimiters, modifiers, and PCRE $ before a final newline', () => {
  assert.deepEqual(pregParts('#^https?://a\\.test$#i'), {
    open: '#',
    close: '#',
    body: '^https?://a\\.test$',
    modifiers: 'i',
    bodyStart: 1,
  });
  assert.equal(pregParts('{^a}')?.body, '^a');
  assert.equal(pcreToJs('^a$')?.test('a\n'), true);
  assert.equal(pcreToJs('^a$', 'D')?.test('a\n'), false);
  assert.equal(pcreToJs('^A\\z', 'i')?.test('a'), true);
  assert.equal(pcreToJs('(?>a)'), undefined);
});
