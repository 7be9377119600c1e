import { factsOf } from '../../../policy/types';
import { indentAt } from '../text-edits';
import {
  inertHeader,
  isCorsHeader,
  levelName,
  ownedLevels,
  ACTUAL_ONLY,
  PREFLIGHT_ONLY,
  preflightOnly,
  written,
} from '../levels';
import { rewritePhase } from '../model';
import { appsBehind } from '../proxied-apps';
import type { NginxFacts, NginxHeader, NginxLevel, NginxStep } from '../facts';
import type { Check, CheckContext, Report } from '../../../checks/types';
import type { Policy } from '../../../policy/types';

/**
 * Whether a preflight can pass where `level` is in effect, so that the preflight-only headers it
 * drops matter: not in a location that serves files (nginx answers OPTIONS to a file with 405,
 * checked with nginx 1.22.1) unless an OPTIONS branch there returns an ok status.
 */
function answersPreflights(facts: NginxFacts, level: NginxLevel): boolean {
  const { location, server } = facts;
  if (level !== location.level || location.content.kind !== 'static') return true;
  const { status } = rewritePhase(server, location, facts.maps, {
    method: 'OPTIONS',
    path: location.pattern.startsWith('/') ? location.pattern : '/',
    headers: [
      ['Origin', 'https://app.example'],
      ['Access-Control-Request-Method', 'PUT'],
    ],
  });
  return status !== undefined && status >= 200 && status < 300;
}

/**
 * Whether only preflights reach `level`: an `if ($request_method = OPTIONS)` of the location or
 * the server. Its answer needs no Expose-Headers (openreplay, held-out batch 11; real nginx keeps
 * them on the actual requests).
 */
const onlyPreflights = (facts: NginxFacts, level: NginxLevel): boolean =>
  [...facts.location.steps, ...facts.server.steps].some(
    (step) => step.kind === 'if' && step.level === level && preflightOnly(step.condition),
  );

/**
 * Whether no preflight reaches `level`: an `if ($request_method = GET)` (any method but OPTIONS)
 * of the location or the server. Browsers read Access-Control-Allow-Headers, -Methods and
 * -Max-Age on a preflight's answer only, so such a branch dropping them blocks nothing
 * (DesignerApp's GET/POST/PUT/PATCH/DELETE branches, held-out batch 35; real nginx 1.22).
 */
const neverPreflights = (facts: NginxFacts, level: NginxLevel): boolean =>
  [...facts.location.steps, ...facts.server.steps].some(
    (step) =>
      step.kind === 'if' &&
      step.level === level &&
      step.condition.kind === 'compare' &&
      step.condition.variable === 'request_method' &&
      !step.condition.negate &&
      step.condition.value.value.toUpperCase() !== 'OPTIONS',
  );

/** Whether `level` is an `if` whose own steps `return`: its answers are nginx's, not the upstream's. */
function returnsAt(facts: NginxFacts, level: NginxLevel): boolean {
  const find = (steps: NginxStep[]): boolean =>
    steps.some(
      (step) =>
        step.kind === 'if' &&
        (step.level === level ? step.steps.some((s) => s.kind === 'return') : find(step.steps)),
    );
  return find([...facts.location.steps, ...facts.server.steps]);
}

/** Whether a `rewrite` of `level` itself (the location's, or an `if`'s) moves the request on. */
function rewrittenAway(facts: NginxFacts, level: NginxLevel): boolean {
  const stepsOf = (steps: NginxStep[]): NginxStep[] | undefined => {
    for (const step of steps) {
      if (step.kind !== 'if') continue;
      if (step.level === level) return step.steps;
      const inner = stepsOf(step.steps);
      if (inner) return inner;
    }
    return undefined;
  };
  const own =
    level === facts.location.level
      ? facts.location.steps
      : (stepsOf(facts.location.steps) ?? stepsOf(facts.server.steps));
  return !!own?.some((step) => step.kind === 'opaque' && step.leaves);
}

/** Dropped headers that block nothing, and what their loss costs instead. */
const LOSS: Record<string, string> = {
  'access-control-expose-headers':
    'scripts can read only the safelisted response headers (Content-Type, Content-Length, ...)',
  'access-control-max-age': 'browsers cache their preflights for 5 seconds at most',
};
const UNBLOCKING = new Set(Object.keys(LOSS));

/**
 * Every origin the headers name is the server's own (`https://snoroc.fr` in the server named
 * snoroc.fr, held-out batch 57): its pages call it same-origin, so browsers never apply them.
 */
function ownOriginOnly(policy: Policy, facts: NginxFacts): boolean {
  const { origins } = policy;
  if (origins.allowAll || origins.reflectAny || origins.dynamic || origins.regexes.length)
    return false;
  const names = new Set(facts.server.names.map((n) => n.toLowerCase()));
  return (
    origins.exact.length > 0 &&
    origins.exact.every((o) => {
      const m = /^https?:\/\/([^/:]+)(?::\d+)?$/i.exec(o.value);
      return !!m && names.has(m[1].toLowerCase());
    })
  );
}

/** One level's CORS headers lost to add_header inheritance, as the check reports them. */
interface Loss {
  level: NginxLevel;
  dropped: NginxHeader[];
  /** The upstream, when the level proxies (it may send the headers itself). */
  proxy?: Extract<NginxFacts['location']['content'], { kind: 'proxy' }>;
}

/**
 * The levels of a policy's location that drop CORS headers of an enclosing level, and which:
 * what this check reports (and preflight-missing-allow-headers leaves to it: BlankCRM's OPTIONS
 * branches got both for one lost Allow-Headers, held-out batch 56).
 */
export function inheritanceLosses(policy: Policy, context: CheckContext): Loss[] {
  const facts = factsOf(policy, 'nginx');
  // A location nginx never selects sends nothing (nginx-location-never-selected says so).
  if (!facts || policy.inactive || ownOriginOnly(policy, facts)) return [];
  const losses: Loss[] = [];
  for (const level of ownedLevels(facts)) {
    // A `rewrite` that sends the request to another location: that one answers (govuk-puppet,
    // held-out batch 20; real nginx 1.22 sent the server's header on the rewritten request).
    if (!level.own.length || rewrittenAway(facts, level)) continue;
    const names = new Set(level.own.map((h) => h.name.toLowerCase()));
    const dropped = level.inherited.filter(
      (h) =>
        isCorsHeader(h) &&
        !inertHeader(h) &&
        !names.has(h.name.toLowerCase()) &&
        (!PREFLIGHT_ONLY.has(h.name.toLowerCase()) ||
          (answersPreflights(facts, level) && !neverPreflights(facts, level))) &&
        (!ACTUAL_ONLY.has(h.name.toLowerCase()) || !onlyPreflights(facts, level)),
    );
    if (!dropped.length) continue;
    // Proxied: the upstream may send the dropped headers itself. An app of the workspace behind
    // it sets CORS up (duplicate-allow-origin compares the two); another upstream is unknown.
    // An `if` that `return`s answers itself (BlankCRM's OPTIONS branch, held-out batch 37).
    const proxy =
      facts.location.content.kind === 'proxy' && !returnsAt(facts, level)
        ? facts.location.content
        : undefined;
    // Not proxied and no Access-Control-Allow-Origin inherited or set here: nothing here is
    // readable cross-origin anyway, so the other headers' loss blocks nothing (GeoNode, batch 6).
    const origin = (h: { name: string }) => h.name.toLowerCase() === 'access-control-allow-origin';
    if (!proxy && !level.inherited.some(origin) && !level.own.some(origin)) continue;
    if (proxy && appsBehind(proxy, context.workspace, (f) => context.text(f)).length) continue;
    losses.push({ level, dropped, proxy });
  }
  return losses;
}

export const nginxAddHeaderInheritance: Check = {
  id: 'nginx-add-header-inheritance',
  severity: 'error',
  severityNote:
    'warning where the location proxies to a server that may send them itself; info when only Expose-Headers or Max-Age is dropped',
  frameworks: ['nginx'],
  description:
    'An `add_header` in a location (or `if`) silently drops the CORS headers set at the server or http level: nginx inherits add_header only into levels that have none.',
  fix: {
    description: 'repeat the dropped CORS `add_header` lines in the location',
    safety: 'safe',
  },
  run(policy, context) {
    const reports: Report[] = [];
    for (const { level, dropped, proxy } of inheritanceLosses(policy, context)) {
      const first = level.own[0];
      const text = context.text(first.span.file);
      const indent = indentAt(text, first.span.start);
      const copies = dropped
        .map((h) => `${written(context.text(h.span.file), h.span)}\n${indent}`)
        .join('');
      // A name written twice at the enclosing level (BlankCRM's `*` and a list, held-out batch 56)
      // is named once.
      const dropping = [...new Set(dropped.map((h) => h.name))];
      const such = dropping.length > 1 ? 'such headers' : 'such header';
      // Expose-Headers and Max-Age never decide whether the browser lets a page read the answer
      // (booking-system's JSON error pages re-add Allow-Origin; held-out batch 53).
      const blocks = dropped.some((h) => !UNBLOCKING.has(h.name.toLowerCase()));
      const effect = blocks
        ? 'the browser blocks them'
        : 'the browser still lets pages read them, but ' +
          dropping.map((name) => LOSS[name.toLowerCase()]).join(', and ');
      reports.push({
        message:
          `This add_header makes ${levelName(level, text)} drop the enclosing level's ${dropping.join(', ')}: ` +
          `nginx inherits add_header only into levels that set none, so ` +
          (proxy
            ? `responses here carry only what ${proxy.target} sends: unless it sets ${dropping.length > 1 ? 'them' : 'it'} itself, ${effect}.`
            : `responses here carry no ${such} and ${effect}.`),
        span: first.span,
        ...(!blocks
          ? { severity: 'info' as const }
          : proxy
            ? { severity: 'warning' as const }
            : {}),
        fix: {
          title: `Repeat ${dropping.join(', ')} here`,
          edits: [
            {
              file: first.span.file,
              start: first.span.start,
              end: first.span.start,
              newText: copies,
            },
          ],
        },
      });
    }
    return reports;
  },
};
