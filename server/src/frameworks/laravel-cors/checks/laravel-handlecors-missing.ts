import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';

/**
 * config/cors.php is read only by the HandleCors middleware: an app whose HTTP kernel lists none
 * (a Laravel 7-10 skeleton from before it shipped, or with the line removed) or whose Laravel 11
 * bootstrap removes it (`->remove(...)`, or a `->use([...])` list without it: `use` replaces the
 * default global stack) sends no CORS header at all, whatever the config says. A Laravel 11
 * `Application::configure()` that binds no kernel never loads `app/Http/Kernel.php`. Laravel cannot run
 * here (neither Debian nor the npm registry ships it), so this is read from the framework, not
 * run against it: Laravel 10's base kernel (Illuminate\Foundation\Http\Kernel) adds no middleware
 * of its own, and only HandleCors reads `config('cors')`.
 */
export const laravelHandleCorsMissing: Check = {
  id: 'laravel-handlecors-missing',
  severity: 'warning',
  severityNote: "info when the app's own CORS middleware runs instead",
  frameworks: ['laravel-cors'],
  description:
    'config/cors.php is written but no HandleCors middleware runs, so the config has no effect and no response carries CORS headers.',
  run(policy) {
    const facts = factsOf(policy, 'laravel-cors');
    if (facts?.middleware !== 'missing' || !policy.at) return [];
    const stack = policy.files.find((f) => /Kernel\.php$|bootstrap[\\/]app\.php$/.test(f));
    const where = stack?.endsWith('Kernel.php')
      ? `${stack.split(/[\\/]/).slice(-3).join('/')}'s $middleware lists no HandleCors (\\Illuminate\\Http\\Middleware\\HandleCors)`
      : 'bootstrap/app.php leaves HandleCors out of the global middleware';
    // The app's own middleware sets the headers: only the config is dead, a note.
    if (facts.ownMiddleware)
      return [
        {
          message: `This CORS config has no effect: ${where}; the app's own ${facts.ownMiddleware} middleware sets the CORS headers instead, so change them there.`,
          span: policy.at,
          severity: 'info',
        },
      ];
    return [
      {
        message: `This CORS config has no effect: ${where}, so no response carries CORS headers and every cross-origin read from a browser fails.`,
        span: policy.at,
      },
    ];
  },
};
