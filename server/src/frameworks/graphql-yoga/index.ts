import { type FrameworkDescriptor } from '../descriptor';
import { yogaNullForUnlistedOrigin } from './checks/yoga-null-for-unlisted-origin';
import { extractYoga } from './extract';
import { yogaFixes } from './fixes';
import { graphqlYoga } from './model';

export const graphqlYogaFramework: FrameworkDescriptor = {
  id: 'graphql-yoga',
  name: 'graphql-yoga 5',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractYoga,
  model: graphqlYoga,
  fixes: yogaFixes,
  checks: [yogaNullForUnlistedOrigin],
  devServer: { port: 4000 },
  // Yoga brings its own CORS: a file that creates one may name no CORS token.
  inheritsSetup: (_file, text) => /\bcreateYoga\s*\(/.test(text),
};
