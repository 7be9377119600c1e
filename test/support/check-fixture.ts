import { LineIndex, splitLines } from '../../server/src/base/positions';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeTree, type Analysis } from '../../server/src/analysis/analyze';
import { DiskReader } from '../../server/src/base/disk-reader';
import { defaultSettings, type CorsLensSettings } from '../../server/src/analysis/settings';
import type { SourceReader } from '../../server/src/base/source-reader';
import type { Finding } from '../../server/src/checks/types';
import type { TextEdit } from '../../server/src/policy/edits';
import { grammarForText } from '../../server/src/parsing/languages';
import { nextModules } from './next-install';
import { parseText } from '../../server/src/parsing/parser';
import { walk } from '../../server/src/analysis/walk';
import { WorkspaceIndex } from '../../server/src/analysis/workspace-index';
import type { WorkspaceFacts } from '../../server/src/workspace/types';

/** Analyses one file as the LSP and CLI do, reading its imports through `reader`. */
export async function analyzeText(
  file: string,
  text: string,
  reader: SourceReader = new DiskReader(),
  settings: Partial<CorsLensSettings> = {},
  workspace?: WorkspaceFacts,
): Promise<Analysis> {
  const tree = await parseText(grammarForText(file, text) ?? 'python', text);
  try {
    return await analyzeTree(
      file,
      text,
      tree,
      reader,
      { ...defaultSettings, ...settings },
      workspace,
    );
  } finally {
    tree.delete();
  }
}

/** A case folder's workspace facts (the frontend calls of its JS/TS files), as the CLI builds them. */
export async function workspaceOf(dir: string): Promise<WorkspaceFacts> {
  const index = new WorkspaceIndex();
  for (const file of walk(dir)) await index.update(file, readFileSync(file, 'utf8'));
  return index.facts();
}

/** Applies non-overlapping edits to one file's text (from the end backwards). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

/** The line and UTF-16 column of an offset (`\r`, `\n` and `\r\n` end lines, as in LSP). */
const position = (text: string, offset: number): { line: number; character: number } =>
  new LineIndex(text).position(offset);

/** The source with `~~~` under each finding and its severity, check and message. */
export function renderFindings(text: string, findings: Finding[]): string {
  const lines = splitLines(text);
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
      out.push(
        end.line === index
          ? `    | ${marker} ${finding.severity} ${finding.check}: ${finding.message}`
          : `    | ${marker}`,
      );
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

/** Runs `node --check` on a JavaScript text; returns the error output, or '' when it parses. */
export function nodeCheck(text: string, name = 'app.js'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-js-'));
  try {
    const file = path.join(dir, path.basename(name));
    writeFileSync(file, text);
    execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Type-checks TypeScript texts with one `tsc --noEmit` call (it is slow to start: batch them).
 * Imports resolve against the repository's node_modules (express, cors and their @types).
 * Returns tsc's output, or '' when every file checks.
 */
export function tscCheck(files: { name: string; text: string }[]): string {
  if (!files.length) return '';
  const root = path.resolve(__dirname, '../..');
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-ts-'));
  try {
    const names = files.map(({ name, text }, i) => {
      const file = path.join(dir, String(i), path.basename(name));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    });
    const compilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: 'es2022',
      module: 'commonjs',
      moduleResolution: 'node',
      esModuleInterop: true,
      jsx: 'preserve',
      types: ['node'],
      typeRoots: [path.join(root, 'node_modules/@types')],
      baseUrl: dir,
      paths: {
        // hono exposes its middleware through `exports` only, which `moduleResolution: node` does not read.
        'hono/*': [
          path.join(root, 'node_modules/hono/dist/types/middleware/*'),
          path.join(root, 'node_modules/hono/dist/types/*'),
        ],
        '*': [
          path.join(root, 'node_modules/*'),
          path.join(root, 'node_modules/@types/*'),
          // Next.js route fixtures import next/server: the real Next, installed outside the repo.
          ...(files.some((f) => /from ['"]next\//.test(f.text))
            ? [path.join(nextModules(), '*')]
            : []),
        ],
      },
    };
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: names }),
    );
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], {
      stdio: 'pipe',
    });
    return '';
  } catch (error) {
    const out = error as { stdout?: Buffer; stderr?: Buffer };
    return String(out.stdout ?? '') + String(out.stderr ?? '') || String(error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes `text` to a temp file named `name` and runs `command ...args, file`; returns the error
 * output, or '' when the tool accepts the file.
 */
export function toolCheck(command: string, args: string[], text: string, name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-check-'));
  try {
    const file = path.join(dir, path.basename(name));
    writeFileSync(file, text);
    execFileSync(command, [...args, file], { stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `ruby -c` on a Ruby text (a `.rb` or a rackup `.ru`): '' when it parses. */
export const rubyCheck = (text: string, name = 'cors.rb'): string =>
  toolCheck('/usr/bin/ruby', ['-c'], text, name);

/** `php -l` on a PHP text: '' when it parses (php -l reports syntax errors on stdout). */
export function phpCheck(text: string, name = 'index.php'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-php-'));
  try {
    const file = path.join(dir, path.basename(name));
    writeFileSync(file, text);
    execFileSync('/usr/bin/php', ['-l', file], { stdio: 'pipe' });
    return '';
  } catch (error) {
    const failed = error as { stdout?: Buffer; stderr?: Buffer };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}` || String(error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A YAML text loads with PyYAML (Debian's python3-yaml): '' when it does. */
export const yamlCheck = (text: string, name = 'nelmio_cors.yaml'): string =>
  toolCheck(
    '/usr/bin/python3',
    ['-c', 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))'],
    text,
    name,
  );
