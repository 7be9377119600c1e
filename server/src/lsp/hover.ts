import { LineIndex } from '../base/positions';
import path from 'node:path';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Policy, type StaticValue, factsOf } from '../policy/types';
import { pathToUri } from './files';

/** A static value as source-like text (Python literals: settings values come from Python). */
export function renderValue(value: StaticValue): string {
  switch (value.kind) {
    case 'str':
      return JSON.stringify(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'int':
      return String(value.value);
    case 'none':
      return 'None';
    case 'list': {
      const items = value.items.map(renderValue).join(', ');
      return value.tuple ? `(${items}${value.items.length === 1 ? ',' : ''})` : `[${items}]`;
    }
    case 'dict':
      return `{${value.entries.map((e) => `${renderValue(e.key)}: ${renderValue(e.value)}`).join(', ')}}`;
    case 'regex':
      return `/${value.pattern}/${value.flags}`;
    case 'dynamic':
      return `<dynamic: ${value.reason}>`;
  }
}

const envDriven = (value: StaticValue): boolean =>
  ('envDriven' in value && value.envDriven === true) ||
  (value.kind === 'list' && value.items.some(envDriven));

/** The identifier under the cursor and its range, if any. */
function wordAt(
  doc: TextDocument,
  position: Position,
): { word: string; start: number; end: number } | undefined {
  const text = doc.getText();
  const offset = doc.offsetAt(position);
  let start = offset;
  let end = offset;
  while (start > 0 && /\w/.test(text[start - 1])) start--;
  while (end < text.length && /\w/.test(text[end])) end++;
  return start < end ? { word: text.slice(start, end), start, end } : undefined;
}

/** Line (1-based) of an offset in a file's text. */
function lineOf(text: string | undefined, offset: number): number {
  if (text === undefined) return 1;
  return new LineIndex(text).position(offset).line + 1;
}

/** The policies of the document as one environment runs them (its settings module, its env files). */
export interface EnvironmentPolicies {
  name: string;
  /** The file they were read from (Django: that environment's settings module). */
  file: string;
  policies: Policy[];
}

const settingIn = (policies: Policy[], name: string) =>
  policies.map((p) => factsOf(p, 'django')?.settings.get(name)).find((s) => s !== undefined);

/** Whether the cursor is on a name the hover explains (`CORS_*`). */
export const hoversAt = (doc: TextDocument, position: Position): boolean =>
  wordAt(doc, position)?.word.startsWith('CORS_') === true;

/**
 * Hover on a `CORS_*` name: the value that takes effect (after every assignment and import) and
 * the file and line that set it last; then its value in each environment, when the project
 * distinguishes some. `read` gives the text of that file when it is another one.
 */
export function hover(
  doc: TextDocument,
  file: string,
  position: Position,
  policies: Policy[],
  read: (file: string) => string | undefined,
  environments: EnvironmentPolicies[] = [],
): Hover | null {
  const at = wordAt(doc, position);
  if (!at || !at.word.startsWith('CORS_')) return null;
  const setting = settingIn(policies, at.word);
  if (!setting) return null;
  const where = setting.statement.file;
  const line = lineOf(where === file ? doc.getText() : read(where), setting.statement.start);
  const shown =
    where === file ? path.basename(where) : path.relative(path.dirname(file), where) || where;
  const lines = [
    '```python',
    `${setting.name} = ${renderValue(setting.value)}`,
    '```',
    `Effective value, set in [${shown}:${line}](${pathToUri(where)}#L${line}).`,
  ];
  if (envDriven(setting.value))
    lines.push('', "Comes from an environment variable's default: the deployed value may differ.");
  if (environments.length) lines.push('', 'Per environment:');
  for (const environment of environments) {
    const there = settingIn(environment.policies, at.word);
    const value = there ? `\`${renderValue(there.value)}\`` : "not set (the library's default)";
    lines.push(`- ${environment.name} (${path.basename(environment.file)}): ${value}`);
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
    range: { start: doc.positionAt(at.start), end: doc.positionAt(at.end) },
  };
}
