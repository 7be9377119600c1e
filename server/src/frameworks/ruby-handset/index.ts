import { type FrameworkDescriptor } from '../descriptor';
import { extractRubyHandset } from './extract';
import { rubyHandsetFixes } from './fixes';
import { rubyHandset } from './model';

export const rubyHandsetFramework: FrameworkDescriptor = {
  id: 'ruby-handset',
  name: 'hand-set headers (Rails controllers)',
  grammars: ['ruby'],
  extract: extractRubyHandset,
  model: rubyHandset,
  fixes: rubyHandsetFixes,
  checks: [],
  // `rails server`'s default port.
  devServer: { port: 3000, callPorts: [3000] },
};
