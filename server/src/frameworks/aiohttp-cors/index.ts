import { type FrameworkDescriptor } from '../descriptor';
import { extractAiohttpCors } from './extract';
import { aiohttpCorsFixes } from './fixes';
import { aiohttpCors } from './model';

export const aiohttpCorsFramework: FrameworkDescriptor = {
  id: 'aiohttp-cors',
  name: 'aiohttp_cors 0.7 (aiohttp 3.8)',
  grammars: ['python'],
  extract: extractAiohttpCors,
  model: aiohttpCors,
  fixes: aiohttpCorsFixes,
  checks: [],
  // web.run_app's default port.
  devServer: { port: 8080, callPorts: [8080] },
};
