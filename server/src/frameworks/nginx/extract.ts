/**
 * nginx extractor: one policy per `location` (and one for a server's own level when no
 * `location /` catches the rest), ordered the way nginx picks a location, so the first policy
 * whose path regex covers a path is nginx's choice for it.
 */
import path from 'node:path';
import { escapeRegex } from '../../base/regex';
import type { SourceTree } from '../../parsing/source-tree';
import type {
  NginxCondition,
  NginxFacts,
  NginxHeader,
  NginxLevel,
  NginxLocation,
  NginxServer,
  NginxStep,
} from './facts';
import type { Policy, SourceRef, Span } from '../../policy/types';
import type { SourceReader } from '../../base/source-reader';
import { allLocations, build, type Built } from './build';
import { readConfig } from './config';
import { neutralPolicy } from './neutral';
import { renderedVars } from './template-vars';
import { findLocation } from './model';
import { closedConfig, commentedOutIncluder, includeSites, type IncludeSite } from './includers';
import { unreadUpstream } from './unread-upstream';
import { publicFiles } from './public-files';
import { HEADERS_MORE } from '../../lang/nginx/headers-more';

/** The CORS policies of an nginx file (none when no level adds an Access-Control-* header). */
export async function extractNginx(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  // headers-more sets, replaces and clears headers at every status, beside and over `add_header`:
  // a file using it for CORS is not modelled, rather than judged by its `add_header`s alone
  // (ServicePasquaJove's OPTIONS branch, held-out batch 39, was called one with no origin).
  if (HEADERS_MORE.test(text)) return [];
  const config = await readConfig(file, text, tree, reader);
  const built = build(config.directives, file, renderedVars(file, reader));
  const policies: Policy[] = [];
  const owned = new Set<NginxLevel | NginxHeader>();
  const seen = new Set<string>();
  // A snippet's CORS headers: where the project's files include it (looked up once).
  let sites: IncludeSite[] | undefined | null = null;
  const includedAt = () =>
    sites === null
      ? (sites = /\badd_header\s+['"]?Access-Control-/i.test(text)
          ? includeSites(file, reader)
          : undefined)
      : sites;
  // The app behind a proxy_pass, when it sets CORS in a language no extractor reads (by port).
  const apps = new Map<number, SourceRef | undefined>();
  const appBehind = (location: NginxLocation) => {
    const content = location.content;
    const port = content.kind === 'proxy' && !content.upstream ? content.address?.port : undefined;
    if (port === undefined || !/Access-Control-Allow-Origin/i.test(text)) return undefined;
    if (!apps.has(port)) apps.set(port, unreadUpstream(file, port, reader));
    return apps.get(port);
  };
  // A snippet the project includes only in comments, or nowhere beside a whole configuration
  // that names its includes one by one, is never read (looked up once).
  let why: string | undefined | null = null;
  const unread = (): string | undefined => {
    // Included anywhere, whatever it holds (a snippet that includes the CORS headers' own
    // snippet: local-library's statics.conf, held-out batch 54).
    if (includedAt() ?? includeSites(file, reader)) return undefined;
    const commented = commentedOutIncluder(file, reader);
    if (commented)
      return `every include of this snippet is commented out (${path.basename(commented)}): nginx never reads it`;
    const closed = closedConfig(file, reader);
    const globs = closed?.globs.length
      ? ` and ${closed.globs.map((g) => `\`${g}\``).join(', ')}, which cannot pick it up`
      : '';
    return closed
      ? `no nginx file of the project includes this snippet, and ${path.basename(closed.config)} (a whole configuration) includes only the files it names${globs}: nginx never reads it`
      : undefined;
  };
  const switchedOff = (span: Span): Policy['inactive'] => {
    if (why === null) why = unread();
    if (!why) return undefined;
    return { span, label: why, unloaded: 'Include it where it should apply, or delete it.' };
  };
  for (const server of built.servers) {
    const snippet = built.mapInsertAt.get(server) === -1;
    for (const location of locationsInOrder(server)) {
      const facts = factsFor(server, location, built, owned);
      const includedIn = snippet ? includedAt() : undefined;
      if (includedIn) facts.includedIn = includedIn;
      const unread = appBehind(location);
      if (unread) facts.unreadUpstream = unread;
      policies.push({
        framework: 'nginx',
        file,
        files: config.files,
        at: location.span,
        ...neutralPolicy(facts),
        urlRegex: urlRegex(location),
        // The add_header line belongs to the one location policy that owns it.
        varyAt: facts.originSetAt ?? null,
        preflightAt: facts.preflightAt,
        ownOrigins: plainHttpOrigins(server),
        ...((files) => (files ? { publicFiles: files } : {}))(
          publicFiles(facts, location.span, text, reader),
        ),
        facts,
        inactive:
          neverSelected(server, location) ??
          behindUnread(facts) ??
          (snippet ? switchedOff(location.span) : undefined),
      });
      reportOnce(policies[policies.length - 1], seen);
    }
  }
  return policies.some((p) => p.configured) ? policies : [];
}

function factsFor(
  server: NginxServer,
  location: NginxLocation,
  built: Built,
  owned: Set<NginxLevel | NginxHeader>,
): NginxFacts {
  const levels = [
    location.level,
    ...ifLevels(location.steps),
    server.level,
    ...ifLevels(server.steps),
  ];
  const mine = [...levels, ...levels.flatMap((l) => l.effective)];
  const owns = new Set(mine.filter((l) => !owned.has(l)));
  for (const l of owns) owned.add(l);
  const preflight = [...location.steps, ...server.steps].find(
    (s): s is Extract<NginxStep, { kind: 'if' }> =>
      s.kind === 'if' &&
      isOptionsTest(s.condition) &&
      s.steps.some((inner) => inner.kind === 'return'),
  );
  const preflightAt =
    preflight && owns.has(preflight.level)
      ? preflight.steps.find((s) => s.kind === 'return')?.span
      : undefined;
  const echo = levels
    .flatMap((l) => l.effective)
    .find(
      (h) =>
        owns.has(h) &&
        h.name.toLowerCase() === 'access-control-allow-origin' &&
        h.value.value.includes('$'),
    );
  return {
    server,
    location,
    maps: built.maps,
    setVariables: built.setVariables,
    owns,
    mapInsertAt: built.mapInsertAt.get(server) ?? -1,
    preflightAt,
    originSetAt: echo?.span,
  };
}

/**
 * A plain prefix location that a regex location of the same server takes every request from:
 * nginx prefers a matching regex to a plain prefix, so `location /config.json` beside
 * `location ~ ^/.*` is never selected (ushahidi's platform-release, held-out batch 30: real nginx
 * sent none of its headers). Asked of its own path and one below it.
 */
/** The start of the label of a location written twice in one server. */
export const DUPLICATE = 'a second location of this path in its server';

function neverSelected(server: NginxServer, location: NginxLocation): Policy['inactive'] {
  if (location.modifier !== '' || !server.locations.includes(location)) return undefined;
  const below = `${location.pattern}${location.pattern.endsWith('/') ? '' : '/'}x`;
  const winners = [location.pattern, below].map((uri) => findLocation(server.locations, uri));
  const winner = winners[0];
  if (!winner || winners.some((w) => w === location || w !== winner)) return undefined;
  // The same prefix twice (vivat's two `location /api/`, held-out batch 38): `nginx -t` fails.
  if (winner.modifier === location.modifier && winner.pattern === location.pattern)
    return {
      span: location.span,
      label: `${DUPLICATE}: nginx refuses to start with it ("duplicate location")`,
    };
  return {
    span: location.span,
    label: `never selected: \`location ${winner.modifier} ${winner.pattern}\` matches ${location.pattern} too, and nginx prefers a matching regex location to a plain prefix`,
  };
}

/** `$request_method = OPTIONS` (nginx compares case-sensitively; methods arrive upper-case). */
const isOptionsTest = (c: NginxCondition): boolean =>
  c.kind === 'compare' &&
  !c.negate &&
  c.variable === 'request_method' &&
  c.value.value === 'OPTIONS';

/**
 * A server's `add_header` and an http-level `map` shape every location's policy; the shared
 * checks report what they find at a span, so only the first policy that sees a span keeps it.
 */
function reportOnce(policy: Policy, seen: Set<string>): void {
  const first = (span: Span | undefined) => {
    if (!span) return false;
    const key = `${span.file}:${span.start}:${span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const origins = policy.origins;
  if (!first(origins.allowAllAt?.span)) origins.allowAllAt = undefined;
  if (!first(origins.reflectAny?.span)) origins.reflectAny = undefined;
  origins.exact = origins.exact.map((o) => (first(o.span) ? o : { value: o.value }));
  origins.regexes = origins.regexes.map((r) => (first(r.span) ? r : { ...r, span: undefined }));
}

const ifLevels = (steps: NginxStep[]): NginxLevel[] =>
  steps.flatMap((s) => (s.kind === 'if' ? [s.level] : []));

/**
 * nginx's order (ngx_http_core_find_location): exact matches, then `^~` prefixes and regexes in
 * file order, then plain prefixes longest first, then the server's own level when no
 * `location /` catches everything. (A longer plain prefix that beats a `^~` one is the case this
 * linear order gets wrong.)
 */
export function locationsInOrder(server: NginxServer): NginxLocation[] {
  const all = allLocations(server);
  const prefixes = (mod: string) =>
    all.filter((l) => l.modifier === mod).sort((a, b) => b.pattern.length - a.pattern.length);
  const ordered = [
    ...all.filter((l) => l.modifier === '='),
    ...prefixes('^~'),
    ...all.filter((l) => l.modifier === '~' || l.modifier === '~*'),
    ...prefixes(''),
    ...all.filter((l) => l.modifier === '@'),
  ];
  return all.some((l) => l.modifier === '' && l.pattern === '/')
    ? ordered
    : [...ordered, server.fallback];
}

/** The paths a location serves, as a regex matched from the start of the path. */
function urlRegex(location: NginxLocation): string | null {
  switch (location.modifier) {
    case null:
      return null;
    case '=':
      return `${escapeRegex(location.pattern)}$`;
    case '@':
      return '(?!)';
    case '~':
    case '~*':
      // nginx searches the URI anywhere; `^` in the pattern still anchors it.
      return `[\\s\\S]*?(?:${location.pattern})`;
    default:
      return escapeRegex(location.pattern);
  }
}

/**
 * A location whose Access-Control-Allow-Origin meets the app's own (an app in a language no
 * extractor reads): what a browser gets depends on both, so nginx's lines alone are not judged;
 * duplicate-allow-origin says what the two together do.
 */
function behindUnread(facts: NginxFacts): Policy['inactive'] {
  const app = facts.unreadUpstream;
  const content = facts.location.content;
  if (!app || content.kind !== 'proxy') return undefined;
  if (content.hide.some((h) => h.toLowerCase() === 'access-control-allow-origin')) return undefined;
  return {
    span: app.span,
    label: `the app behind it, ${app.label}, sets CORS headers too, in code CORS Lens does not read`,
  };
}

/**
 * The origins a plain-http server answers at: `http://` + each literal `server_name` (`:port`
 * unless it listens on 80). vivat's `server { listen 80; server_name vivat-alushta.ru; ... }`
 * allowing `http://vivat-alushta.ru` with credentials (held-out batch 44) trusts its own pages.
 */
function plainHttpOrigins(server: NginxServer): string[] {
  if (server.tls) return [];
  const ports = server.listen.length
    ? server.listen.map((l) => /(?:^|:)(\d+)$/.exec(l)?.[1] ?? '80')
    : ['80'];
  return server.names
    .filter((name) => /^[a-z0-9.-]+$/i.test(name) && name.includes('.'))
    .flatMap((name) =>
      ports.map((port) => `http://${name.toLowerCase()}${port === '80' ? '' : `:${port}`}`),
    );
}
