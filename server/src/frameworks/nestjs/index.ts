import { type FrameworkDescriptor } from '../descriptor';
import { extractNest } from './extract';
import { nestFixes } from './fixes';
import { nestModel } from './model';
import { nestCorsTwice } from './checks/nest-cors-twice';

export const nestjsFramework: FrameworkDescriptor = {
  id: 'nestjs',
  name: 'NestJS 12 (enableCors on Express or Fastify, @Header)',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractNest,
  model: nestModel,
  fixes: nestFixes,
  checks: [nestCorsTwice],
  devServer: { port: 3000 },
};
