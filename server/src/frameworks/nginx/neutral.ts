/**
 * The framework-neutral policy of one location, read from the `add_header`s that can be in
 * effect there: its own level's, each `if` branch's and the server `if`s'. The allowlist comes
 * from where the Access-Control-Allow-Origin value comes from: a literal, a `map` on
 * `$http_origin`, `$http_origin` under an `if ($http_origin ~ ...)`, or a variable a guarded `set`
 * fills.
 */
import type { NginxCondition, NginxFacts, NginxHeader, NginxStep, NginxToken } from './facts';
import type { CorsFields, NameList, OriginPolicy, Policy, SourceRef } from '../../policy/types';
import { preflightOnly } from './levels';
import { REQUEST_PARTS } from '../../checks/support/origin';
import { noOrigins } from '../../policy/types';

type Neutral = CorsFields &
  Pick<Policy, 'configured' | 'allowPrivateNetwork' | 'servedMethods' | 'servesFiles'>;

/** A header and the `if` condition it sits under (none at the location's own level). */
interface Placed {
  header: NginxHeader;
  guard?: NginxCondition;
}

/** Every `add_header` that may answer a request in this location. */
export function placedHeaders(facts: NginxFacts): Placed[] {
  const placed: Placed[] = facts.location.level.effective.map((header) => ({ header }));
  const seen = new Set(facts.location.level.effective);
  const place = (header: NginxHeader, guard?: NginxCondition) => {
    if (seen.has(header)) return;
    seen.add(header);
    placed.push({ header, guard });
  };
  for (const step of facts.location.steps)
    if (step.kind === 'if')
      for (const header of step.level.effective) place(header, step.condition);
  if (facts.server.steps.some((s) => s.kind === 'if'))
    for (const header of facts.server.level.effective) place(header);
  return placed;
}

const named = (name: string) => (p: Placed) => p.header.name.toLowerCase() === name;
const label = (h: NginxHeader) =>
  `add_header ${h.name} ${h.value.quoted ? JSON.stringify(h.value.value) : h.value.value}`;
const onlyVariable = (token: NginxToken) => token.value.match(/^\$\{?(\w+)\}?$/)?.[1];

/** The neutral policy of the facts' location. */
export function neutralPolicy(facts: NginxFacts): Neutral {
  const placed = placedHeaders(facts);
  const origins: OriginPolicy = noOrigins();
  for (const { header, guard } of placed.filter(named('access-control-allow-origin')))
    addOrigins(origins, header, guard, facts);
  const credential = placed.find(named('access-control-allow-credentials'))?.header;
  const credentials: boolean | 'dynamic' = !credential
    ? false
    : credential.value.value.includes('$')
      ? 'dynamic'
      : credential.value.value === 'true';
  const credentialsAt: SourceRef | undefined =
    credentials === true && credential
      ? { span: credential.value.span, label: label(credential) }
      : undefined;
  const maxAge = placed.find(named('access-control-max-age'))?.header.value.value;
  return {
    configured: placed.some((p) => p.header.name.toLowerCase().startsWith('access-control-')),
    origins,
    credentials,
    credentialsAt,
    methods: nameList(placed.filter(named('access-control-allow-methods'))),
    headers: nameList(placed.filter(named('access-control-allow-headers'))),
    expose: nameList(placed.filter(named('access-control-expose-headers'))),
    maxAge: maxAge === undefined ? null : /^\d+$/.test(maxAge) ? Number(maxAge) : 'dynamic',
    allowPrivateNetwork: placed.some(
      (p) => named('access-control-allow-private-network')(p) && p.header.value.value === 'true',
    ),
    ...(servesFiles(facts.location) ? { servedMethods: ['GET', 'HEAD'], servesFiles: true } : {}),
  };
}

/**
 * Whether a location answers with files only: no app behind it, no `return`, and no `try_files`
 * fallback or `index` that hands the request on (`/index.php?$args`, `@app`). nginx's static
 * module answers other methods than GET and HEAD with 405 (checked with nginx 1.22 by held-out
 * batch 47's reviewer).
 */
export function servesFiles({ content, steps }: NginxFacts['location']): boolean {
  // A `return` outside any `if` answers every method itself (`return 200 'ok'`).
  if (content.kind !== 'static' || steps.some((step) => step.kind === 'return')) return false;
  const fallback = content.tryFiles?.[content.tryFiles.length - 1];
  if (fallback !== undefined && !/^=\d{3}$/.test(fallback) && !/^\$uri\/?$/.test(fallback))
    return false;
  return !content.index.some((name) => /\.php\b/.test(name));
}

function nameList(placed: Placed[]): NameList {
  const names = [
    ...new Set(
      placed.flatMap((p) =>
        p.header.value.value
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      ),
    ),
  ];
  const first = placed[0]?.header;
  return {
    names: names.filter((n) => !n.includes('$')),
    wildcard: names.includes('*'),
    dynamic: names.some((n) => n.includes('$')),
    at: first && { span: first.span, label: label(first) },
  };
}

/** Adds what one Access-Control-Allow-Origin line lets in. */
function addOrigins(
  origins: OriginPolicy,
  header: NginxHeader,
  guard: NginxCondition | undefined,
  facts: NginxFacts,
): void {
  const value = header.value;
  const variable = onlyVariable(value);
  if (!variable) {
    // nginx sends no header with an empty value (`add_header ... ''` stops the inherited one).
    if (value.value === '') return;
    if (value.value.includes('$')) origins.dynamic = true;
    else if (value.value === '*') {
      origins.allowAll = true;
      origins.allowAllAt ??= { span: value.span, label: label(header) };
    } else origins.exact.push({ value: value.value, span: value.span });
    return;
  }
  if (variable === 'http_origin')
    return addGuarded(origins, guard, facts, { span: value.span, label: label(header) });
  // `$host`, `$request_uri` and their kin hold a host name without a scheme or a path: an entry
  // that never equals an Origin.
  if (Object.hasOwn(REQUEST_PARTS, variable)) {
    origins.exact.push({ value: value.value, span: value.span });
    return;
  }
  const map = facts.maps.get(variable);
  if (map && onlyVariable(map.source) === 'http_origin') {
    origins.listAt ??= { span: map.span, label: `map ${map.source.value} $${map.variable}` };
    for (const entry of map.entries) {
      const sent = entry.value.value;
      if (sent === '' || sent === '0') continue;
      // The empty key matches a request without an Origin, which no CORS request of a browser is
      // (ChatFlow's `"" "*";`, held-out batch 36: run on nginx 1.22, only an Origin-less GET got it).
      if (entry.kind === 'exact' && entry.key === '') continue;
      const echoes = onlyVariable(entry.value) === 'http_origin';
      if (!echoes && sent.includes('$')) origins.dynamic = true;
      else if (sent === '*') {
        origins.allowAll = true;
        origins.allowAllAt ??= {
          span: entry.value.span,
          label: `${entry.kind === 'default' ? 'default' : entry.key} "*" in map $${map.variable}`,
        };
      } else if (entry.kind === 'default' && echoes)
        origins.reflectAny ??= {
          span: entry.value.span,
          label: `default $http_origin in map $${map.variable}`,
        };
      else if (entry.kind === 'regex')
        origins.regexes.push({
          pattern: entry.key,
          flavor: 'pcre',
          span: entry.keySpan,
          flags: entry.caseless ? 'i' : undefined,
        });
      else
        origins.exact.push({
          value: echoes ? entry.key : sent,
          span: echoes ? entry.keySpan : entry.value.span,
        });
    }
    return;
  }
  // A variable a `set` fills: what the `set`s write, under the `if`s they sit in.
  const sets = setsOf(variable, [...facts.server.steps, ...facts.location.steps]);
  if (!sets.length) {
    origins.dynamic = true;
    return;
  }
  for (const set of sets) {
    if (set.guard && neverHolds(set.guard, facts)) continue;
    // `if ($http_origin = '') { set $v '*'; }`: sent only without an Origin, which no browser's
    // CORS request is (app-mesh-ui, held-out batch 18).
    if (set.guard && withoutOrigin(set.guard, facts)) continue;
    const written = onlyVariable(set.value);
    if (written === 'http_origin')
      addGuarded(origins, set.guard, facts, {
        span: set.value.span,
        label: `set $${variable} $http_origin`,
      });
    else if (set.value.value === '*') {
      origins.allowAll = true;
      origins.allowAllAt ??= { span: set.value.span, label: `set $${variable} "*"` };
    } else if (set.value.value.includes('$')) origins.dynamic = true;
    else if (set.value.value !== '')
      origins.exact.push({ value: set.value.value, span: set.value.span });
  }
}

/** Whether an `if` holds for any request with an Origin header: `$http_origin`, `$http_origin != ''`. */
const hasOrigin = (condition: NginxCondition): boolean =>
  condition.kind !== 'dynamic' &&
  condition.variable === 'http_origin' &&
  (condition.kind === 'truthy' ||
    (condition.kind === 'compare' && condition.negate && condition.value.value === ''));

/** Whether an `if` holds only for a request without an Origin header (`$http_origin = ''`). */
function withoutOrigin(guard: NginxCondition, facts: NginxFacts): boolean {
  const condition = resolveFlag(guard, facts);
  return (
    condition?.kind === 'compare' &&
    condition.variable === 'http_origin' &&
    !condition.negate &&
    condition.value.value === ''
  );
}

/** `$http_origin` echoed: allowed as the guarding `if` says, or any origin when unguarded. */
function addGuarded(
  origins: OriginPolicy,
  guard: NginxCondition | undefined,
  facts: NginxFacts,
  at: SourceRef,
): void {
  const condition = guard && resolveFlag(guard, facts);
  if (condition?.kind === 'regex' && condition.variable === 'http_origin' && !condition.negate) {
    origins.regexes.push({
      pattern: condition.pattern.value,
      flavor: 'pcre',
      span: condition.pattern.span,
      flags: condition.caseless ? 'i' : undefined,
    });
  } else if (
    condition?.kind === 'compare' &&
    condition.variable === 'http_origin' &&
    !condition.negate
  ) {
    origins.exact.push({ value: condition.value.value, span: condition.value.span });
  } else if (condition && hasOrigin(condition)) {
    // `if ($http_origin)`, `if ($http_origin != '')`, or a flag set under one: every page that
    // sends an Origin, every browser CORS request (ontoserver-keycloak, held-out batch 23).
    origins.reflectAny ??= at;
  } else if (condition && preflightOnly(condition)) {
    // An echo only in preflight answers lets no page read a response: the actual answer's
    // headers decide that.
  } else if (condition && setElsewhere(condition, facts)) {
    // A flag of the config's own that this file neither sets nor maps: an includer does, maybe
    // from the Origin (mempool's `$cors_approved_origin`, set in the server that includes it).
    origins.dynamic = true;
  } else if (!condition || !readsOrigin(condition, facts)) {
    // A guard on anything but the Origin (`if ($request_method = GET)`, a flag set from the
    // method) lets every origin through on the requests it admits: a page elsewhere sends those.
    origins.reflectAny ??= at;
  } else origins.dynamic = true;
}

/**
 * Whether an `if` on a flag of the config's own can never hold: every `set` of the flag writes a
 * constant (a flag not set yet reads as empty), and none of them passes the test. mempool's
 * shape: `set $partner ''` in the server, `if ($partner = 'yes') { set $acao $http_origin; }` in
 * an included location (held-out batch 9; real nginx sent the fixed origin).
 */
function neverHolds(condition: NginxCondition, facts: NginxFacts): boolean {
  if (condition.kind !== 'compare' && condition.kind !== 'truthy') return false;
  if (facts.maps.has(condition.variable)) return false;
  const sets = setsOf(condition.variable, [...facts.server.steps, ...facts.location.steps]);
  if (!sets.length || sets.some((set) => set.value.value.includes('$'))) return false;
  const values = ['', ...sets.map((set) => set.value.value)];
  if (condition.kind === 'truthy') return values.every((v) => v === '' || v === '0');
  const wanted = condition.value.value;
  return !wanted.includes('$') && values.every((v) => (v === wanted) === condition.negate);
}

/** nginx's own variables (ngx_http_variables.c and the common modules), by name or prefix. */
const NGINX_VARIABLE = new RegExp(
  '^(?:\\d+' +
    '|(?:http|sent_http|sent_trailer|cookie|arg|upstream|ssl|geoip2?|jwt|realip|proxy|limit|' +
    'secure_link|request|server|remote|connection|time|date|tcpinfo|auth|fastcgi|uwsgi|scgi|grpc)_\\w+' +
    '|https|http2|http3|uri|document_uri|document_root|realpath_root|args|query_string|is_args|' +
    'host|hostname|scheme|request|binary_remote_addr|content_type|content_length|connection|' +
    'status|body_bytes_sent|bytes_sent|msec|nginx_version|pid|pipe|modern_browser|' +
    'ancient_browser|msie|invalid_referer|secure_link)$',
);

/** Whether a condition tests a variable of the config's own that no `set` or `map` in sight writes. */
function setElsewhere(condition: NginxCondition, facts: NginxFacts): boolean {
  if (condition.kind === 'dynamic' || NGINX_VARIABLE.test(condition.variable)) return false;
  if (facts.maps.has(condition.variable)) return false;
  return !setsOf(condition.variable, [...facts.server.steps, ...facts.location.steps]).length;
}

/**
 * Whether an `if` condition depends on the request's Origin: it tests `$http_origin`, or a
 * variable some `set` fills from the Origin or under a test of it (a flag). An unknown
 * condition (a file test) may.
 */
function readsOrigin(
  condition: NginxCondition,
  facts: NginxFacts,
  seen: Set<string> = new Set(),
): boolean {
  if (condition.kind === 'dynamic') return true;
  const { variable } = condition;
  if (variable === 'http_origin') return true;
  if (seen.has(variable)) return false;
  seen.add(variable);
  return setsOf(variable, [...facts.server.steps, ...facts.location.steps]).some(
    (set) =>
      set.value.value.includes('$http_origin') ||
      set.value.value.includes('${http_origin}') ||
      (!!set.guard && readsOrigin(set.guard, facts, seen)),
  );
}

/**
 * A flag test (`if ($cors = "true")`) stands for the condition under which the flag was set
 * (`if ($http_origin ~* ...) { set $cors "true"; }`), when exactly one guarded `set` writes it.
 */
function resolveFlag(guard: NginxCondition, facts: NginxFacts): NginxCondition | undefined {
  if ((guard.kind !== 'compare' && guard.kind !== 'truthy') || guard.variable === 'http_origin')
    return guard;
  const sets = setsOf(guard.variable, [...facts.server.steps, ...facts.location.steps]).filter(
    (s) => s.value.value !== '',
  );
  return sets.length === 1 && sets[0].guard ? sets[0].guard : guard;
}

/** The `set $variable ...` steps and the `if` each sits in. */
function setsOf(
  variable: string,
  steps: NginxStep[],
): { value: NginxToken; guard?: NginxCondition }[] {
  return steps.flatMap((step) =>
    step.kind === 'set' && step.variable === variable
      ? [{ value: step.value }]
      : step.kind === 'if'
        ? step.steps.flatMap((inner) =>
            inner.kind === 'set' && inner.variable === variable
              ? [{ value: inner.value, guard: step.condition }]
              : [],
          )
        : [],
  );
}
