import { type FrameworkDescriptor } from '../descriptor';
import { extractStarlette } from './extract';
import { starletteFixes } from './fixes';
import { starletteCors } from './model';

export const starletteFramework: FrameworkDescriptor = {
  id: 'starlette',
  name: 'Starlette 0.26 CORSMiddleware (FastAPI)',
  grammars: ['python'],
  extract: extractStarlette,
  model: starletteCors,
  fixes: starletteFixes,
  checks: [],
  devServer: { port: 8000, callPorts: [8000], launchWords: /\b(?:uvicorn|hypercorn|fastapi)\b/ },
};
