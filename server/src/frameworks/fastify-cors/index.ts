import { type FrameworkDescriptor } from '../descriptor';
import { extractFastify } from './extract';
import { fastifyFixes } from './fixes';
import { fastifyCors } from './model';

export const fastifyCorsFramework: FrameworkDescriptor = {
  id: 'fastify-cors',
  name: '@fastify/cors 11 on Fastify 5',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractFastify,
  model: fastifyCors,
  fixes: fastifyFixes,
  checks: [],
  devServer: { port: 3000 },
};
