import { type FrameworkDescriptor } from '../descriptor';
import { extractNelmioCors } from './extract';
import { nelmioCorsFixes } from './fixes';
import { nelmioCors } from './model';

export const nelmioCorsFramework: FrameworkDescriptor = {
  id: 'nelmio-cors',
  name: 'NelmioCorsBundle 2.6.0',
  grammars: ['yaml', 'php'],
  extract: extractNelmioCors,
  model: nelmioCors,
  fixes: nelmioCorsFixes,
  checks: [],
  // `symfony serve` / `php -S` on :8000.
  devServer: { port: 8000 },
  // A YAML file of env placeholders may hold no `cors` token; the PHP form names `nelmio_cors`.
  inheritsSetup: (file) => !/\.php$/i.test(file),
};
