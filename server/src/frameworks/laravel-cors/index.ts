import { type FrameworkDescriptor } from '../descriptor';
import { extractLaravelCors, isLaravelCorsConfig } from './extract';
import { laravelCorsFixes } from './fixes';
import { laravelConfigOverridden } from './checks/laravel-config-overridden';
import { laravelHandleCorsMissing } from './checks/laravel-handlecors-missing';
import { laravelPatternWithoutDelimiters } from './checks/laravel-pattern-without-delimiters';
import { laravelCors } from './model';

export const laravelCorsFramework: FrameworkDescriptor = {
  id: 'laravel-cors',
  name: 'Laravel HandleCors (fruitcake/php-cors 1.x)',
  grammars: ['php'],
  extract: extractLaravelCors,
  model: laravelCors,
  fixes: laravelCorsFixes,
  checks: [laravelHandleCorsMissing, laravelConfigOverridden, laravelPatternWithoutDelimiters],
  // `php artisan serve`.
  devServer: { port: 8000 },
  // config/cors.php always holds CORS options (its name is the token).
  inheritsSetup: (file) => isLaravelCorsConfig(file),
};
