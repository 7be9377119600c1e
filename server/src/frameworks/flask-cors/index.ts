import { type FrameworkDescriptor } from '../descriptor';
import { extractFlaskCors } from './extract';
import { flaskCorsFixes } from './fixes';
import { flaskCors } from './model';

export const flaskCorsFramework: FrameworkDescriptor = {
  id: 'flask-cors',
  name: 'Flask-CORS 3.0',
  grammars: ['python'],
  extract: extractFlaskCors,
  model: flaskCors,
  fixes: flaskCorsFixes,
  checks: [],
  devServer: { port: 5000, callPorts: [5000], launchWords: /\bflask\b/ },
};
