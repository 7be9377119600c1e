import { type FrameworkDescriptor } from '../descriptor';
import { extractPhpHandset } from './extract';
import { phpHandsetFixes } from './fixes';
import { phpHandset } from './model';

export const phpHandsetFramework: FrameworkDescriptor = {
  id: 'php-handset',
  name: 'hand-set headers (PHP 8.2)',
  grammars: ['php'],
  extract: extractPhpHandset,
  model: phpHandset,
  fixes: phpHandsetFixes,
  checks: [],
  devServer: { port: 8000 },
};
