import { type FrameworkDescriptor } from '../descriptor';
import { extractNodeHandset } from './extract';
import { nodeHandsetFixes } from './fixes';
import { nodeHandset } from './model';
import { preflightRefused } from './checks/preflight-refused';

export const nodeHandsetFramework: FrameworkDescriptor = {
  id: 'node-handset',
  name: 'hand-set headers (Express, node:http)',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractNodeHandset,
  model: nodeHandset,
  fixes: nodeHandsetFixes,
  checks: [preflightRefused],
  devServer: { port: 3000 },
};
