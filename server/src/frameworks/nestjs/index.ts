import { type FrameworkDescriptor } from '../descriptor';
import { extractNest } from './extract';
import { nestFixes } from './fixes';
import { nestModel } from './model';

export const nestjsFramework: FrameworkDescriptor = {
  id: 'nestjs',
  name: 'NestJS 12 (enableCors on Express or Fastify, @Header)',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractNest,
  model: nestModel,
  fixes: nestFixes,
  checks: [],
  devServer: { port: 3000 },
};
