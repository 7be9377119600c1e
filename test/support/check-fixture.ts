import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeTree, type Analysis } from '../../server/src/core/analyze';
import { DiskReader } from '../../server/src/core/disk-reader';
import { defaultSettings, type CorsLensSettings } from '../../server/src/core/settings';
import type { SourceReader } from '../../server/src/extract/source-reader';
import type { Finding, TextEdit } from '../../server/src/checks/types';
import { parseText } from '../../server/src/parsing/parser';

/** Analyses one file as the LSP and CLI do, reading its imports through `reader`. */
export async function analyzeText(
  file: string,
  text: string,
  reader: SourceReader = new DiskReader(),
  settings: Partial<CorsLensSettings> = {},
): Promise<Analysis> {
  const tree = await parseText('python', text);
  try {
    return await analyzeTree(file, text, tree, reader, { ...defaultSettings, ...settings });
  } finally {
    tree.delete();
  }
}

/** Applies non-overlapping edits to one file's text (from the end backwards). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

/** The line and UTF-16 column of an offset. */
function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The source with `~~~` under each finding and its severity, check and message. */
export function renderFindings(text: string, findings: Finding[]): string {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, index) => {
    out.push(`${String(index + 1).padStart(3)} | ${line}`);
    for (const finding of findings) {
      const start = position(text, finding.span.start);
      const end = position(text, finding.span.end);
      if (start.line > index || end.line < index) continue;
      const from = start.line === index ? start.character : 0;
      const to = end.line === index ? end.character : line.length;
      const marker = `${' '.repeat(from)}${'~'.repeat(Math.max(1, to - from))}`;
      out.push(end.line === index ? `    | ${marker} ${finding.severity} ${finding.check}: ${finding.message}` : `    | ${marker}`);
    }
  });
  return out.join('\n');
}

/** Runs `/usr/bin/python3 -m py_compile` on a text; returns the error output, or '' when it compiles. */
export function pyCompile(text: string, name = 'settings.py'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-py-'));
  try {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    execFileSync('/usr/bin/python3', ['-m', 'py_compile', file], { stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A copy of a fixture folder in a temp dir (for fixes that edit files). */
export function copyFixture(dir: string): string {
  const target = mkdtempSync(path.join(tmpdir(), 'cors-lens-fixture-'));
  cpSync(dir, target, { recursive: true });
  return target;
}
