import { type FrameworkDescriptor } from '../descriptor';
import { extractFalcon } from './extract';
import { falconFixes } from './fixes';
import { falconCors } from './model';

export const falconFramework: FrameworkDescriptor = {
  id: 'falcon',
  name: 'Falcon 3.1 CORSMiddleware',
  grammars: ['python'],
  extract: extractFalcon,
  model: falconCors,
  fixes: falconFixes,
  checks: [],
  devServer: { port: 8000, launchWords: /\b(?:gunicorn|uwsgi|waitress|falcon)\b/ },
};
