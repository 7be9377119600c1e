/**
 * A Python web app that serves nothing: a module that builds a Flask or FastAPI app, gives it no
 * route (no decorator, no `add_url_rule`, no blueprint or router, no mount), never runs it, and
 * that no file of its project imports or launches (`from app import`, `app:app`, `python app.py`,
 * `FLASK_APP=app`). codeGPT's `voicecare/backend/app.py` (held-out batch 44): a 10-line app with
 * credentialed CORS beside the `api.py` that really runs.
 */
import { escapeRegex } from '../../base/regex';
import path from 'node:path';
import { nothingElseMentions } from '../../base/project-mentions';
import type { SourceReader } from '../../base/source-reader';

const BUILDS_APP = /\b(?:Flask|FastAPI)\s*\(/;

/** Anything that gives an app something to serve, or runs it. */
const SERVES =
  /@[\w.]+\.(?:route|get|post|put|patch|delete|head|options|api_route|websocket)\s*\(|\.(?:add_url_rule|register_blueprint|include_router|add_api_route|mount|add_resource|run)\s*\(|__main__|\bApi\s*\(/;

/** Files that may import or launch a module: code, launch scripts and the configs that name one. */
export const NAMES_PYTHON_MODULES =
  /\.(?:py|sh|toml|cfg|ini|ya?ml|md|txt|env)$|(?:^|[\\/])(?:Dockerfile[\w.-]*|Procfile|Makefile|\.env[\w.-]*|(?:launch|app|vercel|now|zappa_settings|package)\.json)$/;

/** Whether `file` builds an app that serves nothing and nothing in its project names it. */
export function unservedPythonApp(file: string, text: string, reader: SourceReader): boolean {
  if (!BUILDS_APP.test(text) || SERVES.test(text)) return false;
  const stem = escapeRegex(path.basename(file, '.py'));
  const names = new RegExp(
    String.raw`\bfrom\s+[\w.]*\b${stem}\s+import\b|\bimport\s+(?:[\w.]+\.)?${stem}\b|\b${stem}:\w|\b${stem}\.py\b|\b(?:FLASK_APP|--app)\s*=?\s*["']?${stem}\b`,
  );
  return nothingElseMentions(file, reader, {
    question: 'python-app',
    mayName: (f) => NAMES_PYTHON_MODULES.test(f),
    mentions: (written) => names.test(written),
  });
}
