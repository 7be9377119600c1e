/**
 * Whether a Laravel app runs one of its own middleware classes. Laravel runs a middleware only
 * where it is registered: the HTTP kernel's stacks and aliases (`app/Http/Kernel.php`, Laravel 10
 * and before), `bootstrap/app.php`'s `->withMiddleware(...)` (Laravel 11 and after), a route's
 * `->middleware(...)` (`routes/*.php`) or a service provider. A class named in none of them never
 * runs, and the headers it writes are never sent (Everbright, held-out batch 13: a missing-Vary
 * warning on an unregistered `CorsHeaders` class). Read from Laravel's documentation of its
 * kernels and `bootstrap/app.php`: no Laravel runs here to verify it.
 */
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import { phpFiles } from '../../lang/php/php-files';
import type { SourceRef } from '../../policy/types';

/**
 * The reason a middleware class in `app/Http/Middleware/` never runs, or undefined when it may:
 * another file than a Laravel app's, an app without a kernel or bootstrap file to read, or a
 * class one of the registration files names.
 */
export function unregisteredMiddleware(
  file: string,
  text: string,
  reader: SourceReader,
): SourceRef | undefined {
  const parts = path.resolve(file).split(path.sep);
  const at = parts.length - 4;
  if (at < 1 || parts.slice(at, at + 3).join('/') !== 'app/Http/Middleware') return undefined;
  const match = /\bclass\s+([A-Za-z_]\w*)/.exec(text);
  if (!match) return undefined;
  const root = parts.slice(0, at).join(path.sep) || path.sep;
  const kernel = path.join(root, 'app', 'Http', 'Kernel.php');
  const bootstrap = path.join(root, 'bootstrap', 'app.php');
  if (reader.read(kernel) === undefined && reader.read(bootstrap) === undefined) return undefined;
  const named = new RegExp(`\\b${match[1]}\\b`);
  const registrations = [
    kernel,
    bootstrap,
    ...phpFiles(path.join(root, 'routes')),
    ...phpFiles(path.join(root, 'app', 'Providers')),
  ];
  if (registrations.some((f) => named.test(reader.read(f) ?? ''))) return undefined;
  const start = match.index + match[0].length - match[1].length;
  return {
    span: { file, start, end: start + match[1].length },
    label: `${match[1]} is registered in no middleware stack, alias or route of this Laravel app`,
  };
}
