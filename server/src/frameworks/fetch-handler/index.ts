import { type FrameworkDescriptor } from '../descriptor';
import { literalHeaderFixes } from '../../lang/javascript/literal-fixes';
import { extractFetchHandler } from './extract';
import { fetchHandlerModel } from './model';

export const fetchHandlerFramework: FrameworkDescriptor = {
  id: 'fetch-handler',
  name: 'fetch handlers (Cloudflare Workers, Deno.serve, Bun.serve)',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractFetchHandler,
  model: fetchHandlerModel,
  fixes: literalHeaderFixes,
  checks: [],
  // `wrangler dev` listens on 8787; Deno.serve on 8000 and Bun.serve on 3000 unless told.
  devServer: {
    port: 8787,
    callPorts: [8787, 8000, 3000],
    launchWords: /\b(?:wrangler|deno|bun)\b/,
  },
};
