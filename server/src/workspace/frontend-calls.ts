/**
 * Finds the cross-origin HTTP calls of a frontend file: `fetch(url, {method, headers,
 * credentials})`, axios (`axios.get/post/...`, `axios(config)`, instances from
 * `axios.create({baseURL, withCredentials, headers})`, `axios.defaults...`) and XMLHttpRequest.
 * URLs resolve with the project's development environment (`.env*`). Only calls to an absolute
 * `http(s)://` URL on another origin than the Vite dev server are kept: a relative URL, or one on
 * the dev server (which a `server.proxy` forwards), is same-origin and needs no CORS.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../parsing/source-tree';
import type { HeaderList } from '../fetch/types';
import { spanOf, unwrap } from '../lang/javascript/evaluate';
import { UrlReader } from './call-url';
import { EnvEvaluator } from './env-evaluator';
import type { FrontendProject } from './frontend-project';
import { xhrCalls } from './xhr-calls';
import type { FrontendCall } from './types';
import { SERVERLESS_ENTRY } from '../lang/javascript/serverless-entry';
import { isTestModule } from './test-module';

/** What an axios instance (or the default export) sends with every call. */
interface AxiosDefaults {
  baseURL?: string;
  withCredentials: boolean;
  headers: HeaderList;
}

const args = (node: Node | null): Node[] =>
  (node?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
const BODY_METHODS = new Set(['post', 'put', 'patch']);
const AXIOS_METHODS = new Set([
  'get',
  'delete',
  'head',
  'options',
  'post',
  'put',
  'patch',
  'request',
]);

/**
 * Functions written as a statement of their own and dropped (`async () => { await fetch(...) };`:
 * twitter-project's profile.js, held-out batch 45): never bound, never called, so the requests in
 * them are never sent. By range: a call is inside one when its range is (no walk up the tree);
 * the outermost ranges are disjoint, so one binary search answers.
 */
function discardedFunctions(root: Node): (node: Node) => boolean {
  const found: { start: number; end: number }[] = [];
  for (const statement of root.descendantsOfType('expression_statement')) {
    let expr = statement?.namedChildren[0];
    while (expr?.type === 'parenthesized_expression') expr = expr.namedChildren[0];
    if (expr && /^(?:arrow_function|function_expression|function)$/.test(expr.type))
      found.push({ start: expr.startIndex, end: expr.endIndex });
  }
  found.sort((a, b) => a.start - b.start);
  const outer: typeof found = [];
  for (const range of found)
    if (!outer.length || range.start >= outer[outer.length - 1].end) outer.push(range);
  return (node) => {
    let low = 0;
    let high = outer.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (outer[mid].start <= node.startIndex) low = mid + 1;
      else high = mid - 1;
    }
    const range = outer[high];
    return !!range && node.endIndex <= range.end;
  };
}

/** Reads the calls of one module. */
class CallReader {
  private readonly js: EnvEvaluator;
  private readonly urls: UrlReader;
  private readonly instances = new Map<string, AxiosDefaults>();

  constructor(
    private readonly file: string,
    private readonly root: Node,
    project: FrontendProject,
  ) {
    this.js = new EnvEvaluator(file, root, project);
    this.urls = new UrlReader(this.js);
    this.instances.set('axios', { withCredentials: false, headers: [] });
  }

  calls(): FrontendCall[] {
    const discarded = discardedFunctions(this.root);
    const callNodes = this.root
      .descendantsOfType('call_expression')
      .filter((n): n is Node => !!n && !n.hasError && !discarded(n));
    for (const call of callNodes) this.axiosCreate(call);
    this.axiosDefaults();
    const out: FrontendCall[] = [];
    for (const call of callNodes) {
      const found = this.fetchCall(call) ?? this.axiosCall(call);
      if (found) out.push(found);
    }
    return [...out, ...xhrCalls(this.file, this.root, this.js, this.urls)];
  }

  /** `const api = axios.create({...})`. */
  private axiosCreate(call: Node): void {
    const fn = call.childForFieldName('function');
    if (fn?.text.replace(/\s/g, '') !== 'axios.create') return;
    const declarator = call.parent?.type === 'variable_declarator' ? call.parent : undefined;
    const name = declarator?.childForFieldName('name');
    if (name?.type !== 'identifier') return;
    const config = args(call.childForFieldName('arguments'))[0];
    this.instances.set(name.text, {
      ...this.config(config, { withCredentials: false, headers: [] }),
    });
  }

  /** `axios.defaults.withCredentials = true`, `api.defaults.headers.common['X-Token'] = ...`. */
  private axiosDefaults(): void {
    for (const assignment of this.root.descendantsOfType('assignment_expression')) {
      const left = assignment?.childForFieldName('left');
      const m =
        left &&
        /^([\w$]+)\.defaults\.(?:withCredentials|headers\.(?:common|get|post|put|patch|delete)\s*(?:\[\s*(['"])(.+?)\2\s*\]|\.([\w$-]+)))$/.exec(
          left.text.replace(/\s+/g, ''),
        );
      const instance = m && this.instances.get(m[1]);
      if (!m || !instance) continue;
      const right = assignment!.childForFieldName('right');
      if (left!.text.endsWith('withCredentials')) instance.withCredentials = right?.type === 'true';
      else instance.headers.push([m[3] ?? m[4], right ? this.headerValue(right) : 'x']);
    }
  }

  private headerValue(node: Node): string {
    const value = this.js.evaluate(node);
    return value.kind === 'str' ? value.value : 'x';
  }

  /** Headers of an object literal or `new Headers({...})`: names, and values when literal. */
  private headers(node: Node | undefined): HeaderList {
    if (!node) return [];
    let target = this.js.resolveNode(node);
    if (
      target.type === 'new_expression' &&
      target.childForFieldName('constructor')?.text === 'Headers'
    ) {
      const init = args(target.childForFieldName('arguments'))[0];
      if (!init) return [];
      target = this.js.resolveNode(init);
    }
    if (target.type !== 'object') return [];
    const out: HeaderList = [];
    for (const pair of args(target)) {
      if (pair.type === 'pair') {
        const key = pair.childForFieldName('key');
        const value = pair.childForFieldName('value');
        const name =
          key?.type === 'property_identifier'
            ? key.text
            : key && this.js.evaluate(key).kind === 'str'
              ? (this.js.evaluate(key) as { value: string }).value
              : undefined;
        if (name) out.push([name, value ? this.headerValue(value) : 'x']);
      } else if (pair.type === 'spread_element' && pair.namedChildren[0]) {
        out.push(...this.headers(pair.namedChildren[0]));
      }
    }
    return out;
  }

  /** A property of an object literal (resolving a const it is bound to). */
  private property(objectNode: Node | undefined, name: string): Node | undefined {
    if (!objectNode) return undefined;
    const target = this.js.resolveNode(objectNode);
    if (target.type !== 'object') return undefined;
    for (const pair of args(target)) {
      if (pair.type === 'pair' && pair.childForFieldName('key')?.text.replace(/['"]/g, '') === name)
        return pair.childForFieldName('value') ?? undefined;
    }
    return undefined;
  }

  /** An axios config object merged over `base`. */
  private config(node: Node | undefined, base: AxiosDefaults): AxiosDefaults {
    const baseURL = this.property(node, 'baseURL');
    const withCredentials = this.property(node, 'withCredentials');
    return {
      baseURL: (baseURL && this.urls.text(unwrap(baseURL))) ?? base.baseURL,
      withCredentials: withCredentials ? withCredentials.type === 'true' : base.withCredentials,
      headers: [...base.headers, ...this.headers(this.property(node, 'headers'))],
    };
  }

  private fetchCall(call: Node): FrontendCall | undefined {
    const fn = call.childForFieldName('function');
    if (!fn || !/^(?:window\.|globalThis\.)?fetch$/.test(fn.text)) return undefined;
    const [urlNode, init] = args(call.childForFieldName('arguments'));
    const url = this.urls.url(urlNode);
    if (!url) return undefined;
    const method = this.property(init, 'method');
    const credentials = this.property(init, 'credentials');
    const m = method ? this.js.evaluate(method) : undefined;
    const c = credentials ? this.js.evaluate(credentials) : undefined;
    return {
      span: spanOf(this.file, call),
      client: 'fetch',
      url,
      method: m?.kind === 'str' ? m.value.toUpperCase() : 'GET',
      headers: this.headers(this.property(init, 'headers')),
      credentials:
        c?.kind === 'str' && (c.value === 'include' || c.value === 'omit')
          ? c.value
          : 'same-origin',
    };
  }

  private axiosCall(call: Node): FrontendCall | undefined {
    const fn = call.childForFieldName('function');
    if (!fn) return undefined;
    const list = args(call.childForFieldName('arguments'));
    let instance: AxiosDefaults | undefined;
    let method: string;
    let urlNode: Node | undefined;
    let configNode: Node | undefined;
    let hasData = false;
    if (fn.type === 'identifier') {
      // axios(config) / api(config) / axios(url, config)
      instance = this.instances.get(fn.text);
      if (!instance || !list[0]) return undefined;
      const configFirst = this.js.resolveNode(list[0]).type === 'object';
      configNode = configFirst ? list[0] : list[1];
      urlNode = configFirst ? this.property(list[0], 'url') : list[0];
      const m = this.property(configNode, 'method');
      const mv = m ? this.js.evaluate(m) : undefined;
      method = mv?.kind === 'str' ? mv.value : 'get';
      hasData = !!this.property(configNode, 'data');
    } else if (fn.type === 'member_expression') {
      const owner = fn.childForFieldName('object');
      instance = owner?.type === 'identifier' ? this.instances.get(owner.text) : undefined;
      method = fn.childForFieldName('property')?.text ?? '';
      if (!instance || !AXIOS_METHODS.has(method)) return undefined;
      if (method === 'request') {
        configNode = list[0];
        urlNode = this.property(list[0], 'url');
        const m = this.property(list[0], 'method');
        const mv = m ? this.js.evaluate(m) : undefined;
        method = mv?.kind === 'str' ? mv.value : 'get';
        hasData = !!this.property(list[0], 'data');
      } else {
        urlNode = list[0];
        hasData = BODY_METHODS.has(method) && !!list[1];
        configNode = BODY_METHODS.has(method) ? list[2] : list[1];
      }
    } else return undefined;
    const merged = this.config(configNode, instance);
    const url = this.urls.url(urlNode, merged.baseURL);
    if (!url) return undefined;
    const headers = [...merged.headers];
    // axios serialises a plain-object body as JSON and says so (a non-safelisted Content-Type).
    const data = BODY_METHODS.has(method.toLowerCase())
      ? (list[1] ?? this.property(configNode, 'data'))
      : undefined;
    if (
      hasData &&
      data &&
      ['object', 'identifier', 'array'].includes(this.js.resolveNode(data).type) &&
      !headers.some(([n]) => n.toLowerCase() === 'content-type')
    ) {
      headers.push(['Content-Type', 'application/json']);
    }
    return {
      span: spanOf(this.file, call),
      client: 'axios',
      url,
      method: method.toUpperCase(),
      headers,
      credentials: merged.withCredentials ? 'include' : 'same-origin',
    };
  }
}

/** Whether a URL goes to the project's Vite dev server (itself, or through its `server.proxy`). */
function toDevServer(url: string, project: FrontendProject): boolean {
  const origin = project.vite?.origin;
  if (!origin) return false;
  try {
    const target = new URL(url);
    const dev = new URL(origin);
    return (
      target.protocol === dev.protocol &&
      target.port === dev.port &&
      /^(?:localhost|127\.0\.0\.1|\[::1\])$/.test(target.hostname)
    );
  } catch {
    return false;
  }
}

/**
 * Whether a script is generated, not written: over 512 KB, or over 64 KB in lines averaging over
 * 500 characters (minified). Its calls are built from sources elsewhere, and its walk costs about
 * a second a MB.
 */
export function generatedScript(text: string): boolean {
  if (text.length > 512 * 1024) return true;
  if (text.length < 64 * 1024) return false;
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return text.length / lines > 500;
}

/** Whether a file's text may hold calls worth collecting: it names fetch, axios or XMLHttpRequest. */
export const mayHoldCalls = (text: string): boolean =>
  /\b(?:fetch|axios|XMLHttpRequest)\b/.test(text) && !generatedScript(text);

/** A Node built-in imported or required: the module runs in Node, where no CORS applies. */
const NODE_BUILTIN =
  /(?:\bfrom\s*|\brequire\s*\(\s*)['"](?:node:[\w/]+|https?|fs|fs\/promises|child_process|net|worker_threads)['"]/;

/**
 * A script Node runs: a shebang, or what only Node has (`process.exit(...)`, `process.argv`,
 * `require.main === module`); langwatch's `tsx scripts/*.ts`, held-out batch 10.
 */
const NODE_SCRIPT =
  /^#!.*\b(?:node|tsx|ts-node|bun|deno)\b|\bprocess\.(?:exit\s*\(|argv\b)|\brequire\.main\s*===?\s*module\b/;

/**
 * Files a meta-framework runs on the server by their place: Next.js route handlers (`route.ts`
 * under `app/`) and API routes (`pages/api/`), SvelteKit's `+server.ts`, `+page.server.ts` and
 * `hooks.server.ts`, Remix's `*.server.ts`, Nuxt's `server/api|routes|middleware/`, Netlify's
 * functions. eventure-v4's `app/api/.../route.js` forwarded a DELETE to a service by `fetch`
 * (held-out batch 33): no browser sends that request.
 */
const SERVER_PLACE = new RegExp(
  [
    String.raw`(?:^|[\\/])app[\\/](?:[^\\/]+[\\/])*route\.[cm]?[jt]sx?$`,
    String.raw`(?:^|[\\/])pages[\\/]api[\\/]`,
    String.raw`(?:^|[\\/])(?:\+server|\+page\.server|\+layout\.server|[\w.-]+\.server)\.[cm]?[jt]sx?$`,
    String.raw`(?:^|[\\/])server[\\/](?:api|routes|middleware)[\\/]`,
    String.raw`(?:^|[\\/])netlify[\\/](?:edge-)?functions[\\/]`,
  ].join('|'),
  'i',
);

/**
 * Code that says it runs on a server: a `'use server'` directive, `import 'server-only'`, a
 * server framework or Next.js's server module imported (a backend calling another service), a
 * function platform's entry (`exports.handler =`, Cloudflare's `onRequest`, firebase-functions).
 */
const SERVER_CODE = new RegExp(
  [
    String.raw`^[ \t]*['"]use server['"]`,
    String.raw`(?:\bfrom\s*|\bimport\s*|\brequire\s*\(\s*)['"](?:server-only|next\/server|express|fastify|koa|hono|@nestjs\/[\w-]+|@hapi\/hapi|firebase-functions(?:\/[\w/]+)?)['"]`,
    SERVERLESS_ENTRY.source,
  ].join('|'),
  'm',
);

/**
 * Whether a file's calls are a browser's: not a test module (its requests run in Node, not a
 * page), nor a module that imports Node's own `http`, `fs`, `child_process`... (nango's unit
 * test calling its own throwaway server, held-out batch 8, was checked against the workspace's
 * Express app), nor server code by its place or its imports (see SERVER_PLACE, SERVER_CODE).
 */
export const runsInBrowser = (file: string, text: string): boolean =>
  !isTestModule(file, text) &&
  !NODE_BUILTIN.test(text) &&
  !NODE_SCRIPT.test(text) &&
  !SERVER_PLACE.test(file) &&
  !SERVER_CODE.test(text);

/** The cross-origin calls of one JS/TS file, in the development environment of its project. */
export function collectFrontendCalls(
  file: string,
  tree: SourceTree,
  project: FrontendProject,
): FrontendCall[] {
  const pageOrigin = project.devOrigin;
  return new CallReader(file, tree.root, project)
    .calls()
    .filter((call) => !toDevServer(call.url, project))
    .map((call) => (pageOrigin ? { ...call, pageOrigin } : call));
}
