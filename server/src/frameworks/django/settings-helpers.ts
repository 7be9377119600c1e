import { effectiveSetting } from './extract';
import {
  type Policy,
  type Setting,
  type Span,
  type StaticValue,
  factsOf,
} from '../../policy/types';
import { preferredQuote, pythonString } from '../../lang/python/sequence-edits';
import type { TextEdit } from '../../policy/edits';

type Str = Extract<StaticValue, { kind: 'str' }>;

/** The Django settings of a policy (empty for other frameworks). */
export const djangoSettings = (policy: Policy): Map<string, Setting> =>
  factsOf(policy, 'django')?.settings ?? new Map();

/** A setting whose value is a statically known list. */
export function listSetting(
  policy: Policy,
  name: string,
): (Setting & { value: Extract<StaticValue, { kind: 'list' }> }) | undefined {
  const setting = djangoSettings(policy).get(name);
  return setting?.value.kind === 'list'
    ? (setting as Setting & { value: Extract<StaticValue, { kind: 'list' }> })
    : undefined;
}

/** The string items of a list value. */
export const strItems = (value: StaticValue | undefined): Str[] =>
  value?.kind === 'list' ? value.items.filter((i): i is Str => i.kind === 'str') : [];

/** Whether a list value is fully known (no dynamic element). */
export const fullyKnown = (value: StaticValue | undefined): boolean =>
  value?.kind === 'list' && value.items.every((i) => i.kind !== 'dynamic');

/** The list literal's own span, when the setting was written as one in `file` (not via a name). */
export function literalSpan(setting: Setting, text: string): Span | undefined {
  const span = setting.value.span;
  if (span.file !== setting.statement.file) return undefined;
  return '[('.includes(text[span.start]) ? span : undefined;
}

/** `https://app.example.com/path` → `https://app.example.com` (a default port left out, as browsers do). */
function originOf(url: string): string | undefined {
  const match = /^(https?):\/\/([^/?#{}\s]+)/i.exec(url);
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  return `${scheme}://${match[2].toLowerCase().replace(scheme === 'https' ? /:443$/ : /:80$/, '')}`;
}

/** The scheme://host[:port] of each frontend URL in HEADLESS_FRONTEND_URLS. */
export function headlessFrontendOrigins(policy: Policy): { origin: string; span: Span }[] {
  const value = djangoSettings(policy).get('HEADLESS_FRONTEND_URLS')?.value;
  if (value?.kind !== 'dict') return [];
  const out: { origin: string; span: Span }[] = [];
  for (const { value: url } of value.entries) {
    if (url.kind !== 'str') continue;
    const origin = originOf(url.value);
    if (origin && !out.some((o) => o.origin === origin)) out.push({ origin, span: url.span });
  }
  return out;
}

/** A host a browser can be on: a name with a dot, not an IP address, `localhost` or a wildcard. */
const siteHost = (host: string) => /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?$/i.test(host);

/**
 * The origins the settings name for the production site, in order: `CSRF_TRUSTED_ORIGINS`
 * (browser origins that post to the API: `https://app.example.com`, or Django 3's bare
 * `app.example.com`, served over https), then `ALLOWED_HOSTS` (the names the API answers to, as
 * `https://host`). Left out: `*` (any host names no site); `.example.com` and
 * `https://*.example.com` (any subdomain: a policy's origin is one site, and no subdomain in
 * particular is the frontend's); IP addresses and `localhost` (health checks, the developer's
 * machine).
 */
export function siteOrigins(policy: Policy): { origin: string; from: string }[] {
  const out: { origin: string; from: string }[] = [];
  const add = (origin: string | undefined, from: string) => {
    const host = origin?.replace(/^https?:\/\//, '');
    if (origin && host && siteHost(host) && !out.some((o) => o.origin === origin))
      out.push({ origin, from });
  };
  for (const item of strItems(djangoSettings(policy).get('CSRF_TRUSTED_ORIGINS')?.value))
    add(
      originOf(item.value.includes('://') ? item.value : `https://${item.value}`),
      'CSRF_TRUSTED_ORIGINS',
    );
  for (const item of strItems(djangoSettings(policy).get('ALLOWED_HOSTS')?.value))
    add(originOf(`https://${item.value}`), 'ALLOWED_HOSTS');
  return out;
}

/** A multi-line Python list literal of strings, in the file's quote style. */
export function pythonList(values: string[], text: string, tuple = false): string {
  const quote = preferredQuote(text);
  const [open, close] = tuple ? ['(', ')'] : ['[', ']'];
  return `${open}\n${values.map((v) => `    ${pythonString(v, quote)},\n`).join('')}${close}`;
}

/** The allowlist setting in effect (new or deprecated name), if any. */
export const allowlistSetting = (policy: Policy): Setting | undefined =>
  effectiveSetting(djangoSettings(policy), 'CORS_ALLOWED_ORIGINS');

/**
 * Whether `text` mentions setting `name` other than by assigning it (`if not NAME:`), outside
 * `statement`: a fix that removed the statement would leave that read undefined.
 */
export function readsSetting(text: string, name: string, statement: Span): boolean {
  const rest = text.slice(0, statement.start) + text.slice(statement.end);
  const mention = new RegExp(`\\b${name}\\b`, 'g');
  for (let m = mention.exec(rest); m; m = mention.exec(rest)) {
    const lineStart = rest.lastIndexOf('\n', m.index) + 1;
    const assigned =
      rest.slice(lineStart, m.index).trim() === '' &&
      /^\s*(:[^=\n]*)?=(?!=)/.test(rest.slice(m.index + name.length));
    if (!assigned) return true;
  }
  return false;
}

/** Whether `text` assigns setting `name` anywhere, a branch included. */
export const assignsSetting = (text: string, name: string): boolean =>
  new RegExp(`^[ \\t]*${name}\\s*(:[^=\\n]*)?=(?!=)`, 'm').test(text);

/** An edit adding `line` as a new statement right after `statement`. */
export function addStatementAfter(text: string, statement: Span, line: string): TextEdit {
  const eol = text.indexOf('\n', statement.end);
  const at = eol < 0 ? text.length : eol;
  return { file: statement.file, start: at, end: at, newText: `\n${line}` };
}

/** An edit adding an import line after the file's last top-level import (or at the top). */
export function addImport(text: string, file: string, line: string): TextEdit | undefined {
  if (text.split('\n').some((l) => l.trim() === line)) return undefined;
  let at = 0;
  const importLine = /^(from\s+\S+\s+import\s+[^(\n]*|import\s+[^\n]*)$/gm;
  for (let m = importLine.exec(text); m; m = importLine.exec(text)) at = m.index + m[0].length;
  if (at === 0) {
    // Keep a module docstring and `from __future__` first.
    const doc = text.match(/^(\s*("""[\s\S]*?"""|'''[\s\S]*?''')\s*\n)/);
    at = doc ? doc[0].length : 0;
    return { file, start: at, end: at, newText: `${line}\n${at === 0 ? '\n' : ''}` };
  }
  return { file, start: at, end: at, newText: `\n${line}` };
}
