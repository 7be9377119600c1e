import { type FrameworkDescriptor } from '../descriptor';
import { extractNodeHandset } from './extract';
import { nodeHandsetFixes } from './fixes';
import { nodeHandset } from './model';

export const nodeHandsetFramework: FrameworkDescriptor = {
  id: 'node-handset',
  name: 'hand-set headers (Express, node:http)',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractNodeHandset,
  model: nodeHandset,
  fixes: nodeHandsetFixes,
  checks: [],
  devServer: { port: 3000 },
};
