import { type FrameworkDescriptor } from '../descriptor';
import { extractFlaskCors } from './extract';
import { FLASK_CORS_KEY } from './config-module';
import { flaskCorsFixes } from './fixes';
import { flaskCors } from './model';
import { flaskCorsExactResource } from './checks/flask-cors-exact-resource';
import { flaskCorsOriginsNone } from './checks/flask-cors-origins-none';

export const flaskCorsFramework: FrameworkDescriptor = {
  id: 'flask-cors',
  name: 'Flask-CORS 3.0',
  grammars: ['python'],
  extract: extractFlaskCors,
  model: flaskCors,
  fixes: flaskCorsFixes,
  checks: [flaskCorsExactResource, flaskCorsOriginsNone],
  // A Flask config module with Flask-CORS keys yields the setups of the app that loads it.
  inheritsSetup: (_file, text) => FLASK_CORS_KEY.test(text),
  devServer: { port: 5000, callPorts: [5000], launchWords: /\bflask\b/ },
};
