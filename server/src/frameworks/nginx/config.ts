/**
 * An nginx configuration as nginx reads it: directives with decoded argument tokens and blocks,
 * `include`s replaced by the directives of the files they name (within the workspace).
 */
import { maskTemplates } from '../../parsing/template-mask';
import { nested } from '../../lang/nesting';
import { InputLimit } from '../../base/input-limit';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Node, Parser } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import { createParser } from '../../parsing/parser';
import type { NginxToken } from './facts';
import type { Span } from '../../policy/types';
import type { SourceReader } from '../../base/source-reader';
import { BlockMemo } from './block-memo';

/** One directive: `name args... ;` or `name args... { block }`. */
export interface Directive {
  name: NginxToken;
  args: NginxToken[];
  /** The directives of its block, when it has one. */
  block?: Directive[];
  /** The whole directive, name to `;` or `}`. */
  span: Span;
  /** The `{ ... }` block, braces included. */
  body?: Span;
}

/** A configuration file and the files it includes, read into directives. */
export interface Config {
  directives: Directive[];
  /** Every file read, the root first. */
  files: string[];
}

const ESCAPES: Record<string, string> = {
  t: '\t',
  r: '\r',
  n: '\n',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** A token's value as ngx_conf_read_token leaves it: quotes dropped, `\"`, `\\`, `\t`... decoded, other `\x` kept. */
export function decodeToken(raw: string): { value: string; quoted: boolean } {
  const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]);
  const body = quoted ? raw.slice(1, -1) : raw;
  return { value: body.replace(/\\([\s\S])/g, (all, c: string) => ESCAPES[c] ?? all), quoted };
}

const MAX_INCLUDE_DEPTH = 8;
const MAX_INCLUDED_FILES = 64;
/**
 * Directives copied in by includes, at every level: a snippet included 30 times in a file itself
 * included 30 times, four levels down, is 810,000 directives (fuzz), which no check can replay.
 */
const MAX_INCLUDED_DIRECTIVES = 20_000;

/** Reads a parsed nginx file and, through `reader`, the files its `include`s name. */
export async function readConfig(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Config> {
  const files = [file];
  // The walk itself is synchronous (an await per directive cost more than reading it): the
  // parser for included files is made first, and only when the file includes any.
  const parser = /\binclude\s/.test(text) ? await createParser('nginx') : undefined;
  try {
    // A template's values as the tree holds them: `{{ origin }}` reads as a variable.
    const directives = fromNodes({ file, text: maskTemplates(text) }, tree.root, {
      reader,
      files,
      base: path.dirname(file),
      depth: 0,
      parser,
      includes: 0,
      chain: [file],
      read: new Map(),
      copied: { count: 0 },
    });
    return { directives: directives ?? [], files };
  } finally {
    memo.commit();
    parser?.delete();
  }
}

/** A file being read and its text. */
interface Source {
  file: string;
  text: string;
}

interface ReadState {
  reader: SourceReader;
  files: string[];
  /** nginx resolves relative includes against its configuration prefix: the root file's folder. */
  base: string;
  depth: number;
  /** Parses included files (absent when the root file has no `include`). */
  parser?: Parser;
  /** `include` directives met so far: a block holding one depends on other files. */
  includes: number;
  /** The files being included, outermost first: one that includes itself again is a cycle. */
  chain: string[];
  /** Each included file's directives, read once however often it is included. */
  read: Map<string, Directive[]>;
  /** Directives copied in by includes so far, shared by every level. */
  copied: { count: number };
}

const memo = new BlockMemo();

/** A node whose own children (not its block's directives) hold a syntax error or a missing token. */
const broken = (node: Node): boolean =>
  node.isMissing ||
  node.type === 'ERROR' ||
  node.children.some((c) => !!c && (c.isError || c.isMissing));

/**
 * A block's directives, or undefined when the block is being typed: with one error in it, none
 * of its directives count (and its own directive is left out), so no check reasons from half a
 * block. The file's top level is a block too. (`hasError` is one call for the whole subtree: only
 * a block with an error somewhere is searched for where.)
 */
function fromNodes(source: Source, parent: Node, state: ReadState): Directive[] | undefined {
  const out: Directive[] = [];
  const nodes = parent.namedChildren;
  if (parent.hasError && nodes.some((n) => !!n && broken(n))) return undefined;
  for (const node of nodes) {
    if (!node || node.type !== 'directive') continue;
    const directive = fromNode(source, node, state);
    if (!directive) continue;
    if (directive.name.value === 'include' && !directive.block && directive.args.length === 1) {
      state.includes++;
      append(out, include(directive.args[0].value, state), state);
    } else out.push(directive);
  }
  return out;
}

/** A directive, from the memo when it is a block read before with the same text. */
function fromNode(source: Source, node: Node, state: ReadState): Directive | undefined {
  const { file, text } = source;
  const start = node.startIndex;
  const own = text.slice(start, node.endIndex);
  if (!own.endsWith('}') || node.hasError) return readDirective(source, node, state);
  const known = memo.get(file, own, start);
  if (known) return known;
  const includes = state.includes;
  const directive = readDirective(source, node, state);
  if (directive && state.includes === includes) memo.set(file, own, start, directive);
  return directive;
}

function readDirective(source: Source, node: Node, state: ReadState): Directive | undefined {
  const { file, text } = source;
  const token = (n: Node): NginxToken => {
    const span = { file, start: n.startIndex, end: n.endIndex };
    // Slicing our own text: `node.text` goes through the tree's text callback, a cost per token.
    return { ...decodeToken(text.slice(span.start, span.end)), span };
  };
  // One query for all children (the grammar puts the name first, then arguments, then the
  // block; comments may sit anywhere) instead of one per field: directives are most of a config.
  let nameNode: Node | undefined;
  let body: Node | undefined;
  const args: NginxToken[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'block') body = child;
    else if (!nameNode) nameNode = child;
    else args.push(token(child));
  }
  // Blocks nested past the cap are unreadable, like a broken one: the reader recurses per level.
  const block = body
    ? nested(
        () => fromNodes(source, body, state),
        () => undefined,
      )
    : undefined;
  if (!nameNode || (body && ((body.hasError && broken(body)) || !block))) return undefined;
  return {
    name: token(nameNode),
    args,
    block,
    span: { file, start: node.startIndex, end: node.endIndex },
    body: body ? { file, start: body.startIndex, end: body.endIndex } : undefined,
  };
}

/**
 * Adds an include's directives to `out`, one by one (`push(...more)` passes each as an argument,
 * more than the stack holds), up to the limit on copied directives.
 */
function append(out: Directive[], more: Directive[], state: ReadState): void {
  state.copied.count += more.length;
  if (state.copied.count > MAX_INCLUDED_DIRECTIVES)
    throw new InputLimit(
      `its includes copy in more than ${MAX_INCLUDED_DIRECTIVES.toLocaleString('en')} directives (files included many times over, at several levels), more than CORS Lens reads`,
    );
  for (const directive of more) out.push(directive);
}

/** The directives of the files an `include` names; unreadable or outside-workspace files add none. */
function include(pattern: string, state: ReadState): Directive[] {
  if (state.depth >= MAX_INCLUDE_DEPTH || !state.parser) return [];
  const out: Directive[] = [];
  for (const file of resolveInclude(pattern, state.base)) {
    // A snippet included in several places adds its directives in each (cis-vproxy's cors.conf
    // in five locations, held-out batch 27: only the first had them).
    const known = state.read.get(file);
    if (known) {
      if (!state.chain.includes(file)) append(out, known, state);
      continue;
    }
    if (state.chain.includes(file) || state.files.length >= MAX_INCLUDED_FILES) continue;
    const raw = state.reader.read(file);
    if (raw === undefined) continue;
    const text = maskTemplates(raw);
    if (!state.files.includes(file)) state.files.push(file);
    const tree = state.parser.parse(text);
    if (!tree) continue;
    try {
      const directives =
        fromNodes({ file, text }, tree.rootNode, {
          ...state,
          depth: state.depth + 1,
          chain: [...state.chain, file],
        }) ?? [];
      state.read.set(file, directives);
      append(out, directives, state);
    } finally {
      tree.delete();
    }
  }
  return out;
}

/**
 * The workspace files an include names. A relative path resolves against the root file's folder
 * (nginx's prefix). Otherwise the path is looked up by its trailing parts under that folder and
 * up to three folders above it, where repositories keep a copy of /etc/nginx: an absolute
 * `/etc/nginx/snippets/cors.conf`, or mempool's `include mempool/production/nginx/x.conf` for a
 * repository checked out under the prefix. The machine's own /etc/nginx is never read: the
 * result must not depend on the machine.
 */
export function resolveInclude(pattern: string, base: string): string[] {
  const parts = pattern.split('/').filter(Boolean);
  const folders = [base];
  for (let i = 0; i < 3; i++) folders.push(path.dirname(folders[folders.length - 1]));
  const candidates = [
    ...(path.isAbsolute(pattern) ? [] : [path.join(base, pattern)]),
    ...parts
      .map((_, i) => parts.slice(i).join('/'))
      .flatMap((tail) => [...new Set(folders)].map((folder) => path.join(folder, tail))),
  ];
  for (const candidate of candidates) {
    const found = expandGlob(candidate);
    if (found.length) return found;
  }
  return [];
}

/**
 * A file name glob as a regex: `*`, `?`, and `[...]` classes (`[!...]` negated) as glob(3) reads
 * them; a `[` that no `]` closes is itself (a file cut mid-typing: `cors.co[nf`).
 */
function globRegex(name: string): RegExp {
  let re = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    const close = c === '[' ? name.indexOf(']', i + 2) : -1;
    if (close > 0) {
      const body = name
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/[\\\]]/g, '\\$&');
      re += `[${body}]`;
      i = close;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    // A class JavaScript refuses (`[z-a]`): no file name matches it, as glob(3) would match none.
    return /(?!)/;
  }
}

/** A path whose last part may hold `*` and `?`: the matching files, sorted as nginx's glob does. */
function expandGlob(file: string): string[] {
  const name = path.basename(file);
  if (!/[*?[]/.test(name)) return existsSync(file) ? [file] : [];
  const dir = path.dirname(file);
  if (/[*?[]/.test(dir)) return [];
  const regex = globRegex(name);
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && regex.test(entry.name) && !entry.name.startsWith('.'))
      .map((entry) => path.join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}
