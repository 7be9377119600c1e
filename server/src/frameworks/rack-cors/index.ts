import { type FrameworkDescriptor } from '../descriptor';
import { rackCorsPosition } from './checks/rack-cors-position';
import { extractRackCors } from './extract';
import { rackCorsFixes } from './fixes';
import { rackCors } from './model';

export const rackCorsFramework: FrameworkDescriptor = {
  id: 'rack-cors',
  name: 'rack-cors 1.1',
  grammars: ['ruby'],
  extract: extractRackCors,
  model: rackCors,
  fixes: rackCorsFixes,
  checks: [rackCorsPosition],
  devServer: { port: 3000, callPorts: [3000], launchWords: /\b(?:rails|puma|rackup)\b/ },
};
