import { type FrameworkDescriptor } from '../descriptor';
import { extractKoa } from './extract';
import { koaFixes } from './fixes';
import { koaCors } from './model';

export const koaCorsFramework: FrameworkDescriptor = {
  id: 'koa-cors',
  name: '@koa/cors 5, kcors 2 and koa2-cors 2 on Koa (and hand-set ctx headers)',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractKoa,
  model: koaCors,
  fixes: koaFixes,
  checks: [],
  devServer: { port: 3000 },
};
