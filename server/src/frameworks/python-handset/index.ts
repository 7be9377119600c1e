import { type FrameworkDescriptor } from '../descriptor';
import { extractPythonHandset, HEADER_SETTING } from './extract';
import { pythonHandsetFixes } from './fixes';
import { pythonHandset } from './model';

export const pythonHandsetFramework: FrameworkDescriptor = {
  id: 'python-handset',
  name: 'hand-set headers (Flask, Django, FastAPI, aiohttp)',
  grammars: ['python'],
  extract: extractPythonHandset,
  model: pythonHandset,
  fixes: pythonHandsetFixes,
  checks: [],
  // A settings module naming what the headers send yields the policies of the modules that send them.
  inheritsSetup: (_file, text) => new RegExp(HEADER_SETTING.source, 'm').test(text),
  devServer: { port: 8000, launchWords: /\b(?:uvicorn|hypercorn|fastapi)\b/ },
};
