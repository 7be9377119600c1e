import { type FrameworkDescriptor } from '../descriptor';
import { extractSinatra } from './extract';
import { sinatraFixes } from './fixes';
import { sinatraModel } from './model';

export const sinatraFramework: FrameworkDescriptor = {
  id: 'sinatra',
  name: 'Sinatra 3.0 (hand-set headers, sinatra-cross_origin)',
  grammars: ['ruby'],
  extract: extractSinatra,
  model: sinatraModel,
  fixes: sinatraFixes,
  checks: [],
  // Sinatra's default port.
  devServer: { port: 4567, callPorts: [4567] },
};
