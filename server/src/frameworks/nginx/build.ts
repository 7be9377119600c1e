/**
 * Directives → servers, locations, maps: the structure the nginx model replays, with each
 * level's `add_header` set after nginx's inheritance (a level with any `add_header` replaces the
 * enclosing level's) and `proxy_pass` targets resolved to servers of the same configuration.
 */
import type {
  NginxContent,
  NginxLevel,
  NginxLocation,
  NginxMap,
  NginxMapEntry,
  NginxServer,
  PassingModule,
} from './facts';
import { PASSING_MODULES } from './facts';
import type { Span } from '../../policy/types';
import type { Directive } from './config';
import { level, rewriteSteps } from './rewrite';

/** A configuration's servers, maps and the variables `set` anywhere. */
export interface Built {
  servers: NginxServer[];
  maps: Map<string, NginxMap>;
  setVariables: Set<string>;
  /** Per server: where a `map` may be inserted before it (-1: nowhere, the file is a server snippet). */
  mapInsertAt: Map<NginxServer, number>;
}

const APP_PASS = new Set(['scgi_pass', 'grpc_pass', 'memcached_pass']);
const LOCATION_MODIFIERS = new Set(['=', '~', '~*', '^~']);

interface Inherited {
  level: NginxLevel;
  /** X_hide_header / X_pass_header of the nearest level that sets any, per passing module. */
  hide: Map<PassingModule, string[]>;
  pass: Map<PassingModule, string[]>;
  /** The `index` names in effect (nginx's default `index.html` when no level sets them). */
  index: string[];
}

/**
 * Builds the structure from a file's directives. `root` is the file (its top level may be http or
 * server context). `rendered`: for a template, the values its renderer substitutes for `${NAME}`
 * (envsubst at container start), read where a static `proxy_pass` target needs them.
 */
export function build(
  directives: Directive[],
  root: string,
  rendered: ReadonlyMap<string, string> = new Map(),
): Built {
  const out: Built = {
    servers: [],
    maps: new Map(),
    setVariables: new Set(),
    mapInsertAt: new Map(),
  };
  const upstreams = new Map<string, string[]>();
  const top: Span = { file: root, start: 0, end: 0 };
  const https = directives.filter((d) => d.name.value === 'http' && d.block);
  const contexts = https.length
    ? https.map((d) => ({ span: d.span, block: d.block! }))
    : directives.some((d) => d.name.value === 'server' && d.block)
      ? [{ span: top, block: directives }]
      : [];
  for (const http of contexts) httpContext(http.block, http.span, out, upstreams);
  // A snippet included inside a server (`location`s and `add_header`s at its top level), or
  // inside a location: `if` blocks that add headers (nginx allows add_header in an `if` only in a
  // location), read as the body of a `location /`.
  const inLocation =
    !directives.some((d) => d.name.value === 'location') &&
    directives.some(
      (d) => d.name.value === 'if' && d.block?.some((inner) => inner.name.value === 'add_header'),
    );
  if (
    !contexts.length &&
    (inLocation ||
      directives.some((d) => d.name.value === 'location' || d.name.value === 'add_header'))
  ) {
    const server = serverBlock(
      {
        name: { value: 'server', span: top, quoted: false },
        args: [],
        block: inLocation ? [snippetLocation(directives, top)] : directives,
        span: top,
      },
      inherit(level('http', top, [])),
      out,
    );
    out.mapInsertAt.set(server, -1);
  }
  collectSets(directives, out.setVariables);
  const listening = listenAddresses(out.servers);
  for (const server of out.servers)
    for (const location of allLocations(server))
      resolveUpstream(location.content, listening, upstreams, rendered);
  return out;
}

/** A location snippet's directives as the body of the `location /` that includes them. */
const snippetLocation = (directives: Directive[], top: Span): Directive => ({
  name: { value: 'location', span: top, quoted: false },
  args: [{ value: '/', span: top, quoted: false }],
  block: directives,
  span: top,
});

interface Listening {
  server: NginxServer;
  host: string;
  port: string;
}

/** Every server's `listen` addresses, read once (a config proxies from hundreds of locations). */
function listenAddresses(servers: NginxServer[]): Listening[] {
  return servers.flatMap((server) =>
    server.listen.map((listen) => {
      const [, host = '', port = listen] = listen.match(/^(?:(.*):)?(\d+)$/) ?? [];
      return { server, host, port };
    }),
  );
}

function inherit(parent: NginxLevel, block: Directive[] = [], outer?: Inherited): Inherited {
  const names = (directive: string) =>
    block
      .filter((d) => d.name.value === directive && d.args.length === 1)
      .map((d) => d.args[0].value);
  const lists = (suffix: string, outerLists: Map<PassingModule, string[]> | undefined) =>
    new Map(
      PASSING_MODULES.map((module) => {
        const own = names(`${module}_${suffix}`);
        return [module, own.length ? own : (outerLists?.get(module) ?? [])];
      }),
    );
  const index = block.find((d) => d.name.value === 'index' && d.args.length);
  return {
    level: parent,
    hide: lists('hide_header', outer?.hide),
    pass: lists('pass_header', outer?.pass),
    index: index ? index.args.map((a) => a.value) : (outer?.index ?? ['index.html']),
  };
}

function httpContext(
  block: Directive[],
  span: Span,
  out: Built,
  upstreams: Map<string, string[]>,
): void {
  const http = inherit(level('http', span, block), block);
  for (const d of block) {
    if (d.name.value === 'map' && d.block && d.body && d.args.length === 2) {
      const map = mapBlock(d);
      if (map) out.maps.set(map.variable, map);
    } else if (d.name.value === 'upstream' && d.block && d.args.length === 1) {
      upstreams.set(
        d.args[0].value,
        d.block
          .filter((s) => s.name.value === 'server' && s.args.length)
          .map((s) => s.args[0].value),
      );
    } else if (d.name.value === 'server' && d.block) {
      const server = serverBlock(d, http, out);
      out.mapInsertAt.set(server, d.span.start);
    }
  }
}

function serverBlock(d: Directive, http: Inherited, out: Built): NginxServer {
  const block = d.block ?? [];
  const serverLevel = level('server', d.span, block, http.level);
  const inherited = inherit(serverLevel, block, http);
  const fallback: NginxLocation = {
    modifier: null,
    pattern: '',
    span: d.span,
    level: serverLevel,
    steps: [],
    content: staticContent(block, inherited),
    locations: [],
  };
  const server: NginxServer = {
    span: d.span,
    listen: block
      .filter((l) => l.name.value === 'listen' && l.args.length)
      .map((l) => l.args[0].value),
    names: block
      .filter((l) => l.name.value === 'server_name')
      .flatMap((l) => l.args.map((a) => a.value)),
    tls: block.some(
      (l) =>
        (l.name.value === 'listen' &&
          l.args.some((a, i) => (i > 0 && a.value === 'ssl') || /(?:^|:)443$/.test(a.value))) ||
        (l.name.value === 'ssl' && l.args[0]?.value === 'on'),
    ),
    level: serverLevel,
    steps: rewriteSteps(block, serverLevel),
    locations: block
      .filter((l) => l.name.value === 'location' && l.block)
      .flatMap((l) => locationBlock(l, inherited) ?? []),
    fallback,
  };
  out.servers.push(server);
  return server;
}

function locationBlock(d: Directive, outer: Inherited): NginxLocation | undefined {
  const [first, second] = d.args;
  if (!first || d.args.length > 2) return undefined;
  let modifier = '';
  let pattern = first.value;
  if (second && LOCATION_MODIFIERS.has(first.value))
    [modifier, pattern] = [first.value, second.value];
  else if (second) return undefined;
  else if (first.value.startsWith('@')) modifier = '@';
  else if (/^(=|\^~|~\*?)./.test(first.value))
    [, modifier, pattern] = first.value.match(/^(=|\^~|~\*?)(.*)$/s)!;
  const block = d.block ?? [];
  const locationLevel = level('location', d.span, block, outer.level);
  const inherited = inherit(locationLevel, block, outer);
  return {
    modifier,
    pattern,
    span: d.span,
    level: locationLevel,
    steps: rewriteSteps(block, locationLevel),
    content: content(block, inherited),
    locations: block
      .filter((l) => l.name.value === 'location' && l.block)
      .flatMap((l) => locationBlock(l, inherited) ?? []),
    ...(block.some((l) => l.name.value === 'internal' && !l.block) ? { internal: true } : {}),
  };
}

/** The location's content handler (`proxy_pass` is not inherited by nested locations, only by `if`s). */
function content(block: Directive[], inherited: Inherited): NginxContent {
  for (const module of PASSING_MODULES) {
    const proxy = block.find((d) => d.name.value === `${module}_pass` && d.args.length === 1);
    if (!proxy) continue;
    return {
      kind: 'proxy',
      module,
      target: proxy.args[0].value,
      span: proxy.span,
      hide: inherited.hide.get(module) ?? [],
      ownHide: block.some((d) => d.name.value === `${module}_hide_header`),
      pass: inherited.pass.get(module) ?? [],
    };
  }
  const app = block.find((d) => APP_PASS.has(d.name.value));
  return app
    ? { kind: 'app', directive: app.name.value, span: app.span }
    : staticContent(block, inherited);
}

/** Files from disk, through the level's own `try_files` (nginx does not inherit it). */
function staticContent(block: Directive[], inherited: Inherited): NginxContent {
  const tryFiles = block.find((d) => d.name.value === 'try_files' && d.args.length >= 2);
  return {
    kind: 'static',
    index: inherited.index,
    ...(tryFiles && { tryFiles: tryFiles.args.map((a) => a.value) }),
  };
}

function mapBlock(d: Directive): NginxMap | undefined {
  const [source, variable] = d.args;
  if (!variable.value.startsWith('$')) return undefined;
  const entries: NginxMapEntry[] = [];
  for (const entry of d.block ?? []) {
    const key = entry.name;
    if (
      ['hostnames', 'volatile', 'include'].includes(key.value) ||
      entry.args.length !== 1 ||
      entry.block
    )
      continue;
    const value = entry.args[0];
    const regex = key.value.match(/^~(\*?)(.*)$/s);
    if (key.value === 'default')
      entries.push({
        kind: 'default',
        key: '',
        caseless: false,
        value,
        keySpan: key.span,
        span: entry.span,
      });
    else if (regex) {
      // The pattern's own text: after `~`/`~*`, inside the quotes.
      const start = key.span.start + (key.quoted ? 1 : 0) + 1 + regex[1].length;
      const keySpan = { file: key.span.file, start, end: key.span.end - (key.quoted ? 1 : 0) };
      entries.push({
        kind: 'regex',
        key: regex[2],
        caseless: regex[1] === '*',
        value,
        keySpan,
        span: entry.span,
      });
    } else
      entries.push({
        kind: 'exact',
        key: key.value.replace(/^\\/, ''),
        caseless: true,
        value,
        keySpan: key.span,
        span: entry.span,
      });
  }
  return { source, variable: variable.value.slice(1), entries, span: d.span, body: d.body! };
}

function collectSets(block: Directive[], into: Set<string>): void {
  for (const d of block) {
    if (d.name.value === 'set' && d.args[0]?.value.startsWith('$'))
      into.add(d.args[0].value.slice(1));
    if (d.block) collectSets(d.block, into);
  }
}

/** A server's locations, nested ones included, outer first. */
export function allLocations(server: { locations: NginxLocation[] }): NginxLocation[] {
  return server.locations.flatMap((l) => [l, ...allLocations(l)]);
}

/**
 * Resolves a static `proxy_pass` target to its address (an `upstream` block's first server) and
 * links it to the server of this configuration that listens there, if any.
 */
function resolveUpstream(
  content: NginxContent,
  listening: Listening[],
  upstreams: Map<string, string[]>,
  rendered: ReadonlyMap<string, string>,
): void {
  if (content.kind !== 'proxy') return;
  const written = content.target.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (variable, braced?: string, bare?: string) => rendered.get(braced ?? bare ?? '') ?? variable,
  );
  // A variable in the URI part only (`http://music/songs/$1`) leaves the upstream known: the
  // request goes there, to a path the model does not spell out (KornBeat's regex locations,
  // held-out batch 53). One in the host or port leaves it unknown.
  const [, hostPart = written, uriPart = ''] = /^(\w+:\/\/[^/]*)(\/.*)?$/s.exec(written) ?? [];
  if (hostPart.includes('$')) return;
  const dynamicUri = uriPart.includes('$');
  // uwsgi_pass and fastcgi_pass take `host:port` (uwsgi_pass also `uwsgi://host:port`) or an
  // upstream's name, and no URI.
  const bare = content.module !== 'proxy';
  const target = bare
    ? written.match(/^(?:uwsgi:\/\/)?([^/:]+)(?::(\d+))?()$/s)
    : written.match(/^https?:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/s);
  if (!target) return;
  const [, name, port, writtenUri = undefined] = target;
  // A URI with a variable: the path as received stands in for it.
  const uri = dynamicUri ? undefined : writtenUri;
  if (bare && !port && !upstreams.has(name)) return;
  const defaultPort = written.startsWith('https') ? '443' : '80';
  const address = upstreams.get(name)?.[0] ?? `${name}:${port ?? defaultPort}`;
  const parts = address.match(/^([^:]*)(?::(\d+))?$/);
  // `unix:/run/app.sock` and the like: no host and port to match.
  if (!parts) return;
  const [, host, upPort = defaultPort] = parts;
  content.address = { host, port: Number(upPort), uri };
  content.upstream = listening.find(
    (l) => l.port === upPort && (l.host === host || (isLocal(l.host) && isLocal(host))),
  )?.server;
}

const isLocal = (host: string) => ['127.0.0.1', 'localhost', '*', '0.0.0.0', ''].includes(host);
