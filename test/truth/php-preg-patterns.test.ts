/**
 * The laravel-cors model's reading of `allowed_origins_patterns` against the real PHP 8.2
 * (Debian's php-cli, /usr/bin/php): php-cors hands each pattern to `preg_match` as written. For
 * each pattern, whether PHP accepts it (no warning) must be whether `pregParts` splits it, and for
 * an accepted one, whether it matches each origin must be what `pregMatches` says.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { pregMatches, pregParts } from '../../server/src/lang/php/regex';

const PHP = '/usr/bin/php';

const PATTERNS = [
  // Written without delimiters, as ESCROW's config (held-out batch 53) and others do.
  'http://localhost:[0-9]+',
  '^https://(app|admin)\\.example\\.com$',
  'https://*.example.com',
  '\\bexample\\b',
  // Delimited, as php-cors' docs write them.
  '#^http://localhost:[0-9]+$#',
  '/^https:\\/\\/[a-z]+\\.example\\.com$/i',
  '{^https://example\\.com$}',
  '~^https://app\\.example\\.(com|org)$~',
];
const ORIGINS = ['http://localhost:5173', 'https://app.example.com', 'https://APP.example.com'];

/** `[accepted, matches per origin]` for each pattern, as the real preg_match answers. */
function real(): { accepted: boolean; matches: boolean[] }[] {
  const script = `
    $out = [];
    foreach (json_decode($argv[1]) as $p) {
      $ok = @preg_match($p, '') !== false;
      $m = [];
      foreach (json_decode($argv[2]) as $o) $m[] = $ok && @preg_match($p, $o) === 1;
      $out[] = ['accepted' => $ok, 'matches' => $m];
    }
    echo json_encode($out);`;
  const run = spawnSync(PHP, ['-r', script, JSON.stringify(PATTERNS), JSON.stringify(ORIGINS)], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { accepted: boolean; matches: boolean[] }[];
}

test('the real PHP is installed', () =>
  assert.ok(existsSync(PHP), 'apt-get install php-cli (see test/install-system.sh)'));

test(
  'preg_match accepts exactly the patterns pregParts splits, and matches as pregMatches says',
  {
    skip: existsSync(PHP) ? false : 'PHP is missing (see the failing install test)',
  },
  () => {
    const answers = real();
    PATTERNS.forEach((pattern, i) => {
      assert.equal(pregParts(pattern) !== undefined, answers[i].accepted, `accepted: ${pattern}`);
      ORIGINS.forEach((origin, j) =>
        assert.equal(
          pregMatches(pattern, origin),
          answers[i].matches[j],
          `${pattern} on ${origin}`,
        ),
      );
    });
  },
);
