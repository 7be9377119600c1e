/** The probe panel's first guess at the dev server's URL, from the policy that configures it. */
import { frameworkOf } from '../frameworks';
import type { Policy } from '../policy/types';

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
  if (/^[*?{]/.test(regex.slice((regex.startsWith('^') ? 1 : 0) + out.length)))
    out = out.slice(0, -1);
  return out.startsWith('/') ? out : '/';
}

/** `http://127.0.0.1:<dev port><path the policy covers>` for the policy's framework. */
export function suggestedUrl(policy: Policy | undefined): string {
  const port = policy ? frameworkOf(policy).devServer.port : 8000;
  const path = policy && typeof policy.urlRegex === 'string' ? pathPrefix(policy.urlRegex) : '/';
  const host = port === 80 ? '127.0.0.1' : `127.0.0.1:${port}`;
  return `http://${host}${path}`;
}
