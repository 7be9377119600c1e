import { type FrameworkDescriptor } from '../descriptor';
import { apolloCsrfPreventionOff } from './checks/apollo-csrf-prevention-off';
import { extractApollo } from './extract';
import { apolloFixes } from './fixes';
import { apolloStandalone } from './model';

export const apolloServerFramework: FrameworkDescriptor = {
  id: 'apollo-server',
  name: 'Apollo Server 5 standalone',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractApollo,
  model: apolloStandalone,
  fixes: apolloFixes,
  checks: [apolloCsrfPreventionOff],
  devServer: { port: 4000 },
  // The standalone server brings its own `cors()`: a file that starts one names no CORS token.
  inheritsSetup: (_file, text) => /\bstartStandaloneServer\s*\(/.test(text),
};
