import { factsOf } from '../../../policy/types';
import { witnessOf } from '../../../base/regex';
import { buildPreflightRequest, type CorsRequest } from '../../../fetch';
import { preview } from '../../../replay/replay';
import { allowedOrigins } from '../../../checks/support/allowed-origins';
import { apiUrl, coveredPath, originAllowed } from '../../../checks/support/attacker';
import { suggestedOrigins } from '../../../checks/support/suggested-origins';
import { rewritePhase } from '../model';
import { indentAt, insertLinesAfter, insertLinesBefore } from '../text-edits';
import { written } from '../levels';
import type { NginxFacts, NginxHeader, NginxLevel, NginxStep } from '../facts';
import type { Fix } from '../../../policy/edits';
import type { Policy } from '../../../policy/types';
import type { Check, CheckContext } from '../../../checks/types';

type Branch = Extract<NginxStep, { kind: 'if' }>;

const named = (name: string) => (h: { name: string }) => h.name.toLowerCase() === name;
const isOrigin = named('access-control-allow-origin');

/** The `if` whose `return` is the policy's hand-written preflight answer. */
function preflightBranch(facts: NginxFacts): Branch | undefined {
  const at = facts.preflightAt;
  if (!at) return undefined;
  return [...facts.location.steps, ...facts.server.steps].find(
    (s): s is Branch =>
      s.kind === 'if' &&
      s.steps.some(
        (inner) =>
          inner.kind === 'return' &&
          inner.span.file === at.file &&
          inner.span.start === at.start &&
          inner.span.end === at.end,
      ),
  );
}

/** Origins worth asking the model about: the allowlist's, a regex's example, the usual frontends. */
function candidateOrigins(policy: Policy, context: CheckContext): string[] {
  const fromRegexes = policy.origins.regexes.flatMap((r) => {
    const witness = witnessOf(r.pattern, r.flavor);
    return witness && /^https?:\/\/[^/\s]+$/.test(witness) ? [witness] : [];
  });
  return [
    ...new Set([...allowedOrigins(policy), ...fromRegexes, ...suggestedOrigins(policy, context)]),
  ].slice(0, 8);
}

/**
 * A copy of the Access-Control-Allow-Origin line that let `origin` in, when the copy sends the
 * same value in the OPTIONS branch: a literal, or a `map` variable (nginx evaluates it per
 * request wherever it is used). `$http_origin` only from an unguarded level, which echoes every
 * origin already: copied from an `if ($http_origin ~ ...)` it would drop that test.
 */
function copiable(header: NginxHeader, level: NginxLevel, facts: NginxFacts): boolean {
  const value = header.value.value;
  if (!value.includes('$')) return true;
  const variable = /^\$\{?(\w+)\}?$/.exec(value)?.[1];
  if (!variable) return false;
  if (facts.maps.has(variable)) return true;
  return variable === 'http_origin' && level.kind !== 'if';
}

/** Adds the copied lines to the branch: after its last `add_header`, else before its `return`. */
function addToBranch(
  branch: Branch,
  copies: NginxHeader[],
  context: CheckContext,
): Fix | undefined {
  const answer = branch.steps.find((s) => s.kind === 'return');
  if (!answer) return undefined;
  const file = answer.span.file;
  if (copies.some((h) => h.span.file !== file)) return undefined;
  const text = context.text(file);
  const own = branch.level.own;
  const last = own[own.length - 1];
  const title = `Send ${copies.map((h) => h.name).join(' and ')} in the OPTIONS branch too`;
  if (last && last.span.file !== file) return undefined;
  const indent = indentAt(text, (last ?? answer).span.start);
  // A branch without add_header inherits the enclosing level's; its first one drops them.
  const repeated = last ? [] : branch.level.inherited;
  if (repeated.some((h) => h.span.file !== file)) return undefined;
  const lines = [...repeated, ...copies].map((h) => `${indent}${written(text, h.span)}\n`).join('');
  return {
    title,
    edits: [
      last
        ? insertLinesAfter(text, file, last.span.end, lines)
        : insertLinesBefore(text, file, answer.span.start, lines),
    ],
  };
}

export const nginxPreflightWithoutOrigin: Check = {
  id: 'nginx-preflight-without-origin',
  severity: 'error',
  frameworks: ['nginx'],
  description:
    'An `if ($request_method = OPTIONS)` branch answers preflights without Access-Control-Allow-Origin while the location lets origins in, so browsers block every preflighted request.',
  fix: {
    description:
      "copy the Access-Control-Allow-Origin line (and -Credentials) that the location's other responses send into the `OPTIONS` branch, when its value can be copied as is",
    safety: 'safe',
  },
  run(policy, context) {
    const facts = factsOf(policy, 'nginx');
    const branch = facts && preflightBranch(facts);
    if (!facts || !branch || policy.inactive) return [];
    const effective = branch.level.effective;
    // A line there (even one sent only on some statuses) is other checks' business; an inherited
    // line that the branch's own add_header drops is nginx-add-header-inheritance's.
    if (effective.some(isOrigin) || branch.level.inherited.some(isOrigin)) return [];
    const model = context.framework(policy).model;
    const path = coveredPath(policy);
    const credentials = policy.credentials === true ? 'include' : 'omit';
    /** The preflight's failure for `origin`, when the branch answers it without the header. */
    const failure = (origin: string): string | undefined => {
      const request: CorsRequest = {
        url: apiUrl(path),
        origin,
        method: 'PUT',
        headers: [['Content-Type', 'application/json']],
        credentials,
      };
      // The branch must be what answers the preflight: its `return` ends the request in nginx,
      // so no proxied app ever sees it.
      const phase = rewritePhase(
        facts.server,
        facts.location,
        facts.maps,
        buildPreflightRequest(request),
      );
      if (phase.status === undefined || phase.level !== branch.level) return undefined;
      const result = preview(policy, model, request);
      if (!result.preflight.needed || result.actual) return undefined;
      if (result.preflight.headers.some(([n]) => isOrigin({ name: n }))) return undefined;
      return result.verdict.reasons[0];
    };
    const candidates = candidateOrigins(policy, context);
    const allowed = candidates.find((o) => originAllowed(policy, o, context));
    const reason = allowed && failure(allowed);
    if (allowed && reason) {
      // The line that let the origin in on a GET, copied as written.
      const level = rewritePhase(facts.server, facts.location, facts.maps, {
        method: 'GET',
        path,
        headers: [['Origin', allowed]],
      }).level;
      const source = level.effective.filter(isOrigin);
      const credential = level.effective.find(named('access-control-allow-credentials'));
      const copies =
        source.length === 1 && copiable(source[0], level, facts)
          ? [
              source[0],
              ...(credential && !effective.some(named('access-control-allow-credentials'))
                ? [credential]
                : []),
            ]
          : [];
      return [
        {
          message: `This OPTIONS branch answers preflights with no Access-Control-Allow-Origin, while the location's other responses allow ${allowed}: a browser's preflight from ${allowed} for PUT with Content-Type fails ("${reason}"), so every preflighted request is blocked.`,
          span: branch.steps.find((s) => s.kind === 'return')?.span ?? branch.span,
          fix: copies.length ? addToBranch(branch, copies, context) : undefined,
        },
      ];
    }
    if (allowed) return [];
    // No origin gets in by this configuration's lines; an app behind a proxy_pass may let one in
    // on the responses it sends (nginx's other requests reach it), but never sees a preflight.
    const content = facts.location.content;
    const app =
      content.kind === 'proxy' && !content.upstream
        ? content.target
        : content.kind === 'app'
          ? content.directive
          : undefined;
    const reachesApp =
      rewritePhase(facts.server, facts.location, facts.maps, {
        method: 'GET',
        path,
        headers: [['Origin', candidates[0] ?? '']],
      }).status === undefined;
    const origin = candidates[0];
    const proxied = app && origin && reachesApp ? failure(origin) : undefined;
    if (!app || !origin || !proxied) return [];
    return [
      {
        message: `This OPTIONS branch answers every preflight itself with no Access-Control-Allow-Origin, and the app behind ${app} never sees one: a browser's preflight from ${origin} for PUT with Content-Type fails ("${proxied}"), whatever the app sends on its other responses.`,
        span: branch.steps.find((s) => s.kind === 'return')?.span ?? branch.span,
      },
    ];
  },
};
