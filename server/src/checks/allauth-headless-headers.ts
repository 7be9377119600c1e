import { appendElements, preferredQuote, pythonString } from '../fixes/python-sequence';
import { addImport, addStatementAfter, allowlistSetting, djangoSettings, fullyKnown, listSetting, literalSpan, strItems } from './support/django';
import type { Check, TextEdit } from './types';

/** Request headers allauth's headless API reads (django-allauth `allauth/headless`). */
export const HEADLESS_HEADERS = ['x-session-token', 'x-email-verification-key', 'x-password-reset-key'];

export const allauthHeadlessHeaders: Check = {
  id: 'allauth-headless-headers',
  severity: 'error',
  description: "allauth.headless is installed but CORS_ALLOW_HEADERS does not allow the headers its frontend sends.",
  run(policy, context) {
    if (policy.framework !== 'django') return [];
    const apps = listSetting(policy, 'INSTALLED_APPS');
    const headless = strItems(apps?.value).find((a) => a.value === 'allauth.headless');
    if (!apps || !headless) return [];
    const allowed = djangoSettings(policy).get('CORS_ALLOW_HEADERS');
    if (allowed && (allowed.value.kind !== 'list' || !fullyKnown(allowed.value))) return [];
    const names = new Set(strItems(allowed?.value).map((h) => h.value.toLowerCase()));
    const missing = HEADLESS_HEADERS.filter((h) => !names.has(h));
    if (!missing.length) return [];
    const file = (allowed ?? apps).statement.file;
    const text = context.text(file);
    const quote = preferredQuote(text);
    const edits: TextEdit[] = [];
    if (allowed) {
      const list = literalSpan(allowed, text);
      const edit = list && appendElements(text, list, missing.map((h) => pythonString(h, quote)));
      if (edit) edits.push(edit);
    } else {
      const importEdit = addImport(text, file, 'from corsheaders.defaults import default_headers');
      const items = missing.map((h) => `    ${pythonString(h, quote)},\n`).join('');
      // Beside the allowlist when this file has one, else after INSTALLED_APPS.
      const allowlist = allowlistSetting(policy);
      const anchor = allowlist?.statement.file === file ? allowlist.statement : apps.statement;
      const gap = anchor === apps.statement ? '\n' : '';
      edits.push(addStatementAfter(text, anchor, `${gap}CORS_ALLOW_HEADERS = (\n    *default_headers,\n${items})`));
      if (importEdit) edits.unshift(importEdit);
    }
    const list = missing.map((h) => `'${h}'`).join(', ');
    return [
      {
        message: `allauth.headless is installed but CORS_ALLOW_HEADERS does not allow ${list}: the browser blocks the frontend's preflight ("Request header field ${missing[0]} is not allowed by Access-Control-Allow-Headers in preflight response").`,
        span: allowed ? allowed.nameSpan : headless.span,
        fix: edits.length === 0 ? undefined : { title: `Allow ${list} in CORS_ALLOW_HEADERS`, edits },
      },
    ];
  },
};
