/**
 * What typing costs as the editor feels it: from sending `didChange` (one keystroke, incremental)
 * to receiving `publishDiagnostics` for that version, through the bundled server over stdio; the
 * cold open of a document in a fresh server (grammar load included); and tree-sitter's
 * incremental reparse of the same keystrokes alone, in process: the part no analysis work lowers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { grammarFor } from '../server/src/parsing/languages';
import { DocumentTrees } from '../server/src/parsing/document-trees';
import { LspTestClient } from '../test/protocol/lsp-client';
import { positionAt, type BenchDocument } from './support/sources';

/** One keystroke: edit number `i` types the next character of `doc.typed`, or deletes one. */
export interface Keystroke {
  /** Offset of the edit in the text before it. */
  offset: number;
  /** Characters removed at `offset` (0 or 1). */
  removed: number;
  inserted: string;
}

/**
 * The i-th keystroke: type `typed` one character at a time, then delete it one character at a
 * time (backspace), and again: the text goes through every broken state typing produces.
 */
export function keystroke(doc: BenchDocument, i: number): Keystroke {
  const n = doc.typed.length;
  const k = i % (2 * n);
  if (k < n) return { offset: doc.at + k, removed: 0, inserted: doc.typed[k] };
  return { offset: doc.at + (2 * n - k - 1), removed: 1, inserted: '' };
}

/** Applies a keystroke to a text. */
const apply = (text: string, key: Keystroke) =>
  text.slice(0, key.offset) + key.inserted + text.slice(key.offset + key.removed);

/** Writes the document to a scratch folder (the server reads neighbours from disk) and returns its URI. */
function scratchFile(doc: BenchDocument): { uri: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-bench-'));
  const file = path.join(dir, doc.fileName);
  writeFileSync(file, doc.text);
  return {
    uri: pathToFileURL(file).href,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The CPU time (user + system, ms) a process has used, from `/proc` (Linux); undefined elsewhere.
 * Both of the server's threads count.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** What typing cost: each keystroke's wall clock, and the server's CPU time per keystroke. */
export interface EditTimes {
  times: number[];
  /**
   * The server's CPU time per keystroke after the first tenth (V8 still compiles our code
   * then): unlike the wall clock, it holds on a busy machine. Undefined off Linux.
   */
  serverCpuMs?: number;
}

/** didChange → publishDiagnostics for `edits` keystrokes, each sent once the previous one's diagnostics arrived. */
export async function measureEdits(doc: BenchDocument, edits: number): Promise<EditTimes> {
  const { uri, cleanup } = scratchFile(doc);
  const { client } = await LspTestClient.start({ settings: {} });
  const warm = Math.floor(edits / 10);
  let cpuAtWarm: number | undefined;
  try {
    let text = doc.text;
    await client.open(uri, text, 1, doc.languageId);
    await client.diagnostics(uri, 1);
    const times: number[] = [];
    for (let i = 0; i < edits; i++) {
      if (i === warm) cpuAtWarm = processCpuMs(client.child.pid);
      const key = keystroke(doc, i);
      const start = positionAt(text, key.offset);
      const end = { line: start.line, character: start.character + key.removed };
      text = apply(text, key);
      const version = i + 2;
      const t0 = performance.now();
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range: { start, end }, text: key.inserted }],
      });
      await client.diagnostics(uri, version);
      times.push(performance.now() - t0);
    }
    const cpuAtEnd = processCpuMs(client.child.pid);
    const serverCpuMs =
      cpuAtWarm === undefined || cpuAtEnd === undefined
        ? undefined
        : (cpuAtEnd - cpuAtWarm) / (edits - warm);
    return { times, serverCpuMs };
  } finally {
    await client.stop();
    cleanup();
  }
}

/** didOpen → publishDiagnostics in a fresh server (after `initialize`), once per round. */
export async function measureColdOpen(doc: BenchDocument, rounds: number): Promise<number[]> {
  const { uri, cleanup } = scratchFile(doc);
  const times: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const { client } = await LspTestClient.start({ settings: {} });
      try {
        const t0 = performance.now();
        await client.open(uri, doc.text, 1, doc.languageId);
        await client.diagnostics(uri, 1);
        times.push(performance.now() - t0);
      } finally {
        await client.stop();
      }
    }
    return times;
  } finally {
    cleanup();
  }
}

/**
 * The same keystrokes in this process, tree-sitter's incremental reparse alone (no analysis, no
 * LSP): the floor under an edit's latency that no analysis work can lower.
 */
export async function measureReparse(doc: BenchDocument, edits: number): Promise<number[]> {
  const grammar = grammarFor(doc.fileName)!;
  const trees = new DocumentTrees();
  try {
    let text = doc.text;
    await trees.update('bench', grammar, text);
    const times: number[] = [];
    for (let i = 0; i < edits; i++) {
      text = apply(text, keystroke(doc, i));
      const t0 = performance.now();
      await trees.update('bench', grammar, text);
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    trees.dispose();
  }
}
