/**
 * The laravel-cors model answers for the origins the policy holds: checks ask about one entry on
 * its own (malformed-origin keeps only that entry, without the `*` beside it), and the model must
 * not fall back on the whole config's `*`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractLaravelCors } from '../../../server/src/frameworks/laravel-cors/extract';
import { laravelCors } from '../../../server/src/frameworks/laravel-cors/model';
import { parseText } from '../../../server/src/parsing/parser';
import type { HttpRequest } from '../../../server/src/fetch/types';

const CONFIG = `<?php

return [
    'supportsCredentials' => true,
    'allowedOrigins' => ['localhost:8100', 'http://localhost:8100', '*'],
    'allowedHeaders' => ['Content-Type'],
    'allowedMethods' => ['GET', 'POST'],
];
`;

const request = (origin: string): HttpRequest => ({
  method: 'GET',
  path: '/api/items',
  headers: [['Origin', origin]],
});

const allowOrigin = (headers: [string, string][]) =>
  headers.find(([n]) => n.toLowerCase() === 'access-control-allow-origin')?.[1];

test('one entry alone: only what that entry lets in, not the config-wide *', async () => {
  const tree = await parseText('php', CONFIG);
  try {
    const [policy] = await extractLaravelCors('/app/config/cors.php', CONFIG, tree, {
      read: () => undefined,
    });
    assert.ok(policy);
    // The whole config: `*` with credentials echoes every origin.
    const whole = laravelCors.respond(policy, request('https://attacker.test'));
    assert.equal(allowOrigin(whole.headers), 'https://attacker.test');
    // The scheme-less entry alone (as malformed-origin asks): one origin and no pattern, so php-cors
    // sends the entry as written, which is not the browser's 'http://localhost:8100'.
    const entry = policy.origins.exact.find((o) => o.value === 'localhost:8100')!;
    const alone = {
      ...policy,
      origins: {
        ...policy.origins,
        exact: [entry],
        regexes: [],
        allowAll: false,
        reflectAny: undefined,
      },
    };
    const answer = laravelCors.respond(alone, request('http://localhost:8100'));
    assert.equal(allowOrigin(answer.headers), 'localhost:8100');
  } finally {
    tree.delete();
  }
});
