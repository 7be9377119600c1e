import { escapeRegex } from '../../../base/regex';
import { factsOf } from '../../../policy/types';
import { ownedHeaders, inertHeader, isCorsHeader, PREFLIGHT_ONLY } from '../levels';
import { ADD_HEADER_STATUSES, rewritePhase } from '../model';
import { appAnswersEveryOrigin } from '../proxied-apps';
import { ATTACKER_ORIGIN } from '../../../checks/support/attacker';
import { REQUEST_PARTS } from '../../../checks/support/origin';
import type { NginxFacts, NginxHeader, NginxLocation, NginxServer, NginxStep } from '../facts';
import type { Check, CheckContext, Report } from '../../../checks/types';

/**
 * Headers whose absence from an error response blocks nothing: the preflight-only ones (a
 * preflight passes only with an ok status, which nginx sends them with anyway), and
 * `-Expose-Headers`, which only widens what a readable response shows: a 4xx/5xx without it is
 * still read (status and body), so no CORS error comes of it.
 */
const NEVER_BLOCKING = new Set([...PREFLIGHT_ONLY, 'access-control-expose-headers']);

/** Variables that hold a part of the request: an origin made of one never matches, `always` or not. */
const requestPart = (value: string) =>
  Object.hasOwn(REQUEST_PARTS, /^\$(\w+)$/.exec(value)?.[1] ?? '');

const BROWSER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36';

/** Methods a browser sends cross-origin, for replaying the rewrite phase. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Every location of a server, nested ones too, and its own level for requests no location matches. */
const locationsOf = (server: NginxServer): NginxLocation[] => {
  const walk = (ls: NginxLocation[]): NginxLocation[] =>
    ls.flatMap((l) => [l, ...walk(l.locations)]);
  return [...walk(server.locations), server.fallback];
};

/** A path the location serves (its prefix; `/` for a regex). */
const pathOf = (location: NginxLocation) =>
  ['', '^~', '='].includes(location.modifier ?? '~') && location.pattern.startsWith('/')
    ? location.pattern
    : '/';

/** File types a page loads through the browser's own loaders (fonts, images, styles, scripts, media). */
const ASSET_TYPES = new Set(
  'eot ttf ttc otf woff woff2 svg svgz gif jpg jpeg png webp avif bmp ico tif tiff css js mjs map mp3 mp4 ogg ogv webm wav flac'.split(
    ' ',
  ),
);

/**
 * A regex location that serves files of asset types from disk (`location ~* \.(woff2?|ttf)$`):
 * nginx answers 200, or its own 403/404 for a file it cannot serve, and @font-face, `<img>` or
 * `<script>` fail such a load the same with or without the header; no app answers there.
 */
function servesAssets(location: NginxLocation): boolean {
  return location.content.kind === 'static' && assetPattern(location.modifier, location.pattern);
}

/** Whether a regex location's pattern names only asset file types (`\.(?:ttf|woff2?)$`). */
function assetPattern(modifier: string | null, pattern: string): boolean {
  if (!modifier?.startsWith('~')) return false;
  const types = /\\?\.\(?\??:?([\w|?]+)\)?\$$/.exec(pattern)?.[1];
  // `woff2?` stands for `woff` and `woff2`.
  const each = (type: string) =>
    type.endsWith('?') ? [type.slice(0, -2), type.slice(0, -1)] : [type];
  return (
    !!types &&
    types
      .split('|')
      .flatMap(each)
      .every((t) => ASSET_TYPES.has(t.toLowerCase()))
  );
}

/**
 * A location for one asset file served from disk by its own `root`, `alias` or `try_files` (no
 * proxy, no script), for the same reason (usertour's SDK files, held-out batch 11).
 */
function servesFiles(location: NginxLocation, context: CheckContext): boolean {
  if (location.content.kind !== 'static' || location.modifier === null) return false;
  const text = context.text(location.span.file);
  const own = text.slice(location.span.start, location.span.end);
  // Files it names itself: a snippet without them is included where an app may answer (a
  // proxy's vhost.d), and an error page's location (`internal`, an `error_page` target) is
  // served with the error's status.
  if (!/\b(?:root|alias|try_files)\s/.test(own) || /\binternal\s*;/.test(own)) return false;
  // A file a page loads with an element (`= /sdk/loader.js`): a folder (`/hls/`, `/media/`) may
  // hold what scripts fetch and read the status of (hls.js and a segment's 404, held-out batch 2).
  const type = /\.(\w+)$/.exec(location.pattern)?.[1]?.toLowerCase();
  if (!type || !ASSET_TYPES.has(type)) return false;
  return !errorPageTarget(location, text);
}

/** Whether an `error_page` directive of the file names the location: its page goes out with the error's status. */
const errorPageTarget = (location: NginxLocation, text: string): boolean =>
  new RegExp(`\\berror_page\\s[^;]*\\s${escapeRegex(location.pattern)}\\s*;`).test(text);

/**
 * A location that serves files and falls back to a page (`try_files $uri $uri/ /index.html`: a
 * single-page app's build, romm's template in held-out batch 28): a missing file is the page,
 * 200, and no app behind it answers 401, 404, 422 or 500.
 */
const fallsBackToPage = (location: NginxLocation): boolean =>
  location.content.kind === 'static' &&
  /^\/[^$]*\.html?$/i.test(location.content.tryFiles?.at(-1) ?? '');

/**
 * A location that serves the files it finds and hands every other request to a named location
 * (`try_files $uri @rails`): the error statuses come from there, whose own add_headers apply
 * (pe-chan816's myapp, held-out batch 49, checked with nginx 1.22).
 */
const handsOnToNamed = (location: NginxLocation): boolean =>
  location.content.kind === 'static' && (location.content.tryFiles?.at(-1) ?? '').startsWith('@');

/**
 * Another CORS header where no Access-Control-Allow-Origin is sent beside it at any level and no
 * app behind adds one: no cross-origin read passes with or without it (myapp's static front
 * server, held-out batch 49).
 */
function inertWithoutOrigin(header: NginxHeader, facts: NginxFacts): boolean {
  if (header.name.toLowerCase() === 'access-control-allow-origin') return false;
  if (facts.location.content.kind !== 'static') return false;
  const acao = originsBeside(header, facts);
  return acao.length > 0 && acao.every((h) => h === undefined);
}

/**
 * What `always` would change for a header, by replaying the rewrite phase of every location of
 * the server for the methods and origins a browser sends: `matters` when a response that can
 * carry an error status (the content handler's, or a `return` outside nginx's list) gets the
 * header; `never` when the header's level is reached but replaced or answered only with listed
 * statuses (a branch that `return 204`s, a server that redirects everything, an `if` a later
 * matching `if` overrides); `unknown` when no replayed request reaches it (conditions we cannot
 * evaluate): then the warning stands.
 */
function alwaysMatters(
  header: NginxHeader,
  replays: Replay[],
  context: CheckContext,
): 'matters' | 'never' | 'unknown' {
  let reached = false;
  for (const { location, result } of replays) {
    if (result.entered.some((l) => l.own.includes(header))) reached = true;
    if (!result.level.effective.includes(header)) continue;
    reached = true;
    if (
      result.status === undefined &&
      (servesAssets(location) ||
        servesFiles(location, context) ||
        fallsBackToPage(location) ||
        handsOnToNamed(location))
    )
      continue;
    if (result.status === undefined || !ADD_HEADER_STATUSES.has(result.status)) return 'matters';
  }
  return reached ? 'never' : 'unknown';
}

interface Replay {
  location: NginxLocation;
  result: ReturnType<typeof rewritePhase>;
}

/** The rewrite phase of every location of the server, for each method and origin. */
function replayAll(facts: NginxFacts, origins: string[]): Replay[] {
  return locationsOf(facts.server).flatMap((location) =>
    METHODS.flatMap((method) =>
      origins.map((origin) => ({
        location,
        result: rewritePhase(facts.server, location, facts.maps, {
          method,
          path: pathOf(location),
          // As a browser sends them: a User-Agent always (configs turn away requests without one).
          headers: [
            ['Origin', origin],
            ['User-Agent', BROWSER_AGENT],
            ...(method === 'OPTIONS'
              ? [['Access-Control-Request-Method', 'PUT'] as [string, string]]
              : []),
          ],
        }),
      })),
    ),
  );
}

/** Whether a value can equal a browser Origin (`*`, `null`, scheme://host, or a variable). */
const CAN_MATCH = /^(?:\*|null|https?:\/\/[^/\s]+|\$.*|.*\$\{?\w+.*)$/i;

/** The Access-Control-Allow-Origin in effect beside the header, at each level it is in effect at. */
function originsBeside(header: NginxHeader, facts: NginxFacts): (NginxHeader | undefined)[] {
  return levelsWith(header, facts).map((l) =>
    l.effective.find((h) => h.name.toLowerCase() === 'access-control-allow-origin'),
  );
}

/** The levels (location, server, their `if` blocks) where the header is in effect. */
function levelsWith(header: NginxHeader, facts: NginxFacts) {
  return [
    facts.location.level,
    facts.server.level,
    ...ifSteps([...facts.location.steps, ...facts.server.steps]).map((s) => s.level),
  ].filter((l) => l.effective.includes(header));
}

/**
 * Whether the location itself (or the location it is nested in) names the files it serves
 * (`root`, `alias`, `try_files`), and is no error page: a snippet without them is included where
 * an app may answer, and an error page (`internal`, an `error_page` target) is served with the
 * error's status.
 */
function namesFiles(facts: NginxFacts, context: CheckContext): boolean {
  const { location } = facts;
  if (location.modifier === null || location.internal) return false;
  const text = context.text(location.span.file);
  const own = (l: NginxLocation) => text.slice(l.span.start, l.span.end);
  if (errorPageTarget(location, text)) return false;
  if (/\b(?:root|alias|try_files)\s/.test(own(location))) return true;
  const parent = parentOf(facts.server.locations, location);
  return !!parent && /\b(?:root|alias)\s/.test(own(parent));
}

/** The location `child` is nested in, if any (a loop: nesting may be deep). */
function parentOf(locations: NginxLocation[], child: NginxLocation): NginxLocation | undefined {
  const stack = [...locations];
  for (let location = stack.pop(); location; location = stack.pop()) {
    if (location.locations.includes(child)) return location;
    stack.push(...location.locations);
  }
  return undefined;
}

/** A folder a page's own assets are served from (not media a script fetches and reads). */
const ASSET_FOLDER =
  /(?:^|\/)(?:static|assets|fonts|webfonts|css|js|images?|img|icons|dist|build)(?:\/|$)/i;

/**
 * A folder of a page's assets sent to every origin with `*` and no credentials (`location ^~
 * /static/ { alias ...; add_header Access-Control-Allow-Origin *; }`): only nginx's own 403/404
 * lose the header, and an element's load of a missing file fails either way (server-admin's
 * static folders, held-out batch 51). Other folders keep the warning: a script may fetch from
 * them and read the status (hls.js and a segment's 404, held-out batch 2). A `try_files` that
 * hands misses to another location (an app's front controller) is not one.
 */
function publicFiles(header: NginxHeader, facts: NginxFacts, context: CheckContext): boolean {
  const { content } = facts.location;
  if (content.kind !== 'static' || !/^=\d+$/.test(content.tryFiles?.at(-1) ?? '=404')) return false;
  if (!namesFiles(facts, context)) return false;
  const parent = parentOf(facts.server.locations, facts.location);
  if (![facts.location, parent].some((l) => l && ASSET_FOLDER.test(l.pattern))) return false;
  const levels = levelsWith(header, facts);
  const named = (name: string) =>
    levels.map((l) => l.effective.find((h) => h.name.toLowerCase() === name));
  return (
    levels.length > 0 &&
    named('access-control-allow-origin').every((h) => h?.value.value.trim() === '*') &&
    named('access-control-allow-credentials').every((h) => h === undefined)
  );
}

/**
 * Whether the Access-Control-Allow-Origin in effect beside the header never equals an Origin
 * (`$host`, a bare host name): then no cross-origin read passes, `always` or not.
 */
function originNeverMatches(header: NginxHeader, facts: NginxFacts): boolean {
  const acao = originsBeside(header, facts);
  return (
    acao.length > 0 &&
    acao.every(
      (h) =>
        h !== undefined &&
        (requestPart(h.value.value.trim()) || !CAN_MATCH.test(h.value.value.trim())),
    )
  );
}

/**
 * Whether the header is Access-Control-Allow-Credentials beside `Access-Control-Allow-Origin: *`
 * wherever it is sent: a browser refuses a credentialed answer with `*` on every status, so the
 * header's absence from an error turns nothing into a CORS error (webstackup, held-out batch 17).
 */
function credentialsBesideStar(header: NginxHeader, facts: NginxFacts): boolean {
  if (header.name.toLowerCase() !== 'access-control-allow-credentials') return false;
  const acao = originsBeside(header, facts);
  return (
    acao.length > 0 &&
    acao.every((h) => h?.value.value.trim().replace(/^(['"])(.*)\1$/, '$2') === '*')
  );
}

/**
 * Whether a snippet checked alone is included only in asset locations served from disk (h5bp's
 * `cross-domain-insecure.conf` inside its webfont location): the includer's own check reads it
 * there, and any location it may end up in is one where `always` changes nothing.
 */
function includedInAssetsOnly(facts: NginxFacts): boolean {
  return (
    !!facts.includedIn?.length &&
    facts.includedIn.every(
      ({ location }) =>
        !!location &&
        assetPattern(location.modifier, location.pattern) &&
        !/\b(?:proxy|fastcgi|uwsgi|scgi|grpc)_pass\b/.test(location.block),
    )
  );
}

/**
 * Whether the header is Access-Control-Allow-Credentials where nginx sends no
 * Access-Control-Allow-Origin and the app behind `proxy_pass` does: whether a credentialed error
 * is readable depends on the origin the app sends, which this configuration does not say
 * (DesignerApp's GET/POST branches in front of an ASP.NET app sending `*`, held-out batch 35).
 */
function credentialsForTheApp(header: NginxHeader, facts: NginxFacts): boolean {
  return (
    header.name.toLowerCase() === 'access-control-allow-credentials' &&
    facts.location.content.kind === 'proxy' &&
    originsBeside(header, facts).every((h) => h === undefined)
  );
}

/** Media types of what a page loads as a font, image, style sheet, audio or video. */
const ASSET_MEDIA =
  /^(?:font|image|audio|video)\/|^text\/css$|^application\/(?:font-|x-font-|vnd\.ms-fontobject)/i;

/**
 * Whether the header's value is a `map` on the response's type that is empty for anything but
 * assets (h5bp's `map $sent_http_content_type $cors { image/png "*"; ... }`: roots/trellis,
 * held-out batch 28): an error page is HTML or JSON, so it gets the empty value and no header
 * whether `always` is written or not.
 */
function emptyOnErrors(header: NginxHeader, facts: NginxFacts): boolean {
  const name = /^\$\{?(\w+)\}?$/.exec(header.value.value.trim())?.[1];
  const map = name ? facts.maps.get(name) : undefined;
  if (!map || map.source.value !== '$sent_http_content_type') return false;
  const valued = map.entries.filter((e) => e.value.value !== '');
  return (
    valued.length > 0 &&
    valued.every((e) => e.kind === 'exact' && ASSET_MEDIA.test(e.key.split(';')[0].trim()))
  );
}

/** nginx's own variables a CORS value is made of (request headers, cookies, arguments, upstream). */
const BUILTIN =
  /^(?:http_|sent_http_|upstream_http_|arg_|cookie_|__)|^(?:scheme|host|server_name)$/;

/**
 * The variable a header's value is, when nothing in the configuration read defines it (a snippet
 * whose `map` lives in a main file that does not include it: h5bp's `$cors` in roots/trellis,
 * held-out batch 28): what it holds on an error response is unknown here.
 */
function definedElsewhere(header: NginxHeader, facts: NginxFacts): string | undefined {
  const name = /^\$\{?(\w+)\}?$/.exec(header.value.value.trim())?.[1];
  // An upper-case name is an envsubst placeholder (`${CORS_ORIGIN}`), filled in before nginx
  // starts: a fixed value, sent whenever the header is.
  return name &&
    name !== name.toUpperCase() &&
    !BUILTIN.test(name) &&
    !facts.maps.has(name) &&
    !facts.setVariables.has(name)
    ? name
    : undefined;
}

/** The `if` blocks of a list of steps, nested ones too. */
const ifSteps = (steps: NginxStep[]): Extract<NginxStep, { kind: 'if' }>[] =>
  steps.flatMap((s) => (s.kind === 'if' ? [s, ...ifSteps(s.steps)] : []));

export const nginxAddHeaderWithoutAlways: Check = {
  id: 'nginx-add-header-without-always',
  severity: 'warning',
  frameworks: ['nginx'],
  description:
    'A CORS `add_header` lacks `always`: nginx drops it from 4xx and 5xx responses, so the browser reports a CORS error instead of the real status.',
  fix: { description: 'add `always`', safety: 'safe' },
  run(policy, context) {
    const facts = factsOf(policy, 'nginx');
    // A location nginx never selects sends nothing (nginx-location-never-selected says so).
    if (!facts || policy.inactive) return [];
    const origins = [
      ...new Set([
        ...policy.origins.exact.map((o) => o.value),
        ...mapOrigins(facts),
        ATTACKER_ORIGIN,
      ]),
    ].slice(0, 8);
    const reports: Report[] = [];
    let replays: Replay[] | undefined;
    let appSends: boolean | undefined;
    for (const header of ownedHeaders(facts)) {
      if (
        !isCorsHeader(header) ||
        header.always ||
        inertHeader(header) ||
        NEVER_BLOCKING.has(header.name.toLowerCase())
      )
        continue;
      if (requestPart(header.value.value.trim()) || originNeverMatches(header, facts)) continue;
      if (credentialsBesideStar(header, facts) || emptyOnErrors(header, facts)) continue;
      if (credentialsForTheApp(header, facts) || inertWithoutOrigin(header, facts)) continue;
      if (publicFiles(header, facts, context)) continue;
      // bilim (held-out batch 43): Django allowing every origin behind uwsgi_pass sends its own
      // CORS headers on its 401s.
      if (facts.location.content.kind === 'proxy' && !facts.location.content.upstream)
        if ((appSends ??= appAnswersEveryOrigin(facts.location.content, context))) continue;
      if (answeredByListedReturn(header, facts) || includedInAssetsOnly(facts)) continue;
      replays ??= replayAll(facts, origins);
      if (alwaysMatters(header, replays, context) === 'never') continue;
      const elsewhere = definedElsewhere(header, facts);
      reports.push({
        message:
          `add_header ${header.name} has no \`always\`: nginx sends it only with 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308, so a 401, 404, 422 or 500 reaches the browser without it and the page sees a CORS error instead of the status.` +
          (elsewhere
            ? ` ($${elsewhere} is defined outside this file: this holds where it has a value on error responses; a \`map\` on the response's type that is empty for HTML and JSON makes \`always\` change nothing.)`
            : ''),
        span: header.span,
        fix: {
          title: 'Add `always`',
          edits: [{ ...header.value.span, start: header.value.span.end, newText: ' always' }],
        },
      });
    }
    return reports;
  },
};

/**
 * Whether the header is an `if` block's own that ends every request it takes in with a `return`
 * of a status nginx adds headers to without `always` (`if (...) { add_header ...; return 204; }`):
 * whatever the condition (an envsubst variable the replay cannot read, nginx-s3-gateway in
 * held-out batch 7), `always` changes nothing there.
 */
function answeredByListedReturn(header: NginxHeader, facts: NginxFacts): boolean {
  const walk = (steps: NginxStep[]): boolean | undefined => {
    for (const step of steps) {
      if (step.kind !== 'if') continue;
      if (step.level.own.includes(header)) {
        const ends = step.steps.find(
          (s) => s.kind === 'return' || s.kind === 'opaque' || s.kind === 'if',
        );
        return (
          ends?.kind === 'return' &&
          typeof ends.status === 'number' &&
          ADD_HEADER_STATUSES.has(ends.status)
        );
      }
      const inner = walk(step.steps);
      if (inner !== undefined) return inner;
    }
    return undefined;
  };
  return !!(walk(facts.location.steps) ?? walk(facts.server.steps));
}

/** The exact origins the configuration's `map $http_origin` blocks name, so their branches are replayed. */
function mapOrigins(facts: NginxFacts): string[] {
  return [...facts.maps.values()]
    .filter((m) => m.source.value === '$http_origin')
    .flatMap((m) => m.entries.filter((e) => e.kind === 'exact').map((e) => e.key));
}
