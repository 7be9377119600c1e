import { defaultName, loadSeeds, type Lang, type Seed } from './corpus';
import { concatBytes } from './bytes';
import { Rng, seedFor } from './prng';

/** One fuzz input: the bytes of a file and the name it is saved under (its extension picks the grammar). */
export interface Input {
  /** `<seed>:<index>`: regenerate with inputAt(seed, index). */
  id: string;
  /** The mutator (family/variant) that made it. */
  mutator: string;
  /** Where its text came from. */
  origin: string;
  name: string;
  bytes: Buffer;
}

export const pathologicalRegexes = [
  String.raw`^(https?://)?(.*)*\.example\.com$`,
  String.raw`(a+)+$`,
  String.raw`^(\w+\.?)*example\.com$`,
  String.raw`^https://(([a-z0-9]+)*)+\.example\.com$`,
  String.raw`^(([a-z])+.)+[A-Z]([a-z])+$`,
  String.raw`^https://(.*a){20}$`,
  String.raw`^(https?://)?([a-z0-9-]+\.?)+\.example\.com$`,
  String.raw`^(.*?,){30}P$`,
  String.raw`(x+x+)+y`,
  String.raw`^https://(\w|\w\w)*\.example\.com$`,
];

const pyPrelude =
  'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\n';
const jsPrelude =
  "import express from 'express';\nimport cors from 'cors';\n\nconst app = express();\n";

/** A file for each framework's regex setting holding `re` (escaped for that language). */
export function regexFile(framework: string, re: string): { name: string; text: string } {
  const py = re.replace(/"/g, '\\"');
  const js = re.replace(/\//g, '\\/');
  const php = re.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  switch (framework) {
    case 'django':
      return {
        name: 'settings.py',
        text: `${pyPrelude}CORS_ALLOW_CREDENTIALS = True\nCORS_ALLOWED_ORIGIN_REGEXES = [\n    r"${py}",\n]\n`,
      };
    case 'fastapi':
      return {
        name: 'main.py',
        text: `from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origin_regex=r"${py}", allow_credentials=True)\n`,
      };
    case 'flask':
      return {
        name: 'app.py',
        text: `import re\nfrom flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, resources={r"/api/*": {"origins": [r"${py}", re.compile(r"${py}")]}}, supports_credentials=True)\n`,
      };
    case 'express':
      return {
        name: 'app.js',
        text: `${jsPrelude}app.use(cors({ origin: [/${js}/, new RegExp(${JSON.stringify(re)})], credentials: true }));\n`,
      };
    case 'express-ts':
      return {
        name: 'app.ts',
        text: `${jsPrelude}app.use(\n  cors({\n    origin: /${js}/i,\n    credentials: true,\n  }),\n);\n`,
      };
    case 'handset':
      return {
        name: 'server.mjs',
        text:
          `import http from 'node:http';\nhttp.createServer((req, res) => {\n  const origin = req.headers.origin;\n ` +
          ` if (origin && /${js}/.test(origin)) {\n    res.setHeader('Access-Control-Allow-Origin', origin);\n ` +
          `   res.setHeader('Access-Control-Allow-Credentials', 'true');\n  }\n  res.end('ok');\n}).listen(3000);\n`,
      };
    case 'rack':
      return {
        name: 'config/initializers/cors.rb',
        text: `Rails.application.config.middleware.insert_before 0, Rack::Cors do\n  allow do\n    origins /${js}/, %r{${re.replace(/[{}]/g, (c) => '\\' + c)}}i\n    resource '/api/*', headers: :any, methods: [:get, :post], credentials: true\n  end\nend\n`,
      };
    case 'laravel':
      return {
        name: 'config/cors.php',
        text: `<?php\n\nreturn [\n    'paths' => ['api/*'],\n    'allowed_origins' => [],\n    'allowed_origins_patterns' => ['#${php}#'],\n    'supports_credentials' => true,\n];\n`,
      };
    case 'php-handset':
      return {
        name: 'public/api.php',
        text:
          `<?php\n$origin = $_SERVER['HTTP_ORIGIN'] ?? '';\nif (preg_match('/${js.replace(/'/g, "\\'")}/', $origin)) {\n` +
          `    header("Access-Control-Allow-Origin: $origin");\n    header('Access-Control-Allow-Credentials: true');\n}\necho 'ok';\n`,
      };
    case 'nginx':
    default:
      return {
        name: 'nginx.conf',
        text:
          `server {\n    listen 80;\n    location /api/ {\n        if ($http_origin ~* "${re.replace(/"/g, '\\"')}") ` +
          `{\n            add_header Access-Control-Allow-Origin $http_origin always;\n            add_header ` +
          `Access-Control-Allow-Credentials true always;\n            add_header Vary Origin always;\n ` +
          `       }\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n`,
      };
  }
}
export const regexFrameworks = [
  'django',
  'fastapi',
  'flask',
  'express',
  'express-ts',
  'handset',
  'rack',
  'laravel',
  'php-handset',
  'nginx',
];

/** A file allowlisting `n` origins in each framework (every origin malformed when `bad`, so each is a finding). */
export function originsFile(lang: Lang, n: number, bad: boolean): { name: string; text: string } {
  const origin = (i: number) =>
    bad ? `https://app${i}.example.com/` : `https://app${i}.example.com`;
  const list = (quote: string, sep: string) =>
    Array.from({ length: n }, (_, i) => `${quote}${origin(i)}${quote}`).join(sep);
  switch (lang) {
    case 'python':
      return {
        name: 'settings.py',
        text: `${pyPrelude}CORS_ALLOWED_ORIGINS = [\n    ${list('"', ',\n    ')},\n]\n`,
      };
    case 'javascript':
    case 'typescript':
      return {
        name: lang === 'typescript' ? 'app.ts' : 'app.js',
        text: `${jsPrelude}app.use(cors({ origin: [\n  ${list("'", ',\n  ')},\n], credentials: true }));\n`,
      };
    case 'ruby':
      return {
        name: 'config/initializers/cors.rb',
        text: `Rails.application.config.middleware.insert_before 0, Rack::Cors do\n  allow do\n    origins ${list("'", ',\n            ')}\n    resource '*', headers: :any, methods: :any\n  end\nend\n`,
      };
    case 'php':
      return {
        name: 'config/cors.php',
        text: `<?php\n\nreturn [\n    'paths' => ['api/*'],\n    'allowed_origins' => [\n        ${list("'", ',\n        ')},\n    ],\n    'supports_credentials' => true,\n];\n`,
      };
    case 'nginx':
      return {
        name: 'nginx.conf',
        text: `map $http_origin $cors_origin {\n    default "";\n${Array.from({ length: n }, (_, i) => `    "${origin(i)}" $http_origin;`).join('\n')}\n}\nserver {\n    location / {\n        add_header Access-Control-Allow-Origin $cors_origin always;\n    }\n}\n`,
      };
  }
}

/**
 * Deeply nested code for each language (balanced, or only the openers when `open`); PHP without
 * `<?php`, to insert in a PHP file.
 */
export function deepNesting(lang: Lang, kind: number, depth: number, open = false): string {
  const rep = (s: string, n: number) => s.repeat(n);
  const close = (s: string) => (open ? '' : s);
  switch (lang) {
    case 'python':
      return [
        `CORS_ALLOWED_ORIGINS = ${rep('[', depth)}"https://a.example.com"${close(rep(']', depth))}\n`,
        `CORS_ALLOWED_ORIGINS = ${rep('{"a": ', depth)}1${close(rep('}', depth))}\n`,
        `X = ${rep('f(', depth)}1${close(rep(')', depth))}\n`,
        `CORS_ALLOWED_ORIGINS = ${rep('(', depth)}"https://a.example.com",${close(rep(')', depth))}\n`,
      ][kind % 4];
    case 'javascript':
    case 'typescript':
      return [
        `const origins = ${rep('[', depth)}'https://a.example.com'${close(rep(']', depth))};\n`,
        `app.use(cors(${rep('{ origin: ', depth)}true${close(rep(' }', depth))}));\n`,
        `app.use(${rep('cors(', depth)}${close(rep(')', depth))});\n`,
        `${rep('if (a) { ', depth)}res.setHeader('Access-Control-Allow-Origin', '*');${close(rep(' }', depth))}\n`,
        `const f = ${rep('() => ', depth)}1;\n`,
      ][kind % 5];
    case 'ruby':
      return [
        `x = ${rep('[', depth)}'https://a.example.com'${close(rep(']', depth))}\n`,
        `${rep('allow do\n', depth)}origins '*'\n${close(rep('end\n', depth))}`,
        `${rep('foo {', depth)} 1 ${close(rep('}', depth))}\n`,
        `origins ${rep('(', depth)}'*'${close(rep(')', depth))}\n`,
      ][kind % 4];
    case 'php':
      return [
        `$origins = ${rep('[', depth)}'https://a.example.com'${close(rep(']', depth))};\n`,
        `${rep('if ($a) { ', depth)}header('Access-Control-Allow-Origin: *');${close(rep(' }', depth))}\n`,
        `return ${rep("['allowed_origins' => ", depth)}['*']${close(rep(']', depth))};\n`,
        `$x = ${rep('f(', depth)}1${close(rep(')', depth))};\n`,
      ][kind % 4];
    case 'nginx':
      return [
        `${rep('location / {\n', depth)}add_header Access-Control-Allow-Origin * always;\n${close(rep('}\n', depth))}`,
        `${rep('if ($http_origin) {\n', depth)}add_header Access-Control-Allow-Origin $http_origin;\n${close(rep('}\n', depth))}`,
        `server {\n${rep('{', depth)}${close(rep('}', depth))}\n}\n`,
      ][kind % 3];
  }
}
export const nestingDepth: Record<Lang, number> = {
  python: 3000,
  javascript: 3000,
  typescript: 3000,
  ruby: 2500,
  nginx: 1000,
  php: 3000,
};

const snippets = [
  '*',
  "'*'",
  '"*"',
  'True',
  'origin: true',
  'CORS_ALLOW_ALL_ORIGINS = True\n',
  'CORS_ALLOWED_ORIGINS = ["https://a.example.com/"]\n',
  "origins '*'\n",
  'add_header Access-Control-Allow-Origin $http_origin;\n',
  "res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n",
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '"',
  "'",
  '`${',
  '"""',
  '\\',
  '#',
  '//',
  '/*',
  ';',
  '\n',
  '\r',
  '\t',
  '\u00e9',
  '\u{1F600}',
  '\u2028',
  '\ufeff',
  'end\n',
  'do\n',
  'r"^https://.*$"',
  '/^https:\\/\\/.*$/',
];

const splitLines = (text: string): string[] => text.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) ?? [];

type Mutator = (
  rng: Rng,
  seed: Seed,
  seeds: Seed[],
) => { mutator: string; origin?: string; name?: string; bytes: Buffer | string };

const mutators: { weight: number; fn: Mutator }[] = [
  // Byte flips.
  {
    weight: 10,
    fn: (rng, seed) => {
      const b = Buffer.from(seed.text, 'utf8');
      const n = rng.int(1, 8);
      for (let i = 0; i < n && b.length > 0; i++) b[rng.int(0, b.length - 1)] ^= 1 << rng.int(0, 7);
      return { mutator: 'bytes/flip', bytes: b };
    },
  },
  // Line deletions, duplications, swaps.
  {
    weight: 12,
    fn: (rng, seed) => {
      const lines = splitLines(seed.text);
      const op = rng.pick(['delete', 'duplicate', 'swap']);
      const n = rng.int(1, 4);
      for (let i = 0; i < n && lines.length > 1; i++) {
        const a = rng.int(0, lines.length - 1);
        const b = rng.int(0, lines.length - 1);
        if (op === 'delete') lines.splice(a, rng.int(1, 3));
        else if (op === 'duplicate') lines.splice(a, 0, ...lines.slice(a, a + rng.int(1, 3)));
        else [lines[a], lines[b]] = [lines[b], lines[a]];
      }
      return { mutator: `lines/${op}`, bytes: lines.join('') };
    },
  },
  // Snippet insertions at random offsets.
  {
    weight: 10,
    fn: (rng, seed) => {
      let t = seed.text;
      const n = rng.int(1, 5);
      for (let i = 0; i < n; i++) {
        const at = rng.int(0, t.length);
        t = t.slice(0, at) + rng.pick(snippets) + t.slice(at);
      }
      return { mutator: 'text/insert', bytes: t };
    },
  },
  // Splices of two fixtures, also across languages (the name comes from either).
  {
    weight: 10,
    fn: (rng, seed, seeds) => {
      const other = rng.pick(seeds);
      const a = splitLines(seed.text);
      const b = splitLines(other.text);
      const text = [...a.slice(0, rng.int(0, a.length)), ...b.slice(rng.int(0, b.length))].join('');
      const name = rng.chance(0.5) ? seed.name : other.name;
      return {
        mutator: other.lang === seed.lang ? 'splice/same-language' : 'splice/cross-language',
        origin: `${seed.source}+${other.source}`,
        name,
        bytes: text,
      };
    },
  },
  // A whole fixture saved as another language (JavaScript saved as .py).
  {
    weight: 5,
    fn: (rng, seed, seeds) => {
      const others = seeds.filter((s) => s.lang !== seed.lang);
      const other = rng.pick(others);
      return {
        mutator: `cross-language/${seed.lang}-as-${other.lang}`,
        name: other.name,
        bytes: seed.text,
      };
    },
  },
  // Deep nesting inserted at a line boundary (or replacing the file).
  {
    weight: 6,
    fn: (rng, seed) => {
      const lines = splitLines(seed.text);
      const depth = Math.round(
        nestingDepth[seed.lang] * (rng.chance(0.7) ? 1 : rng.float() * 1.5 + 0.2),
      );
      const kind = rng.int(0, 9);
      const open = rng.chance(0.2);
      const at = rng.int(0, lines.length);
      if (lines.length > 0 && at > 0 && !/[\r\n]$/.test(lines[at - 1])) lines[at - 1] += '\n';
      lines.splice(at, 0, deepNesting(seed.lang, kind, depth, open));
      return {
        mutator: `nesting/${seed.lang}-${kind % 5}${open ? '-open' : ''}`,
        bytes: lines.join(''),
      };
    },
  },
  // Line endings.
  {
    weight: 8,
    fn: (rng, seed) => {
      const kind = rng.pick(['cr', 'crlf', 'mixed', 'lfcr']);
      const lf = seed.text.replace(/\r\n?/g, '\n');
      const text =
        kind === 'cr'
          ? lf.replace(/\n/g, '\r')
          : kind === 'crlf'
            ? lf.replace(/\n/g, '\r\n')
            : kind === 'lfcr'
              ? lf.replace(/\n/g, '\n\r')
              : lf.replace(/\n/g, () => rng.pick(['\n', '\r', '\r\n']));
      return { mutator: `eol/${kind}`, bytes: text };
    },
  },
  // Encodings.
  {
    weight: 8,
    fn: (rng, seed) => {
      const kind = rng.pick([
        'bom',
        'utf16le',
        'utf16le-bom',
        'invalid-utf8',
        'nul',
        'binary-noise',
        'latin1',
      ]);
      const utf8 = Buffer.from(seed.text, 'utf8');
      const insertAt = (b: Buffer, extra: Buffer) => {
        const at = rng.int(0, b.length);
        return concatBytes([b.subarray(0, at), extra, b.subarray(at)]);
      };
      let bytes: Buffer;
      if (kind === 'bom') bytes = concatBytes([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
      else if (kind === 'utf16le') bytes = Buffer.from(seed.text, 'utf16le');
      else if (kind === 'utf16le-bom')
        bytes = concatBytes([Buffer.from([0xff, 0xfe]), Buffer.from(seed.text, 'utf16le')]);
      else if (kind === 'latin1') bytes = Buffer.from(seed.text.replace(/a/g, '\u00e4'), 'latin1');
      else if (kind === 'invalid-utf8') {
        bytes = utf8;
        for (let i = rng.int(1, 6); i > 0; i--)
          bytes = insertAt(
            bytes,
            Buffer.from(
              rng.pick([
                [0xff],
                [0xc3],
                [0xe2, 0x82],
                [0xc0, 0xaf],
                [0xed, 0xa0, 0x80],
                [0xf8, 0x88, 0x80, 0x80, 0x80],
              ]),
            ),
          );
      } else if (kind === 'nul') {
        bytes = utf8;
        for (let i = rng.int(1, 10); i > 0; i--)
          bytes = insertAt(bytes, Buffer.alloc(rng.int(1, 4)));
      } else
        bytes = rng.chance(0.5)
          ? rng.bytes(rng.int(1, 64 * 1024))
          : insertAt(utf8, rng.bytes(rng.int(1, 4096)));
      return { mutator: `encoding/${kind}`, bytes };
    },
  },
  // Huge files.
  {
    weight: 2,
    fn: (rng, seed) => {
      const kind = rng.pick(['2mb', 'long-line', 'origins']);
      if (kind === '2mb') {
        const reps = Math.ceil((2 * 1024 * 1024) / Math.max(seed.text.length, 1));
        return {
          mutator: 'huge/2mb',
          bytes: (seed.text.endsWith('\n') ? seed.text : seed.text + '\n')
            .repeat(Math.min(reps, 200_000))
            .slice(0, 2 * 1024 * 1024),
        };
      }
      if (kind === 'long-line') {
        const payload = 'x'.repeat(1024 * 1024);
        const line =
          seed.lang === 'python' || seed.lang === 'ruby'
            ? `LONG = "${payload}"\n`
            : seed.lang === 'nginx'
              ? `# ${payload}\n`
              : `const LONG = '${payload}';\n`;
        return {
          mutator: 'huge/long-line',
          bytes: rng.chance(0.5) ? line + seed.text : seed.text + '\n' + line,
        };
      }
      const f = originsFile(seed.lang, 10_000, rng.chance(0.5));
      return {
        mutator: `huge/origins-${seed.lang}`,
        origin: 'generated',
        name: f.name,
        bytes: f.text,
      };
    },
  },
  // Pathological origin regexes in each framework's regex setting.
  {
    weight: 5,
    fn: (rng) => {
      const fw = rng.pick(regexFrameworks);
      const f = regexFile(fw, rng.pick(pathologicalRegexes));
      return { mutator: `regex/${fw}`, origin: 'generated', name: f.name, bytes: f.text };
    },
  },
];

const totalWeight = mutators.reduce((n, m) => n + m.weight, 0);

/** Input `index` of the run seeded `seed`: a fixture picked and mutated 1–2 times, deterministically. */
export function inputAt(seed: number, index: number): Input {
  const seeds = loadSeeds();
  const rng = new Rng(seedFor(seed, index));
  const base = rng.pick(seeds);
  let pickValue = rng.float() * totalWeight;
  let chosen = mutators[0];
  for (const m of mutators) {
    pickValue -= m.weight;
    if (pickValue < 0) {
      chosen = m;
      break;
    }
  }
  const r = chosen.fn(rng, base, seeds);
  let bytes = typeof r.bytes === 'string' ? Buffer.from(r.bytes, 'utf8') : r.bytes;
  let mutator = r.mutator;
  // Sometimes a second, cheap mutation on top (line endings or a byte flip) of a small result.
  if (bytes.length < 100_000 && rng.chance(0.15)) {
    const second = rng.pick(mutators.slice(0, 3));
    const again = second.fn(rng, { ...base, text: bytes.toString('utf8') }, seeds);
    bytes = typeof again.bytes === 'string' ? Buffer.from(again.bytes, 'utf8') : again.bytes;
    mutator += `+${again.mutator}`;
  }
  return {
    id: `${seed}:${index}`,
    mutator,
    origin: r.origin ?? base.source,
    name: r.name ?? base.name,
    bytes,
  };
}

export { defaultName };
