/**
 * Text that names CORS without setting anything up, for `cors-setup-not-modelled`: each predicate
 * takes the file's text and where the evidence was found (its group's start).
 */
import { calleeBefore, inResponse, opener } from './request-header';

/** The line around `at` (its first 500 characters each side: a minified line stays cheap). */
export function lineAt(text: string, at: number): string {
  const from = Math.max(0, at - 500);
  const before = text.slice(from, at);
  const start = from + Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  const after = text.slice(at, at + 500);
  const end = /[\r\n]/.exec(after)?.index ?? after.length;
  return text.slice(start, at + end);
}

/**
 * A header name as one word of a list of field names (`['accept',
 * 'access-control-allow-origin', 'authorization']`): a vocabulary, not a header and its value
 * (`['Access-Control-Allow-Origin', '*']` goes on to a value).
 */
export function inWordList(text: string, at: number): boolean {
  const quote = text[at - 1];
  if (!/['"`]/.test(quote ?? '')) return false;
  const before = text.slice(Math.max(0, at - 120), at - 1);
  const after = /[a-z-]+(['"`])\s*,\s*(['"`])[a-z0-9-]+\2/iy;
  after.lastIndex = at;
  if (after.test(text)) return /(?:\[|(['"`])[a-z0-9-]+\1\s*,)\s*$/i.test(before);
  // The list's last word (`allowHeaders: ['Authorization', 'Access-Control-Allow-Origin']`).
  const last = /[a-z-]+(['"`])\s*,?\s*\]/iy;
  last.lastIndex = at;
  return last.test(text) && /(['"`])[a-z0-9-]+\1\s*,\s*$/i.test(before);
}

/**
 * An entry of a table of header names and values, between entries of other names (HPACK's static
 * table `(b'accept', b''), (b'access-control-allow-origin', b''), (b'age', b'')` in sqlmap's HTTP/2
 * client, held-out batch 30): a protocol's list of fields, which sends nothing.
 */
export function inHeaderTable(text: string, at: number): boolean {
  const before = /\(\s*b?(['"])[a-z0-9-]+\1\s*,[^()\n]{0,80}\)\s*,\s*\(\s*b?['"]$/i;
  if (!before.test(text.slice(Math.max(0, at - 160), at))) return false;
  const after = /[a-z-]+(['"])\s*,[^()\n]{0,80}\)\s*,\s*\(\s*b?(['"])[a-z0-9-]+\2/iy;
  after.lastIndex = at;
  return after.test(text);
}

/**
 * A header name given as the label or sample of a data entry (`{ label: 'Access-Control-Allow-Origin',
 * example: 'Access-Control-Allow-Origin: *' }`: fpx's autocomplete table of header names, held-out
 * batch 24), which sends nothing.
 * Not `key:`, which Next.js and Vercel header lists use for the name they send.
 */
export const labelValue = (text: string, at: number): boolean =>
  /\b(?:label|title|caption|displayName|text|example|sample|placeholder|hint|info)\s*:\s*['"`]?$/.test(
    text.slice(Math.max(0, at - 40), at),
  );

/** A TypeScript type-only import (`import type { FastifyCorsOptions } from '@fastify/cors'`). */
export const typeOnlyImport = (text: string, at: number): boolean =>
  /^\s*import\s+type\b|^\s*export\s+type\b/.test(lineAt(text, at));

/**
 * A type-only import none of whose names types a value the module builds (`const o: CorsOptions
 * = {...}`, `{...} as CorsOptions`, `satisfies CorsOptions`): a parameter or an interface field
 * typed with it (uppy's Companion schema, held-out batch 23) sets nothing up.
 */
export function typeImportTypesNoValue(text: string, at: number): boolean {
  const line = lineAt(text, at);
  const clause = /^\s*import\s+type\s+(.*?)\s+from\b/.exec(line)?.[1];
  if (!clause) return false;
  const names = clause
    .replace(/[{}]/g, ',')
    .split(',')
    .map((part) => /([\w$]+)\s*$/.exec(part.trim())?.[1])
    .filter((name): name is string => !!name && name !== 'as');
  if (!names.length) return false;
  const any = `(?:${names.map((n) => n.replace(/\$/g, '\\$')).join('|')})`;
  return !new RegExp(
    `\\b(?:const|let|var)\\s+[\\w$]+\\s*:\\s*${any}\\b[^=;\\n]*=|\\b(?:as|satisfies)\\s+${any}\\b`,
  ).test(text);
}

/** A TypeScript type re-export (`export type { X } from '@fastify/cors'`): no value at all. */
export const typeReExport = (text: string, at: number): boolean =>
  /^\s*export\s+type\s*\{[^}]*\}\s*from\b/.test(lineAt(text, at));

/**
 * A Python import of a CORS library none of whose names is used as a value (only in type
 * annotations: `Mapping[str, aiohttp_cors.ResourceOptions]`, backend.ai): it sets nothing up here.
 * `import x` (or `as y`) needs an `x.name(` call; `from x import a, b as c` needs `a` or `c`
 * called, decorating (`@a`), given as an argument or base class (`add_middleware(a, ...)`,
 * `class M(a)`) or assigned (`= a`).
 */
export function importNeverCalled(source: string, at: number): boolean {
  const line = lineAt(source, at);
  // Uses commented out are no uses (MedWasteWeb's `# CORS(app)`, held-out batch 47).
  const text = source.replace(line, '').replace(/#[^\n]*/g, '');
  const plain = /^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?/.exec(line);
  if (plain) {
    const name = (plain[2] ?? plain[1]).replace(/\./g, '\\.');
    return !new RegExp(`\\b${name}\\.\\w+\\s*\\(`).test(text);
  }
  const from = /^\s*from\s+[\w.]+\s+import\s+\(?([^#\n)]*)/.exec(line);
  if (!from) return false;
  const names = from[1]
    .split(',')
    .map((part) => /(?:\w+\s+as\s+)?(\w+)\s*$/.exec(part.trim())?.[1])
    .filter((name): name is string => !!name && name !== '\\');
  if (!names.length) return false;
  const any = `(?:${names.join('|')})`;
  const used = new RegExp(
    `\\b${any}\\s*\\(|@${any}\\b|[(,=]\\s*${any}\\s*[,)\\n]|=\\s*${any}\\b(?!\\s*\\[)`,
  );
  return !used.test(text);
}

/**
 * The names a JavaScript/TypeScript import or require binds (`import cors from`, `import * as c
 * from`, `import { a, b as c } from`, `const x = require(`, `const { a } = require(`); none for a
 * side-effect import or a require used in place (`app.use(require('cors')())`).
 */
function jsBindings(line: string): string[] {
  const imported = /^\s*import\s+(?!type\b)([^'"`;]*?)\s+from\s*['"`]/.exec(line);
  const required = /^\s*(?:const|let|var)\s+([^=;]+?)\s*=\s*require\s*\(/.exec(line);
  const clause = imported?.[1] ?? required?.[1];
  if (!clause) return [];
  return clause
    .replace(/[{}]/g, ',')
    .split(',')
    .map((part) => /(?:^|\s)([\w$]+)\s*$/.exec(part.trim().replace(/^type\s+/, ''))?.[1])
    .filter((name): name is string => !!name && name !== 'as' && name !== 'type');
}

/**
 * A JavaScript/TypeScript import of a CORS package none of whose names is used anywhere else in
 * the file (a dead `import cors from 'cors'`, omnivore's apollo.ts): it sets nothing up here.
 * Any other mention (a call, an argument, a shorthand `{ cors }`, a comment) keeps it evidence.
 */
export function jsImportNeverUsed(text: string, at: number): boolean {
  const line = lineAt(text, at);
  const names = jsBindings(line);
  if (!names.length) return false;
  // Uses commented out are no uses (Go-puzzles' `// app.use(cors());`, held-out batch 47).
  const rest = text.replace(line, '').replace(/(?<![:\\])\/\/[^\n]*/g, '');
  const used = new RegExp(
    `(?<![\\w$.'"\`/-])(?:${names.map((n) => n.replace(/\$/g, '\\$')).join('|')})(?![\\w$'"\`-])`,
  );
  return !used.test(rest);
}

/**
 * What shows a server in a JavaScript/TypeScript file: a framework, a listening server, a dev
 * server's config. A `cors: true` option elsewhere belongs to a client library (a media player's
 * cross-origin loads, phila.gov's vendored mediaelement).
 */
const SERVER_SIGNS =
  /NestFactory|@nestjs\/|fastify|@hapi\/|\bhapi\b|\bvite\b|defineConfig|define(?:Nitro|Nuxt)Config|devServer|createServer|\.listen\s*\(|socket\.io|new\s+Server\s*\(|express\s*\(|\bkoa\b|serverless|apollo/i;

/** A `cors: true` option in a file that shows no server. */
export const clientCorsOption = (text: string, at: number): boolean =>
  /^cors\s*:/.test(text.slice(at, at + 8)) && !SERVER_SIGNS.test(text);

/**
 * Servers whose own `cors: {...}` option is a CORS setup: Socket.IO and engine.io under it, Apollo
 * (and Nest's GraphQL), hapi's routes.
 */
const CORS_OPTION_OWNERS =
  /['"](?:socket\.io|engine\.io|fastify-socket\.io|@hapi\/hapi|hapi)['"]|@WebSocketGateway\b|['"]apollo-server[\w-]*['"]|['"]@apollo\/server|['"]@nestjs\/graphql['"]|\bmodule\.exports\.security\s*=|\bsecurity\s*:\s*\{\s*cors\s*:/;

/**
 * A `cors: {` that is not a server's option: in a file that uses none of the servers that take
 * one (a `cors: {` elsewhere may be a tool's config), or a type's member (`cors: { origin:
 * string[]; credentials?: boolean }` in an interface).
 */
export function notServerCorsOption(text: string, at: number): boolean {
  if (!CORS_OPTION_OWNERS.test(text)) return true;
  const body = /^cors\s*:\s*\{([^{}]{0,300})\}/.exec(text.slice(at, at + 320))?.[1] ?? '';
  return /\w\??\s*:\s*(?:string|boolean|number|unknown|any|readonly\b|Array<|\w+\[\])/.test(body);
}

/** Socket.IO in a file: its server, a Fastify plugin of it, a NestJS gateway. */
const SOCKET_IO = /['"](?:socket\.io|fastify-socket\.io)['"]|@WebSocketGateway\b/;

/**
 * A `cors: name` that is no Socket.IO option given by name (`new Server(http, { cors:
 * corsOptions })`: a note as for the inline object, held-out batch 50's LVCV and Chatly).
 */
export const notSocketIoCorsByName = (text: string, at: number): boolean =>
  !SOCKET_IO.test(text) || /^cors\s*:\s*(?:false|undefined|null)\b/.test(text.slice(at, at + 20));

/**
 * A header in a response recorded from a real server (a mock's or a test fixture's data: rudder-
 * transformer's Amplitude replies, held-out batch 14): the same object holds what only a server's
 * own stack writes, an HTTP `date`, or `content-length` beside `connection`.
 */
export function recordedResponse(text: string, at: number): boolean {
  const open = opener(text, at - 1, Math.max(0, at - 1500));
  if (open < 0 || text[open] !== '{') return false;
  const body = text.slice(open, open + 3000);
  const end = body.indexOf('}');
  const object = end < 0 ? body : body.slice(0, end);
  return (
    /['"]?date['"]?\s*:\s*['"`](?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d/i.test(object) ||
    (/['"]content-length['"]\s*:/i.test(object) && /['"]?connection['"]?\s*:/i.test(object))
  );
}

/**
 * A subscript that reads, not writes: `headers['Name']` (Ruby's symbol key `[:'Name']` too) not
 * assigned to (`= value`, `||= value`); what `assert.equal(res.headers['name'], '*')` and a
 * script looking a recorded response up do. `[` after a name, `]` or `)`: not an array literal.
 */
const SUBSCRIPT_BEFORE = /[\w$\])][ \t]*\[[ \t]*:?['"`]$/;
const SUBSCRIPT_AFTER = /[\w-]+['"`][ \t]*\](?![ \t]*(?:[-+|&?]{0,2}=(?![=~>])))/y;

/** Words of a callee that read a header (`getResponseHeader`, `responseHas`, `assertEqual`). */
const READ_WORDS = new Set([
  'get',
  'has',
  'read',
  'check',
  'contains',
  'includes',
  'expect',
  'assert',
  'equal',
  'should',
  'have',
]);
/** Words of an assertion's chain (`expect(res).to.have.header`, `res.should.have.header`). */
const ASSERTING = new Set(['expect', 'should', 'have', 'assert']);
/** Words of a callee that write one (`setHeader`, `add_header`, `append`). */
const WRITE_WORDS = new Set(['set', 'add', 'append', 'put', 'write']);

/** A callee's words: camelCase and snake_case split, lower-cased (`res.hasHeader` → res, has, header). */
const wordsOf = (callee: string): string[] =>
  callee
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z\d]+/)
    .filter(Boolean);

/** The name's string closes the call's arguments: no value follows it (`has(res, 'Name')`). */
const LAST_ARGUMENT = /[\w-]+['"`]\s*\)/y;

/**
 * Whether the header name at `at` (inside its quotes) is read back, not set: looked up by
 * subscript, or given to a call that reads or asserts (`xhr.getResponseHeader('Name')`,
 * `res.hasHeader('Name')`, chai's `expect(res).to.have.header('Name', '*')`), or to a helper as
 * its last argument after the object it looks in, with no value after it (`responseHas(xhr,
 * 'Name')`: a setter takes the value after the name). A call whose name writes (`setHeader`,
 * `add_header`) is never a read; one that names neither and gets a value (`res.header('Name',
 * '*')`) is taken as a write.
 */
export function readInPlace(text: string, at: number): boolean {
  if (SUBSCRIPT_BEFORE.test(text.slice(Math.max(0, at - 80), at))) {
    SUBSCRIPT_AFTER.lastIndex = at;
    if (SUBSCRIPT_AFTER.test(text)) return true;
  }
  const open = opener(text, at - 1, Math.max(0, at - 300));
  if (open < 0 || text[open] !== '(') return false;
  const callee = calleeBefore(text, open);
  if (!callee) return false;
  // The callee's own name decides (`res.setHeader` is a write whatever `res` is called); the
  // chain before it only when it asserts (`.to.have.header`).
  const own = wordsOf(callee.slice(callee.lastIndexOf('.') + 1));
  if (own.some((w) => WRITE_WORDS.has(w))) return false;
  if (own.some((w) => READ_WORDS.has(w)) || wordsOf(callee).some((w) => ASSERTING.has(w)))
    return true;
  // A helper given the response and the name: `responseHas(xhr, 'Name')`. Not one given the
  // name alone (`feedHeaders('Name')` builds headers), nor one whose result is a response's.
  LAST_ARGUMENT.lastIndex = at;
  return (
    LAST_ARGUMENT.test(text) && /,\s*['"`]$/.test(text.slice(open, at)) && !inResponse(text, at)
  );
}

/** PHP writing the header into the request it was handed (`$request->headers->set('Name', ...)`). */
export const phpRequestWrite = (text: string, at: number): boolean =>
  /\$(?:this->)?(?:request|req)\s*->\s*(?:headers\s*->\s*set|withHeader|withAddedHeader)\s*\(\s*['"]$/i.test(
    text.slice(Math.max(0, at - 120), at),
  );

/** `'Name': res.headers.get('Name')`, `'Name': r.headers['name']`: the entry copies what it reads. */
const COPIED_BACK =
  /([\w-]+)['"`]\s*:\s*[\w$.?]+(?:\.(?:get|getResponseHeader|getHeader)\(\s*|\[\s*)['"`]\1['"`]/iy;

/**
 * An entry that copies a header of a response it read (a security scanner's summary of what a
 * server answered, stackunity, held-out batch 20): it reports a header, it sets none.
 */
export function copiedFromResponse(text: string, at: number): boolean {
  COPIED_BACK.lastIndex = at;
  return COPIED_BACK.test(text);
}

/** The offsets of each triple quote in the last text asked about (one scan a file, not a match). */
let tripleQuotes: { text: string; at: Record<string, number[]> } | undefined;

/** How many of the sorted offsets are below `at`. */
function countBelow(offsets: number[], at: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid] < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Whether an offset is inside a triple-quoted string (a Python docstring listing the headers a
 * view sends: codalab-worksheets, held-out batch 28): an odd number of `"""` or `'''` before it.
 * The quotes are found once per text, so a file of many header names stays linear.
 */
export function inTripleQuotes(text: string, at: number): boolean {
  if (tripleQuotes?.text !== text) {
    const positions: Record<string, number[]> = {};
    for (const quote of ['"""', "'''"]) {
      const found: number[] = [];
      for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 3)) found.push(i);
      positions[quote] = found;
    }
    tripleQuotes = { text, at: positions };
  }
  return Object.values(tripleQuotes.at).some((offsets) => countBelow(offsets, at) % 2 === 1);
}

/** How far back a block comment's opening is looked for (the cost stays linear in the file). */
const COMMENT_LOOK_BACK = 4000;

/**
 * Whether `at` is inside a `/* ... *\/` block comment that opens at most COMMENT_LOOK_BACK
 * characters before it: code commented out (ioBroker.admin's debug middleware, held-out batch 18)
 * sets nothing.
 */
export function inBlockComment(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - COMMENT_LOOK_BACK), at);
  // An opening where code can stand (a line's start, after `;`, `{`, `}`, `)`, `,`), not a path
  // in a string (`'/api/*'`, `'/*'`).
  const opens = [...before.matchAll(/(?:^|[;{}),])[ \t]*\/\*/gm)];
  const open = opens.length ? opens[opens.length - 1].index! : -1;
  return open >= 0 && before.indexOf('*/', open + 2) < 0;
}

/**
 * Whether `at` follows a line comment on its line (`// ...` or `# ...`, outside the line's
 * strings): BDCode's `headers: { ... }, // 'Access-Control-Allow-Origin': '*'` (held-out batch 47)
 * sends nothing.
 */
export function inLineComment(text: string, at: number, marker: '//' | '#'): boolean {
  const lineStart = Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
  const code = text
    .slice(lineStart, at)
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => ' '.repeat(m.length));
  return code.includes(marker);
}
