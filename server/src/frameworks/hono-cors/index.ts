import { type FrameworkDescriptor } from '../descriptor';
import { extractHono } from './extract';
import { honoFixes } from './fixes';
import { honoCors } from './model';

export const honoCorsFramework: FrameworkDescriptor = {
  id: 'hono-cors',
  name: 'hono/cors 4.13 (Hono on Node)',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractHono,
  model: honoCors,
  fixes: honoFixes,
  checks: [],
  // `wrangler dev` serves on 8787; the Node adapter's examples use 3000.
  devServer: { port: 3000 },
};
