import { type FrameworkDescriptor } from '../descriptor';
import { extractPythonHandset } from './extract';
import { pythonHandsetFixes } from './fixes';
import { pythonHandset } from './model';

export const pythonHandsetFramework: FrameworkDescriptor = {
  id: 'python-handset',
  name: 'hand-set headers (Flask, Django, FastAPI)',
  grammars: ['python'],
  extract: extractPythonHandset,
  model: pythonHandset,
  fixes: pythonHandsetFixes,
  checks: [],
  devServer: { port: 8000, launchWords: /\b(?:uvicorn|hypercorn|fastapi)\b/ },
};
