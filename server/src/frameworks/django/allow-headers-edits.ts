import { appendElements, preferredQuote, pythonString } from '../../lang/python/sequence-edits';
import type { Policy, Setting } from '../../policy/types';
import type { CheckContext } from '../../checks/types';
import type { TextEdit } from '../../policy/edits';
import {
  addImport,
  addStatementAfter,
  allowlistSetting,
  listSetting,
  literalSpan,
} from './settings-helpers';

/**
 * Edits that add request header names to CORS_ALLOW_HEADERS: appended to the literal list, or a
 * new `CORS_ALLOW_HEADERS = (*default_headers, ...)` beside the allowlist (else after
 * INSTALLED_APPS) when the setting is absent. Empty when there is no safe place.
 */
export function djangoAllowHeadersEdits(
  policy: Policy,
  names: string[],
  allowed: Setting | undefined,
  context: CheckContext,
): TextEdit[] {
  const apps = listSetting(policy, 'INSTALLED_APPS');
  const file = (allowed ?? apps)?.statement.file;
  if (!file) return [];
  const text = context.text(file);
  const quote = preferredQuote(text);
  if (allowed) {
    const list = literalSpan(allowed, text);
    const edit =
      list &&
      appendElements(
        text,
        list,
        names.map((h) => pythonString(h, quote)),
      );
    return edit ? [edit] : [];
  }
  const items = names.map((h) => `    ${pythonString(h, quote)},\n`).join('');
  const allowlist = allowlistSetting(policy);
  const anchor = allowlist?.statement.file === file ? allowlist.statement : apps!.statement;
  const gap = anchor === apps?.statement ? '\n' : '';
  const edits = [
    addStatementAfter(
      text,
      anchor,
      `${gap}CORS_ALLOW_HEADERS = (\n    *default_headers,\n${items})`,
    ),
  ];
  const importEdit = addImport(text, file, 'from corsheaders.defaults import default_headers');
  return importEdit ? [importEdit, ...edits] : edits;
}
