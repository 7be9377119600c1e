import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzip } from './bytes';
import type { FailureKind } from './cli-driver';

export const regressionsDir = path.join(__dirname, 'regressions');

export interface Reproducer {
  /** regressions/<slug> */
  folder: string;
  /** The name it is analysed under (the saved file without `.repro[.gz]`). */
  name: string;
  kind: FailureKind;
  signature: string;
  bytes: Buffer;
  /** The fuzz input it was found as (`seed:index`), when known: the language server replays its edits. */
  input?: { seed: number; index: number };
}

/** Every saved reproducer (folders with a meta.json). */
export function loadReproducers(dir = regressionsDir): Reproducer[] {
  if (!existsSync(dir)) return [];
  const out: Reproducer[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const metaFile = path.join(dir, entry, 'meta.json');
    if (!existsSync(metaFile)) continue;
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as {
      kind: FailureKind;
      signature: string;
      file: string;
      input?: string;
    };
    const input = /^(\d+):(\d+)$/.exec(meta.input ?? '');
    const raw = readFileSync(path.join(dir, entry, meta.file));
    out.push({
      folder: `regressions/${entry}`,
      name: meta.file.replace(/\.repro(\.gz)?$/, ''),
      kind: meta.kind,
      signature: meta.signature,
      bytes: meta.file.endsWith('.gz') ? gunzip(raw) : raw,
      ...(input ? { input: { seed: Number(input[1]), index: Number(input[2]) } } : {}),
    });
  }
  return out;
}
