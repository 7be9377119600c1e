import { lineFeeds } from '../base/positions';
import { SERVERLESS_ENTRY } from '../lang/javascript/serverless-entry';
import { matchesWithinBudget } from '../base/budget';
import { readBack, sentByClient } from './support/request-header';
import {
  clientCorsOption,
  notServerCorsOption,
  notSocketIoCorsByName,
  importNeverCalled,
  inBlockComment,
  inTripleQuotes,
  copiedFromResponse,
  inWordList,
  inHeaderTable,
  labelValue,
  phpRequestWrite,
  jsImportNeverUsed,
  lineAt,
  readInPlace,
  recordedResponse,
  typeOnlyImport,
  typeReExport,
  typeImportTypesNoValue,
} from './support/not-a-setup';
import { isTestModule } from '../workspace/test-module';
import { HEADERS_MORE } from '../lang/nginx/headers-more';
import type { Policy, Span } from '../policy/types';
import { handsetLabel } from '../lang/handset-policy';
import type { AnalysedFile, Check, Report } from './types';

/**
 * What shows a CORS setup in a file: a CORS response header written as a string, an nginx
 * `add_header` of one, a CORS library imported or registered, a django-cors-headers setting.
 * Group 1 is the part a finding points at.
 */
const EVIDENCE: {
  pattern: RegExp;
  what: string;
  /** Matches that are not evidence. */
  not?: (text: string, at: number) => boolean;
  /** Matches that are evidence only where the file shows no other. */
  weak?: (text: string, at: number) => boolean;
}[] = [
  {
    pattern: /(add_header\s+['"]?Access-Control-Allow-[A-Za-z-]+)/i,
    what: 'an add_header of a CORS header',
  },
  {
    // The name as a string of its own (a quote or a template literal's backtick, not
    // reStructuredText's ``literal``): closed before code goes on (`,`, `)`, `=>`, a line's
    // end), or a whole header line (`'Name: *'`). Not one quoted inside prose (a translation, a
    // description), a key whose value is a description (`'Name': {schema}`), nor a header
    // read back (`.get('Name')`, as browser code reads a response's; a subscript lookup that is
    // not assigned to, `headers['name']`; a call that reads or asserts, `hasHeader('Name')`,
    // `.to.have.header('Name', '*')`), nor one a client sends on its request
    // (`cors-header-on-request` says so) or reads back through a variable.
    // Nor a word of a list of field names, nor a Markdown link's text (`[`Name`](url)`), nor
    // code commented out in a block comment, nor a docstring's list of headers.
    not: (text, at) =>
      sentByClient(text, at) ||
      readBack(text, at) ||
      readInPlace(text, at) ||
      copiedFromResponse(text, at) ||
      phpRequestWrite(text, at) ||
      inWordList(text, at) ||
      inHeaderTable(text, at) ||
      labelValue(text, at) ||
      recordedResponse(text, at) ||
      inBlockComment(text, at) ||
      inTripleQuotes(text, at),
    pattern:
      /(?<!\b(?:get|has|getResponseHeader|getHeader)\(\s*)(?:['"]|(?<![`[])`)(Access-Control-Allow-(?:Origin|Credentials|Methods|Headers))\b(?=\s*:|['"`]\s*(?:[,)\]};=+.]|=>|:(?!\s*\{)|$))/im,
    what: 'a CORS response header',
  },
  {
    // A header name put together at run time: `"Access-Control-Allow-#{key}"` (sensu, held-out
    // batch 10), `` `Access-Control-Allow-${k}` ``, f-strings, `'Access-Control-Allow-' + k`.
    not: (text, at) => sentByClient(text, at) || readBack(text, at) || readInPlace(text, at),
    pattern: /(?:['"`]|\bf['"])(Access-Control-(?:Allow|Expose)-)(?=#\{|\$\{|\{|['"`]\s*[+.])/i,
    what: 'a CORS response header built at run time',
  },
  {
    // The libraries' header-name constants (aiohttp's `hdrs.`, django-cors-headers' middleware).
    pattern: /\b((?:hdrs\.)?ACCESS_CONTROL_ALLOW_(?:ORIGIN|CREDENTIALS|METHODS|HEADERS))\b/,
    what: 'a CORS response header',
  },
  {
    // A Python module named for CORS: flask_cors, corsheaders, aiohttp_cors, quart_cors,
    // sanic_cors, wsgicors (paasta, held-out batch 27), fastapi.middleware.cors,
    // starlette.middleware.cors, litestar.config.cors (not a project's own `.cors_handler`, nor
    // JS `import cors from`), when something of it is called here.
    not: importNeverCalled,
    pattern:
      /^[ \t]*((?:from|import)\s+(?:(?:\w+_)?cors(?:headers)?|wsgicors|(?:fastapi|starlette)\.middleware\.cors|litestar\.config\.cors)(?:\.\w+)*)(?=\s+import\b|[ \t]*(?:,|\bas\b|#|$))(?![^\n]*\bfrom\s*['"])/m,
    what: 'a CORS library import',
  },
  {
    // A package named for CORS: cors, @fastify/cors, @koa/cors, hono/cors, nextjs-cors, koa2-cors
    // and kcors (not a project's own `./cors` module, which is checked where it is written; nor
    // a type-only import where the file shows something else, nor one whose names the file never
    // uses).
    weak: typeOnlyImport,
    // A type re-exported (`export type { FastifyCorsOptions as CorsOptions } from '@fastify/cors'`:
    // cord-api-v3, held-out batch 21) sets nothing up anywhere.
    not: (text, at) =>
      typeReExport(text, at) || jsImportNeverUsed(text, at) || typeImportTypesNoValue(text, at),
    pattern:
      // Not `has-cors`, engine.io-client's test of whether the browser's XHR can do CORS
      // (boardgame.io's bundled docs, held-out batch 22).
      /((?:require\(\s*|\bfrom\s+)['"](?!has-cors['"])(?:@[\w.-]+\/)?(?:[\w-]+[/-])?k?cors(?:-[\w.-]*)?['"])/,
    what: 'a CORS library import',
  },
  { pattern: /(\.enableCors\(|\bcors\s*:\s*true\b)/, what: 'a CORS option', not: clientCorsOption },
  // Cornice's `Service(..., cors_policy=...)` / `cors_origins=...` (assembl, held-out batch 31).
  {
    pattern: /\b(cors_(?:policy|origins))\s*=(?!=)/,
    what: 'a CORS option',
    not: (text) => !/\bcornice\b/.test(text),
  },
  // oRPC's `new CORSPlugin({...})` among a handler's plugins (f3-nation, held-out batch 31).
  { pattern: /(\bnew\s+CORSPlugin\s*\()/, what: 'a CORS plugin' },
  // apollo-server-express 2/3 (and its koa, hapi and fastify twins): `applyMiddleware` mounts
  // `cors()` at its path unless told `cors: false` (openbeta-graphql, held-out batch 32).
  {
    pattern: /(\.applyMiddleware\s*\()\s*\{/,
    what: "a GraphQL server's built-in cors()",
    not: (text, at) =>
      !/['"]apollo-server-(?:express|koa|hapi|fastify)['"]/.test(text) ||
      /^[^)]*\bcors\s*:\s*false\b/.test(text.slice(at, at + 400)),
  },
  // Egg's cors plugin (egg-cors, @koa/cors underneath), configured in `config/config.*.js`.
  { pattern: /(\bconfig\.cors\s*=\s*\{)/, what: 'a CORS option' },
  // python-socketio's (and Flask-SocketIO's) `cors_allowed_origins=...` (bazarr, held-out batch 11).
  { pattern: /(\bcors_allowed_origins\s*=)/, what: 'a CORS option' },
  // A project's own CORS middleware class installed with options (fief's `CORSMiddlewarePath`, a
  // subclass of Starlette's: held-out batch 14), where the file does not model it.
  {
    pattern: /(\badd_middleware\s*\(\s*[\w.]*(?:CORS|Cors)[\w.]*)(?=\s*,)/,
    what: 'a CORS middleware',
  },
  // Falcon's own `falcon.CORSMiddleware(...)` and `falcon.App(cors_enable=True)` where the Falcon
  // reader found no setup (robotoff, held-out batch 17, before Falcon was modelled).
  {
    pattern: /(\bfalcon\.CORSMiddleware\s*\(|\bcors_enable\s*=\s*True\b)/,
    what: 'a CORS middleware',
  },
  // oslo.middleware's CORS (OpenStack services: zaqar, held-out batch 21): `cors.CORS(app, conf)`
  // and `cors.set_defaults(...)` where the module imports it.
  {
    pattern: /(\bcors\.(?:CORS|set_defaults)\s*\()/,
    what: 'a CORS middleware',
    not: (text) => !/^[ \t]*from[ \t]+oslo_middleware[ \t]+import[ \t][^\n]*\bcors\b/m.test(text),
  },
  // aiohttp-middlewares' `cors_middleware(allow_all=..., origins=...)`.
  { pattern: /(\bcors_middleware\s*\()/, what: 'a CORS call' },
  // A server's own CORS options (Socket.IO's `new Server(http, { cors: { origin } })`, a NestJS
  // gateway's, Apollo's): only where the file uses one (elsewhere it may be a tool's config).
  { pattern: /(\bcors\s*:\s*\{)/, what: 'a CORS option', not: notServerCorsOption },
  {
    pattern: /(\bcors\s*:\s*[A-Za-z_$][\w$.]*)(?=\s*[,}\n])/,
    what: 'a CORS option',
    not: notSocketIoCorsByName,
  },
  // A framework's CORS middleware given options (Effect's `HttpApiBuilder.middlewareCors({...})`).
  { pattern: /(\.(?:middlewareCors|cors)\s*\()(?=\s*\{)/, what: 'a CORS call' },
  // A framework's own CORS call (CakePHP's `$this->response->cors($request, $domains)`).
  { pattern: /(->\s*cors\s*\()/, what: 'a CORS call' },
  // h3's CORS utilities and nitro-cors' `useCORS(event, ...)` (npmx.dev, media-service: held-out
  // batches 19 and 20).
  // Not a function of the project's own, imported from a relative module (video-host-api's
  // `handleCors(app)` from `./cors`, which wraps hono/cors: held-out batch 34): its setup is
  // checked in that module.
  {
    pattern: /\b((?:handleCors|useCORS|appendCorsHeaders|appendCorsPreflightHeaders)\s*\()/,
    what: 'a CORS call',
    not: (text, at) => {
      const name = /^\w+/.exec(text.slice(at))?.[0] ?? '';
      return new RegExp(
        String.raw`\bimport\s*\{[^}]*\b${name}\b[^}]*\}\s*from\s*['"](?:\.{1,2}\/|[@~]\/)|\b${name}\b[^=;\n]*=\s*require\s*\(\s*['"]\.{1,2}\/`,
      ).test(text);
    },
  },
  // `NestFactory.create(AppModule, { cors })` with options it cannot read.
  { pattern: /(NestFactory\s*\.\s*create\b)(?=[^;]{0,400}?\bcors\b)/, what: 'a CORS option' },
  {
    // Rack::Cors installed or built, not a constant merely read (emma's header-name listing,
    // held-out batch 21: `string_constants(Rack::Cors, 'HTTP_')`).
    // Nor a bare `require 'rack/cors'` in a file that never uses it (a Rails engine's list of
    // gem requires: wingolfsplattform, held-out batch 26; the setup is in an initializer).
    not: (text, at) =>
      (text.startsWith('Rack::Cors', at) &&
        !/\b(?:use|insert(?:_before|_after)?|unshift|swap|new|do)\b|\{/.test(lineAt(text, at))) ||
      (text.startsWith('require', at) && !/Rack::Cors|\bcross_origin\b/.test(text)),
    // The library's class itself, not a project's own `Goliath::Contrib::Rack::CorsAccessControl`
    // (cocowrite-backend, held-out batch 54: the note named Rack::Cors).
    pattern:
      /((?<![\w:]\w*::|\w)Rack::Cors\b|require\s+['"](?:rack\/cors|sinatra\/cross_origin)['"])/,
    what: 'a CORS library',
  },
  // neomerx/cors-psr7 (FastyBird's gateway-node, held-out batch 26): its Analyzer and Settings.
  { pattern: /^[ \t]*(use[ \t]+Neomerx\\Cors\\[\w\\]+)/m, what: 'a CORS library import' },
  // tuupola/cors-middleware, neomerx's PSR-15 wrapper for Slim (democrata-back, held-out batch 55:
  // `new Tuupola\Middleware\CorsMiddleware([...])`, silent).
  // Built, not only imported: its `use` beside a `require` of the file that builds it says nothing.
  {
    pattern: /\bnew\s+\\?(Tuupola\\Middleware\\CorsMiddleware\b|CorsMiddleware(?=\s*\())/,
    what: 'a CORS library',
    not: (text, at) =>
      text.startsWith('CorsMiddleware', at) &&
      !/^[ \t]*use[ \t]+Tuupola\\Middleware\\CorsMiddleware\b/m.test(text),
  },
  // sinatra-cors' settings (sinatra-app-template, held-out batch 55: `set :allow_origin, '*'`).
  {
    pattern: /^[ \t]*(register[ \t]+Sinatra::Cors\b|set[ \t]+:allow_origin\b)/m,
    what: 'a CORS setting',
  },
  {
    pattern:
      /^[ \t]*(CORS_(?:ALLOWED_ORIGINS|ALLOW_ALL_ORIGINS|ORIGIN_WHITELIST|ORIGIN_ALLOW_ALL|ALLOWED_ORIGIN_REGEXES))\s*=/m,
    what: 'a CORS setting',
  },
];

/** A line this long is a minified bundle's (its 500 characters each side of the evidence). */
const MINIFIED_LINE = 900;

/** How many header names one file is asked about (`not`) before it is noted anyway. */
const MAX_ASKED = 50;

/** A line that is a comment from its start: `#`, `//`, `/*`, a block's `*`, `<!--` (sticky). */
const COMMENT_LINE = /[ \t]*(?:#|\/\/|\/\*|\*|<!--)/y;

/**
 * The first evidence of a CORS setup that is code, not a comment (Rails' commented-out
 * initializer). Line starts are found walking forward with the matches (any line end counts, `\r`
 * alone too, as the editor's positions do), so a file of thousands of commented-out matches costs
 * one pass a pattern, not a scan back to the file's start per match.
 */
function evidenceIn(text: string): { at: number; seen: string; what: string } | undefined {
  return firstEvidence(text, true) ?? firstEvidence(text, false);
}

/**
 * The first evidence; `strong`: none that is `weak` (a type-only import of a CORS package: where
 * the file also calls or configures something, the note points there; alone, at the import).
 */
function firstEvidence(
  text: string,
  strong: boolean,
): { at: number; seen: string; what: string } | undefined {
  for (const { pattern, what, not, weak } of EVIDENCE) {
    let lineStart = 0;
    let scanned = 0;
    let commentLine: number | undefined;
    let asked = 0;
    for (const match of matchesWithinBudget(
      text,
      new RegExp(pattern.source, `${pattern.flags}g`),
    )) {
      const at = match.index + match[0].indexOf(match[1]);
      for (; scanned < at; scanned++) {
        const c = text.charCodeAt(scanned);
        if (c === 10 || c === 13) lineStart = scanned + 1;
      }
      if (commentLine === lineStart) continue;
      COMMENT_LINE.lastIndex = lineStart;
      if (COMMENT_LINE.test(text) && COMMENT_LINE.lastIndex <= at) commentLine = lineStart;
      // Past MAX_ASKED names a client's, the file is noted anyway (the cost stays linear).
      else if ((!strong || !weak?.(text, at)) && (!not || ++asked > MAX_ASKED || !not(text, at)))
        return { at, seen: match[1], what };
    }
  }
  return undefined;
}

/** The evidence as shown: `.enableCors(` as `.enableCors()`, `cors: {` as `cors: {...}`. */
/** The setup as seen, on one line (a call split over lines read `add_middleware(\n    CORS...`). */
const shown = (written: string) => {
  const seen = written.replace(/\s*\n\s*/g, ' ').replace(/\( /g, '(');
  return (
    seen +
    ')'.repeat(Math.max(0, seen.split('(').length - seen.split(')').length)) +
    (seen.endsWith('{') ? '...}' : '')
  );
};

const LOOP = /\b(?:for\s*\(|for\s+\w+(?:\s*,\s*\w+)*\s+(?:in|of)\b|forEach\s*\(|Object\.entries\()/;
/** How far from a CORS header name a loop is taken to set it (characters each side). */
const NEAR = 400;
/**
 * Whether a loop near the header name at `at` sets it: a loop after the name (over a table that
 * holds it), or one before it whose body the name is in (braces still open; in Python, every line
 * since the `for` indented deeper). A loop before it that only computes a value does not.
 */
function loopSets(text: string, at: number): boolean {
  // After the name only when the name is an entry of a table (`{ 'Name': ... }`, `['Name', ...]`,
  // a tuple), not a call's argument (deepstream's `setHeader('Name', '*')` above a loop, held-out batch 21).
  const entry = /(?:[{,]|(?<![\w$\])])[[(])\s*(?:['"`]|[\w$]+\.)?$/.test(
    text.slice(Math.max(0, at - 40), at),
  );
  if (entry && LOOP.test(text.slice(at, at + NEAR))) return true;
  const from = Math.max(0, at - NEAR);
  const before = text.slice(from, at);
  for (const loop of before.matchAll(new RegExp(LOOP.source, 'g'))) {
    const between = before.slice(loop.index);
    const open = (between.match(/\{/g) ?? []).length - (between.match(/\}/g) ?? []).length;
    if (open > 0) return true;
    const lineStart = before.lastIndexOf('\n', loop.index) + 1;
    const indent = /^[ \t]*/.exec(before.slice(lineStart))![0].length;
    const lines = between.split(/\r\n|\r|\n/).slice(1);
    if (
      lines.length &&
      /:\s*$/.test(between.split(/\r\n|\r|\n/)[0]) &&
      lines.every((line) => !line.trim() || /^[ \t]*/.exec(line)![0].length > indent)
    )
      return true;
  }
  return false;
}

/**
 * Mounting calls: the module does more than export the setup. A route given a CORS middleware
 * (`router.options('/', cors({...}))`, in a router factory) mounts it too, as does any route the
 * module registers by path (`app.options('/upload', preflight)`), a server it wraps
 * (`micro(withCors(handler))`) or a handler a library builds (`server.createHandler({...})`):
 * Ackee and capgo, held-out batch 14.
 */
const ROUTE_METHOD = String.raw`\.(?:options|get|post|put|patch|delete|all|head|route)\s*\(`;
const MOUNTS = new RegExp(
  [
    String.raw`\.(?:use|register|enableCors)\s*\(|\bcreateServer\s*\(|\.listen\s*\(|\bNestFactory\b`,
    String.raw`${ROUTE_METHOD}[^;]{0,300}?[(,]\s*[\w$]*[cC]ors[\w$]*\s*(?:<[^<>()]*>)?\s*\(`,
    String.raw`${ROUTE_METHOD}\s*['"\`/]|\bmicro\s*\(|\.createHandler\s*\(`,
  ].join('|'),
);
/**
 * CORS options spread from another module's object (`cors({ ...allowList, maxAge: 600 })` with
 * `allowList` imported): group 1 the name.
 */
const SPREAD_OPTIONS = /\b[\w$]*[cC]ors[\w$]*\s*(?:<[^<>()]*>)?\s*\(\s*\{\s*\.\.\.([\w$]+)/;
/**
 * Exports the framework itself mounts: Next.js route handlers, API routes, middleware (and
 * `proxy.ts`) and `next.config`, Egg's `config/config.*.js`, Vite's config, a worker's
 * `export default { fetch }` (Cloudflare Workers, Bun, Deno), a Nitro route, middleware or plugin
 * (`export default defineEventHandler(...)`: Nitro mounts its server folders' files).
 */
const MOUNTED_EXPORTS =
  /^[ \t]*export\s+(?:async\s+)?(?:function\s*|const\s+)(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b|^[ \t]*export\s+default\s+(?:\{[^]{0,300}?\bfetch\b|(?:define(?:Cached)?EventHandler|eventHandler|defineNitroPlugin)\s*\()/m;
const MOUNTED_FILE =
  /(?:^|[\\/])(?:next\.config\.[cm]?[jt]s|pages[\\/]api[\\/].*|(?:src[\\/])?(?:middleware|proxy)\.[jt]sx?|config[\\/]config\.[\w.]+\.[jt]s|vite\.config\.[cm]?[jt]s)$/;

/**
 * A module that subclasses Starlette's CORSMiddleware (agenta's SDK, held-out batch 29): what the
 * subclass overrides, or that it is used in another module (a subclass is modelled only where
 * the module that defines it adds it).
 */
function starletteSubclass(text: string): string | undefined {
  if (!/^[ \t]*(?:from|import)[ \t]+(?:starlette|fastapi)\b/m.test(text)) return undefined;
  const header = /^class[ \t]+(\w+)[ \t]*\([ \t]*[\w.]*CORSMiddleware[ \t]*\)[ \t]*:/m.exec(text);
  if (!header) return undefined;
  const rest = text.slice(header.index + header[0].length);
  const body = rest.slice(0, /^\S/m.exec(rest)?.index ?? rest.length);
  const overrides = [...body.matchAll(/^[ \t]+(?:async[ \t]+)?def[ \t]+(\w+)/gm)]
    .map((m) => m[1])
    .filter((name) => name !== '__init__');
  return overrides.length
    ? `it subclasses Starlette's CORSMiddleware (${header[1]}) and overrides ${overrides.join(', ')}, which CORS Lens does not model`
    : `it defines ${header[1]}, a subclass of Starlette's CORSMiddleware, which CORS Lens models only where its own module adds it to the app and its __init__ only passes options on`;
}

/**
 * Why a setup is likely not modelled, read from the text: what the user can change (or know)
 * differs between a helper other files import, headers set in a loop, and the rest. A reason is
 * given only where the text shows it (a loop next to a CORS header name; exports and no mounting
 * call), else the general one.
 */
function reasonFor(path: string, text: string, seen: string): string {
  // Next.js server code under `public/` is a static file the app hands out (nexa-erp's archived
  // middleware, held-out batch 36); a folder named public elsewhere may hold live code (a NestJS
  // module's gateway, batch 38).
  if (/[\\/]public[\\/]/.test(path) && /['"]next\/server['"]/.test(text))
    return 'it is a file under public/, which the app serves as it is and does not run';
  // Socket.IO's own `cors` option (a NestJS `@WebSocketGateway({ cors })` passes it on), and
  // engine.io's beneath it, govern their HTTP long-polling requests; no model of them here.
  // A hapi server that also starts Socket.IO (Bastion, held-out batch 34): the key is hapi's.
  if (/^cors\s*:/.test(seen) && /['"](?:@hapi\/hapi|hapi)['"]/.test(text))
    return "it is hapi's route cors option (`routes: { cors }` of the server, or a route's `options: { cors }`), which CORS Lens does not model";
  if (/^cors\s*:/.test(seen) && /socket\.io|@WebSocketGateway\b/.test(text))
    return "it is Socket.IO's cors option (for its HTTP long-polling requests), which CORS Lens does not model";
  // An ingress controller's annotation snippet (ingress-nginx's `configuration-snippet: |`, NGINX
  // Inc's `nginx.org/location-snippets: |`): nginx lines without the server and location the
  // controller puts them in (openreplay's Helm charts, held-out batch 11).
  if (/^[ \t]*nginx\.(?:ingress\.kubernetes\.io|org)\/[\w-]+:[ \t]*[|>]/m.test(text))
    return "it is an ingress controller's annotation snippet, whose server and location the controller writes";
  if (
    /^cors\s*:/.test(seen) &&
    /\bmodule\.exports\.security\s*=|\bsecurity\s*:\s*\{\s*cors\s*:/.test(text)
  )
    return "it is Sails.js's security config (`sails.config.security.cors`), which CORS Lens does not model";
  if (/^cors_allowed_origins/.test(seen))
    return "it is python-socketio's cors_allowed_origins (for its HTTP long-polling requests), which CORS Lens does not model";
  if (/^cors\s*:/.test(seen) && /\bGraphQLModule\b|['"]@nestjs\/graphql['"]/.test(text))
    return "it is the cors option of NestJS's GraphQLModule (handed to the GraphQL driver), which CORS Lens does not model";
  if (/^cors\s*:/.test(seen) && /['"]engine\.io['"]/.test(text))
    return "it is engine.io's cors option (for its HTTP long-polling requests), which CORS Lens does not model";
  // media-service (held-out batch 20): `routeRules` headers or `cors: true` that Nitro applies.
  if (/\bdefine(?:Nitro|Nuxt)Config\s*\(/.test(text) && /\brouteRules\b/.test(text))
    return "it is Nitro's routeRules (headers Nitro sets on the routes they match), which CORS Lens does not model";
  if (/^cors_(?:policy|origins)$/.test(seen))
    return "it is Cornice's CORS policy (`cors_policy`, `cors_origins` of its services), which CORS Lens does not model";
  if (/applyMiddleware/.test(seen))
    return "it is apollo-server's applyMiddleware, which mounts cors() at its path (with the package's defaults, every origin and `*`, unless given a `cors` option), which CORS Lens does not model";
  if (/^new\s+CORSPlugin/.test(seen) && /['"]@orpc\//.test(text))
    return "it is oRPC's CORSPlugin, which CORS Lens does not model";
  // workadventure's uploader (held-out batch 30): the header named in an S3 bucket's CORS rules.
  if (/\b(?:putBucketCors|PutBucketCorsCommand|setBucketCors)\b|\bCORSRules\b/.test(text))
    return "it is a storage bucket's CORS rules (what the storage service answers, not this server), which CORS Lens does not model";
  // shelf.nu (held-out batch 30): a route module's loader or action, mounted by its file's path.
  if (
    /(?:^|[\\/])app[\\/]routes[\\/]/.test(path) &&
    /^[ \t]*export\s+(?:async\s+)?(?:function\s+|const\s+)(?:loader|action)\b/m.test(text)
  )
    return "it is a React Router (Remix) route module's loader or action, whose response headers CORS Lens does not model";
  // homarr's tRPC route (held-out batch 42): its handlers are wrapped (`auth(async (req) => ...)`)
  // and re-exported (`export { handler as GET }`), and a helper sets the headers; its `handler`
  // name made it read as a serverless function's.
  if (/(?:^|[\\/])app[\\/](?:[^\\/]+[\\/])*route\.[mc]?[jt]sx?$/.test(path))
    return 'it is a Next.js route handler whose response CORS Lens could not follow (a wrapped or re-exported handler, headers set by a helper), which it does not model';
  // tipsters.lt's Netlify functions, creekmore.io's Cloudflare Pages middleware (held-out batch
  // 33): deployed as they are, so "nothing here mounts it" was wrong.
  if (SERVERLESS_ENTRY.test(text))
    return "it is a serverless function's response (a Netlify or AWS Lambda `handler`, a Cloudflare Pages `onRequest`), which CORS Lens does not model";
  const h3 = /\b(handleCors|useCORS|appendCorsHeaders|appendCorsPreflightHeaders)\s*\(/.exec(
    text,
  )?.[1];
  // Only h3's own: a project's `handleCors(app)` of its own (video-host-api's, wrapping hono/cors;
  // held-out batch 34) is not h3's.
  if (
    h3 &&
    /['"](?:h3|nitropack|nitro-cors|nuxt)(?:\/[\w/]+)?['"]|\bdefineEventHandler\b/.test(text)
  )
    return `it calls ${h3 === 'useCORS' ? "nitro-cors' useCORS" : `h3's ${h3}`}, which CORS Lens does not model`;
  if (/^cors\.(?:CORS|set_defaults)/.test(seen))
    return "it is oslo.middleware's CORS, whose origins come from the deployment's `[cors] allowed_origin` option, which CORS Lens does not model";
  if (/falcon_cors/.test(seen))
    return 'it is the falcon-cors package, which CORS Lens does not model';
  if (/wsgicors/.test(seen)) return 'it is the wsgicors package, which CORS Lens does not model';
  // ai-component-generator's `cors.js` (held-out batch 56): its pages/api handler imports it.
  const micro = /['"]((?:vercel|micro)-cors)['"]/.exec(seen)?.[1];
  if (micro) return `it is the ${micro} package, which CORS Lens does not model`;
  if (/Neomerx\\Cors/.test(seen))
    return 'it is the neomerx/cors-psr7 package, which CORS Lens does not model';
  const subclass = starletteSubclass(text);
  if (subclass) return subclass;
  // A Falcon module: an unread CORSMiddleware, or a middleware component of the app's own
  // (ptuhub's SessionManager, held-out batch 29: the note blamed an unread CORSMiddleware).
  if (/^[ \t]*(?:from|import)[ \t]+falcon\b/m.test(text))
    return /^[ \t]*def[ \t]+process_response[ \t]*\(/m.test(text)
      ? "it is a Falcon middleware component's process_response, which CORS Lens does not model; Falcon runs process_response in the reverse order of the middleware list, so a component listed after falcon.CORSMiddleware writes first"
      : "it is a Falcon app whose CORSMiddleware setup it could not read (Falcon's own middleware is modelled where it is created in the module)";
  // ServicePasquaJove (held-out batch 39): nginx-extras' headers-more.
  if (HEADERS_MORE.test(text))
    return "its CORS headers are set with headers-more's more_set_headers, which CORS Lens does not model";
  // Folo (held-out batch 19): `server.headers` of a Vite config.
  if (/(?:^|[\\/])vite\.config\.[cm]?[jt]s$/.test(path))
    return "it is the Vite dev server's configuration (headers of a development server), which CORS Lens does not model";
  // jupyter_server, flower, jupyterhub (held-out batch 17): a handler's `set_header(...)`.
  if (/^[ \t]*(?:from|import)[ \t]+tornado\b/m.test(text) && /\.set_header\s*\(/.test(text))
    return "it is a Tornado request handler whose headers are set outside the methods CORS Lens reads (`set_default_headers`, `prepare`, a verb's method, and the class's helpers they call)";
  const header = /access[-_]control[-_](?:allow|expose|max)/gi;
  for (let i = 0, match = header.exec(text); match && i < 50; i++, match = header.exec(text))
    if (loopSets(text, match.index))
      return 'the headers are set in a loop or from a computed list, which it does not unroll';
  const spread = SPREAD_OPTIONS.exec(text)?.[1];
  if (
    spread &&
    new RegExp(
      `^[ \\t]*import\\b[^;]*?\\b${spread.replace(/\$/g, '\\$')}\\b[^;]*?\\bfrom\\b|\\b${spread.replace(/\$/g, '\\$')}\\s*=\\s*require\\s*\\(`,
      'm',
    ).test(text)
  )
    return `its options spread ${spread}, an object imported from another module, which it does not follow`;
  if (
    /^[ \t]*(?:export\b|module\.exports\b|exports\.)/m.test(text) &&
    !MOUNTS.test(text) &&
    !MOUNTED_EXPORTS.test(text) &&
    !MOUNTED_FILE.test(path)
  )
    return 'this module exports the setup (a helper, middleware or options) without mounting it itself: it is checked in an importing file only when that file uses it in a shape CORS Lens follows';
  return 'built in a helper, a loop or another module it does not follow, or by a library it does not know';
}

/**
 * A setup whose allowed origins are wholly unknown: no `*`, echo, entry or pattern was read (and,
 * with `envCounts`, none comes from the environment either).
 */
const originsUnknown = (p: Policy, envCounts = true) =>
  p.configured &&
  // A library's options: hand-set code computing the value is cannot-model's other branch.
  !p.handSet &&
  !p.inactive &&
  p.origins.dynamic &&
  (!envCounts || (!p.origins.envDriven && !p.envReads?.length)) &&
  !p.origins.allowAll &&
  !p.origins.reflectAny &&
  !p.origins.echoesConfigured &&
  !p.origins.exact.length &&
  !p.origins.regexes.length &&
  !p.origins.partial?.length;

/**
 * Whether the origin option at `span` is code CORS Lens does not follow (a function, a condition
 * with a `true` branch) rather than a configured value; an allowlist the code reads from the
 * environment (`allowed = process.env.X.split(',')`) is the deployment's to set.
 */
function unfollowedCode(text: string, span: Span): boolean {
  // What the option starts with says what it is (a long function is read no further).
  const option = text.slice(span.start, Math.min(span.end, span.start + 2000));
  // `origin: originOption` and `const originOption = cors === '*' ? true : cors` (rxdb-server):
  // the local's own line.
  const local = /^(?:[\w$]+\s*:\s*)?([A-Za-z_$][\w$]*)$/.exec(option.trim())?.[1];
  const written = local
    ? (new RegExp(
        `\\b(?:const|let|var)\\s+${local.replace(/\$/g, '\\$')}\\s*(?::[^=\\n]*)?=([^\\n;]{0,300})`,
      ).exec(text)?.[1] ?? option)
    : option;
  // The value itself a function (not one passed to `.map(...)` inside it), or a choice with a
  // `true` branch.
  const value = written.replace(/^\s*[\w$]+\s*:(?!:)/, '').trim();
  // A function, or a branch of a choice that is one (`IS_CLOUD ? [url] : (o) => o`: onecli, held-out batch 31).
  const fn =
    /(?:^|[?:]\s*)(?:async\s*)?(?:\([^()]*\)|[\w$]+)\s*=>|^(?:async\s+)?function\b|^lambda\b/.test(
      value,
    );
  if (!fn && !/\?[^?:]*\btrue\b\s*:|:\s*true\b/.test(value)) return false;
  // Lines that read the environment (short ones: a minified bundle's line is no assignment to read).
  const envLines = (
    text.match(/^.*(?:process\.env|import\.meta\.env|os\.environ|getenv|Deno\.env).*$/gm) ?? []
  ).filter((line) => line.length <= 400);
  if (!envLines.length) return true;
  // The first names only: a long origin function is asked about what it starts with.
  // Names of what it lets in, not of a flag that chooses (`HOSTED ? [...] : (o) => o`).
  const chosen = /^[^?]*\?[^?]/.test(value) ? value.slice(value.indexOf('?') + 1) : value;
  const names = new Set((chosen.match(/\b[A-Za-z_$][\w$]{2,}\b/g) ?? []).slice(0, 40));
  return ![...names].some((name) => {
    const assigned = new RegExp(`(?:^|[^\\w$.])${name.replace(/\$/g, '\\$')}\\s*(?::[^=]*)?=[^=>]`);
    return envLines.some((line) => assigned.test(line));
  });
}

/**
 * A setup CORS Lens reads but whose origins it cannot (`CORS(app, **config.get("cors"))`:
 * clearml-server, held-out batch 21), with credentials on or unknown: who may read signed-in
 * answers is a value it never sees, so the file is not "checked and clean". Origins from an
 * environment variable are left alone: each deployment sets them, and the env checks read them.
 */
function originsUnread(file: AnalysedFile): Report[] {
  // Only where nothing of the file's setups is known: a second setup beside a read one is noise.
  const configured = file.policies.filter((p) => p.configured && !p.inactive);
  const policy = configured.find((p) => p.credentials !== false);
  if (!policy?.at || policy.at.file !== file.path) return [];
  // An environment read in the code (a flag choosing between branches) is weighed by
  // `unfollowedCode` itself, which knows which names hold the origins.
  if (!configured.every((p) => originsUnknown(p, false))) return [];
  const credentials = policy.credentials === true ? 'on' : 'possibly on';
  const listed = policy.origins.listAt?.span;
  // The origin option itself, when it is written here as code it cannot follow: a function
  // (airi's `origin: (o) => getTrustedOrigin(o, ...)` from another module) or a choice that may
  // reflect every origin (rxdb-server's `allowed === '*' ? true : allowed` of a parameter;
  // held-out batches 29 and 30). A value from configuration is the deployment's to set.
  if (listed?.file === file.path && unfollowedCode(file.text, listed))
    return [
      {
        message:
          `CORS Lens reads this setup but not which origins it lets in (${handsetLabel(file.text, listed)}), ` +
          `with credentials ${credentials}: whether other sites may read signed-in answers depends on ` +
          `code or values it does not follow, so it is not checked. Check what it lets in.`,
        span: listed,
      },
    ];
  // Options spread in from a value it cannot read (`**config.get(...)`, `...options`).
  if (
    !configured.every((p) => originsUnknown(p)) ||
    listed ||
    !/\*\*|\.\.\./.test(file.text.slice(policy.at.start, policy.at.end))
  )
    return [];
  const written = policy.at;
  return [
    {
      message:
        `CORS Lens reads this setup but not the origins it allows (${handsetLabel(file.text, written)}), ` +
        `with credentials ${credentials}: whether other sites may read signed-in answers depends on ` +
        `a value it cannot see, so it is not checked. Check the deployed value.`,
      span: written,
    },
  ];
}

export const corsSetupNotModelled: Check = {
  id: 'cors-setup-not-modelled',
  severity: 'info',
  description:
    'The file sets up CORS in a way CORS Lens cannot model, so it cannot check it: no finding here does not mean it is right.',
  runOnFile(analysed) {
    // Its patterns read lines (`[^\n]*`): a CR-only file is read as LF, offsets unchanged.
    const file = { ...analysed, text: lineFeeds(analysed.text) };
    // Over budget: `analysis-over-budget` already says the file was not checked.
    if (
      file.overBudgetMs !== undefined ||
      file.syntaxError ||
      // A test's headers are read back to assert on, or set on a throwaway server: not the app's.
      isTestModule(file.path, file.text)
    )
      return [];
    const dead = file.policies.find((p) => p.inactive?.unloaded);
    if (dead?.inactive && file.policies.every((p) => p.inactive?.unloaded))
      return [
        {
          message: `This file's CORS setup is not in effect: ${dead.inactive.label}, so it is not checked. ${dead.inactive.unloaded}`,
          span: dead.inactive.span,
        },
      ];
    // One setup of the file not in effect beside others that are (a `CORS(app)` another call on
    // the same app overrides): said at that setup, once.
    const spans = new Set<string>();
    const partlyDead = file.policies.flatMap((p) => {
      const key = p.inactive?.unloaded && `${p.inactive.span.start}:${p.inactive.span.end}`;
      if (!key || spans.has(key) || !p.inactive) return [];
      spans.add(key);
      return [
        {
          message: `This CORS setup is not in effect: ${p.inactive.label}, so it is not checked. ${p.inactive.unloaded}`,
          span: p.inactive.span,
        },
      ];
    });
    if (file.policies.some((p) => p.configured)) return [...partlyDead, ...originsUnread(file)];
    const evidence = evidenceIn(file.text);
    if (!evidence) return [];
    const { at, seen, what } = evidence;
    // A minified bundle (a line thousands of characters long) is built, not written: its text is
    // a library's (CRMEB's bundled editor worker, held-out batch 21, documents the header).
    if (lineAt(file.text, at).length > MINIFIED_LINE) return [];
    return [
      {
        message: `CORS Lens sees CORS here (${what}: ${shown(seen)}) but cannot model this setup (${reasonFor(file.path, file.text, seen)}), so it is not checked. No finding here does not mean it is right.`,
        span: { file: file.path, start: at, end: at + seen.length },
      },
    ];
  },
};
