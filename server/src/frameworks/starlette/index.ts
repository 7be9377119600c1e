import { type FrameworkDescriptor } from '../descriptor';
import { extractStarlette } from './extract';
import { starletteFixes } from './fixes';
import { starletteCors } from './model';
import { starletteNoOrigins } from './checks/starlette-no-origins';

export const starletteFramework: FrameworkDescriptor = {
  id: 'starlette',
  name: 'Starlette 0.26 CORSMiddleware (FastAPI)',
  grammars: ['python'],
  extract: extractStarlette,
  model: starletteCors,
  fixes: starletteFixes,
  checks: [starletteNoOrigins],
  // A pydantic settings module yields the setups of the app modules that read it.
  inheritsSetup: (_file, text) => /\bBaseSettings\b/.test(text),
  devServer: { port: 8000, callPorts: [8000], launchWords: /\b(?:uvicorn|hypercorn|fastapi)\b/ },
};
