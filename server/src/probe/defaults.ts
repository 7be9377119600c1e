/** The probe panel's first guess at the dev server's URL, from the policy that configures it. */
import type { Policy } from '../policy/types';

/**
 * Dev-server ports by framework: `manage.py runserver` and uvicorn 8000, `flask run` 5000,
 * Express, Next.js and Rails 3000, nginx 80. Partial on purpose: a framework added later gets
 * 8000 until it is listed here.
 */
export const devPorts: Partial<Record<string, number>> = {
  django: 8000,
  starlette: 8000,
  'python-handset': 8000,
  'flask-cors': 5000,
  'express-cors': 3000,
  'node-handset': 3000,
  nextjs: 3000,
  'rack-cors': 3000,
  nginx: 80,
};

/**
 * The literal path a path regex starts with (`^/api/.*$` → `/api/`), `/` when it has none;
 * escaped characters are taken literally, the first other metacharacter ends it.
 */
export function pathPrefix(regex: string): string {
  let out = '';
  for (let i = regex.startsWith('^') ? 1 : 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\' && i + 1 < regex.length && !/[A-Za-z0-9]/.test(regex[i + 1])) out += regex[++i];
    else if (/[.*+?()[\]{}|^$\\]/.test(c)) break;
    else out += c;
  }
  // A quantifier after the last literal makes it optional: drop it.
  if (/^[*?{]/.test(regex.slice((regex.startsWith('^') ? 1 : 0) + out.length))) out = out.slice(0, -1);
  return out.startsWith('/') ? out : '/';
}

/** `http://127.0.0.1:<dev port><path the policy covers>` for the policy's framework. */
export function suggestedUrl(policy: Policy | undefined): string {
  const port = (policy && devPorts[policy.framework]) ?? 8000;
  const path = policy && typeof policy.urlRegex === 'string' ? pathPrefix(policy.urlRegex) : '/';
  const host = port === 80 ? '127.0.0.1' : `127.0.0.1:${port}`;
  return `http://${host}${path}`;
}
