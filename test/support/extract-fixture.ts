/**
 * The extractor fixtures: `test/fixtures/extract/<framework-id>/<case>/`, each the file(s) a
 * project of that shape has, `case.json` naming the file under test. Shared by the policy
 * snapshots (test/unit/extract/snapshots.test.ts) and the model snapshots
 * (test/unit/models/snapshots.test.ts), so both read the same policies the analysis reads.
 */
import { LineIndex, splitLines } from '../../server/src/base/positions';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DiskReader } from '../../server/src/base/disk-reader';
import { extractPolicies } from '../../server/src/frameworks';
import { grammarFor } from '../../server/src/parsing/languages';
import { parseText } from '../../server/src/parsing/parser';
import type { NameList, Policy, SourceRef, Span } from '../../server/src/policy/types';

export const extractRoot = path.join(__dirname, '../fixtures/extract');

export interface ExtractCase {
  /** The folder's framework id (`test/fixtures/extract/<framework>/`). */
  framework: string;
  name: string;
  dir: string;
  /** The file under test, absolute. */
  file: string;
  /** An origin the policy allows, for the model matrix, when its allowlist has only patterns. */
  allowedOrigin?: string;
  /** Paths to ask the model on, tried in order: the first a policy's path filter covers is used. */
  samplePaths: string[];
}

interface CaseJson {
  file?: string;
  allowedOrigin?: string;
  samplePaths?: string[];
}

/** Every case folder, sorted by framework then case name. */
export function extractCases(): ExtractCase[] {
  const cases: ExtractCase[] = [];
  for (const framework of readdirSync(extractRoot).sort()) {
    const frameworkDir = path.join(extractRoot, framework);
    if (!statSync(frameworkDir).isDirectory()) continue;
    for (const name of readdirSync(frameworkDir).sort()) {
      const dir = path.join(frameworkDir, name);
      if (!statSync(dir).isDirectory()) continue;
      const json: CaseJson = existsSync(path.join(dir, 'case.json'))
        ? JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8'))
        : {};
      if (!json.file)
        throw new Error(
          `${path.relative(extractRoot, dir)}/case.json must name the file under test`,
        );
      cases.push({
        framework,
        name,
        dir,
        file: path.join(dir, json.file),
        allowedOrigin: json.allowedOrigin,
        samplePaths: json.samplePaths ?? [],
      });
    }
  }
  return cases;
}

/** The file's policies exactly as the analysis extracts them (one parse, imports read from disk). */
export async function extractCase(c: ExtractCase): Promise<{ text: string; policies: Policy[] }> {
  const text = readFileSync(c.file, 'utf8');
  const grammar = grammarFor(c.file);
  if (!grammar) throw new Error(`${c.file}: no grammar reads this file name`);
  const tree = await parseText(grammar, text);
  try {
    return { text, policies: await extractPolicies(grammar, c.file, text, tree, new DiskReader()) };
  } finally {
    tree.delete();
  }
}

/** One span of a policy and the field it belongs to. */
interface Mark {
  span: Span;
  field: string;
}

const quote = (s: string) => JSON.stringify(s);

/** Every span a policy holds, named by its field (a SourceRef's label and name span included). */
function marks(policy: Policy): Mark[] {
  const out: Mark[] = [];
  const ref = (field: string, r: SourceRef | undefined) => {
    if (!r) return;
    out.push({ span: r.span, field: `${field} (${r.label})` });
    if (r.nameSpan) out.push({ span: r.nameSpan, field: `${field}.nameSpan` });
  };
  if (policy.at) out.push({ span: policy.at, field: 'at' });
  const o = policy.origins;
  ref('origins.allowAllAt', o.allowAllAt);
  ref('origins.listAt', o.listAt);
  ref('origins.iteratedString', o.iteratedString);
  ref('origins.reflectAny', o.reflectAny);
  o.exact.forEach(
    (e, i) => e.span && out.push({ span: e.span, field: `origins.exact[${i}] ${quote(e.value)}` }),
  );
  o.regexes.forEach(
    (r, i) =>
      r.span && out.push({ span: r.span, field: `origins.regexes[${i}] ${quote(r.pattern)}` }),
  );
  ref('startupError', policy.startupError);
  ref('credentialsAt', policy.credentialsAt);
  ref('methods.at', policy.methods.at);
  ref('headers.at', policy.headers.at);
  ref('expose.at', policy.expose.at);
  if (policy.varyAt) out.push({ span: policy.varyAt, field: 'varyAt' });
  if (policy.preflightAt) out.push({ span: policy.preflightAt, field: 'preflightAt' });
  return out;
}

const list = (l: NameList) => {
  const flags = [
    l.wildcard && 'wildcard',
    l.dynamic && 'dynamic',
    l.option && `option ${l.option}`,
  ].filter(Boolean);
  return `[${l.names.join(', ')}]${flags.length ? ` (${flags.join(', ')})` : ''}`;
};

/** The neutral fields of a policy, one per line (spans are drawn under the source below). */
function fields(policy: Policy, rel: (file: string) => string): string[] {
  const o = policy.origins;
  const lines = [
    `framework: ${policy.framework}`,
    `files: ${policy.files.map(rel).join(', ')}`,
    `configured: ${policy.configured}${policy.handSet ? ', handSet' : ''}`,
    `origins.allowAll: ${o.allowAll}`,
    `origins.exact: [${o.exact.map((e) => quote(e.value)).join(', ')}]`,
    `origins.regexes: [${o.regexes.map((r) => `${quote(r.pattern)} ${r.flavor}${r.flags ? ` /${r.flags}` : ''}`).join(', ')}]`,
    `origins.dynamic: ${o.dynamic}`,
    `origins.envDriven: ${o.envDriven}`,
  ];
  if (o.reflectAny) lines.push(`origins.reflectAny: yes`);
  if (o.iteratedString)
    lines.push(`origins.iteratedString: yes${o.iteratedString.envDriven ? ' (env-driven)' : ''}`);
  if (policy.startupError) lines.push(`startupError: ${policy.startupError.label}`);
  lines.push(
    `credentials: ${policy.credentials}${policy.credentialsOption ? ` (option ${policy.credentialsOption})` : ''}`,
    `methods: ${list(policy.methods)}`,
    `headers: ${list(policy.headers)}`,
    `expose: ${list(policy.expose)}`,
    `maxAge: ${policy.maxAge}`,
    `urlRegex: ${policy.urlRegex === null ? 'null' : quote(policy.urlRegex)}`,
    `allowPrivateNetwork: ${policy.allowPrivateNetwork}`,
  );
  if (policy.samplePath !== undefined) lines.push(`samplePath: ${policy.samplePath}`);
  if (policy.varyAt === null) lines.push('varyAt: null (another policy of the file owns it)');
  return lines;
}

/** The line and UTF-16 column of an offset (`\r`, `\n` and `\r\n` end lines, as in LSP). */
const position = (text: string, offset: number): { line: number; character: number } =>
  new LineIndex(text).position(offset);

/**
 * The source lines the spans sit on, in order, each once and followed by a `~~~` row under every
 * span's columns on it and the field's name. A span over more than three lines is drawn on its
 * first and last line only; a multi-line span names its lines.
 */
function underline(text: string, spans: Mark[]): string[] {
  const lines = splitLines(text);
  const rows = new Map<number, string[]>();
  const sorted = [...spans].sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  for (const { span, field } of sorted) {
    const start = position(text, span.start);
    const end = position(text, span.end);
    const label =
      start.line === end.line ? field : `${field} (lines ${start.line + 1}-${end.line + 1})`;
    const shown =
      end.line - start.line > 2
        ? [start.line, end.line]
        : Array.from({ length: end.line - start.line + 1 }, (_, i) => start.line + i);
    for (const index of shown) {
      const line = lines[index] ?? '';
      const from = index === start.line ? start.character : line.length - line.trimStart().length;
      const to = index === end.line ? end.character : line.length;
      const row = `    | ${' '.repeat(from)}${'~'.repeat(Math.max(1, to - from))} ${label}`;
      rows.set(index, [...(rows.get(index) ?? []), row]);
    }
  }
  return [...rows.keys()]
    .sort((a, b) => a - b)
    .flatMap((index) => [
      `${String(index + 1).padStart(3)} | ${lines[index]}`,
      ...(rows.get(index) ?? []),
    ]);
}

/** The policies of a case as a readable snapshot: the neutral fields, then every span in its source. */
export function renderPolicies(c: ExtractCase, text: string, policies: Policy[]): string {
  const rel = (file: string) => path.relative(c.dir, file) || path.basename(file);
  if (!policies.length) return 'no policies\n';
  const parts = policies.map((policy, i) => {
    const out = [`=== policy ${i + 1}/${policies.length}`, ...fields(policy, rel)];
    const all = marks(policy);
    const files = [...new Set(all.map((m) => m.span.file))].sort((a, b) =>
      a === c.file ? -1 : b === c.file ? 1 : a.localeCompare(b),
    );
    for (const file of files) {
      const source = file === c.file ? text : readFileSync(file, 'utf8');
      out.push(
        `--- ${rel(file)}`,
        ...underline(
          source,
          all.filter((m) => m.span.file === file),
        ),
      );
    }
    return out.join('\n');
  });
  return parts.join('\n\n') + '\n';
}
