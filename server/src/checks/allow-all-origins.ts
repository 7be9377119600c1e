import { suggestedOrigins } from './support/suggested-origins';
import { ATTACKER_ORIGIN, credentialedAttack, originAllowed } from './support/attacker';
import { cookieFree } from './support/header-auth';
import { workspaceWhere } from './support/frontend';
import { defaultReadAt, truthOfTextReadAt } from './support/env-defaults';
import type { Policy, SourceRef, Span } from '../policy/types';
import { preflightOnlyAnswer } from './origin-on-preflight-only';
import { filePolicies } from './support/workspace-policies';
import type { CheckContext, Check, Report } from './types';

/**
 * Severity policy. Allow-all without credentials is what browsers make safe: a page elsewhere
 * reads only what an anonymous caller gets (no cookies, no HTTP auth), which anyone can fetch
 * without a browser too. That is a note (`info`): it matters only where answers depend on the
 * caller's network (intranet, IP allowlist), which the code does not show. A frontend of the
 * workspace calling it with credentials is refused: custom-header-not-allowed reports that call
 * (an error), so this check does not repeat it. With credentials on: an error when any site can
 * read the credentialed answers, a warning when credentials are decided at run time. When the
 * browser refuses the credentialed answers (`*` with credentials), the credentials setting does
 * nothing: a warning when the app keeps a cookie session of its own (its pages send cookies and
 * fail), else a note like allow-all without credentials (a frontend that sends cookies is again
 * reported at its call). Readable credentialed answers are a note too when the project was
 * searched, authenticates by a header and shows no cookie (`headerAuthOnly`): browsers add
 * cookies on their own, never an `Authorization` header, so there is nothing to ride on until
 * the app sets a cookie. Allow-all without credentials is a warning where the code shows it was
 * meant to be switched off and cannot be: its switch is the truth of an environment variable's
 * text (`bool(os.getenv("X", True))`), which "False" and "0" leave on; or an allowlist written
 * for it is never passed (`cors()` beside an unused `corsOptions`); or the development settings
 * decide allow-all themselves while the settings production builds on turn it on for everyone.
 */
/** The file's Starlette CORSMiddleware setups, which wrap every response of their app. */
const wrappedByAsgiMiddleware = (policy: Policy, context: CheckContext): boolean =>
  filePolicies(policy, context).some(
    (p) => p.framework === 'starlette' && !p.inactive && p.credentials !== false,
  );

export const allowAllOrigins: Check = {
  id: 'allow-all-origins',
  severity: 'info',
  description:
    'Every origin is allowed: public data is fine; with credentials, any website can make authenticated calls as the user.',
  severityNote:
    'error when credentialed answers are readable (a note when the project authenticates by ' +
    'header and shows no cookie, a warning when its cookies are SameSite=Lax or Strict); ' +
    'warning when credentials are decided at run time, refused ' +
    'while the app keeps a cookie session, when allow-all cannot be switched off (`bool()` of ' +
    'an environment variable), when an allowlist written for it is never passed or a separate ' +
    'allow-all switch overrides it, or when the ' +
    'development settings decide it while the shared base turns it on',
  productionOnly: true,
  fix: {
    description:
      'allowlist from `corsLens.allowedOrigins` / `HEADLESS_FRONTEND_URLS` / localhost dev servers',
    safety: 'review',
  },
  run(policy, context) {
    const at = policy.origins.allowAll ? policy.origins.allowAllAt : undefined;
    if (!at) return [];
    // Sent on the preflight answer only: no site reads a response (origin-on-preflight-only).
    if (preflightOnlyAnswer(policy, context) || starInPreflightOnly(policy, context)) return [];
    // `*` only as the default of an environment variable left unset (`os.getenv("FRONTEND_URL",
    // "*")`): a deploy that sets it allows what it says, and insecure-env-default reports the
    // default at this place (veerashok, held-out batch 55: an error here as well offered to
    // hard-code localhost over the lookup).
    // (A text's truth taken as the switch is this check's to explain: see below.)
    const envDefault = defaultReadAt(policy, at.span);
    if (envDefault && !envDefault.setBy && !truthOfTextReadAt(policy, at.span)) return [];
    // Hand-set headers under an ASGI CORS middleware of the same app: the middleware rewrites
    // them on the way out, and its own finding says what goes out (Open-LLM-VTuber's StaticFiles
    // subclass, held-out batch 22; seen on Starlette 0.26).
    if (policy.handSet && wrappedByAsgiMiddleware(policy, context)) return [];
    if (policy.handSet && starForListedOnly(policy, context)) return [];
    const fix = context
      .framework(policy)
      .fixes.allowOnly(policy, suggestedOrigins(policy, context), context);
    // Credentials only in another branch than the `*`: the `*` answers are public ones.
    if (policy.credentials === false || policy.origins.allowAllApart) {
      const unused = policy.unusedOptionsAt;
      if (unused?.unexported)
        return [
          {
            severity: 'warning',
            message:
              `${at.label}: every origin is allowed, though ${unused.label} lists the origins ` +
              `allowed: that module exports nothing, so require() gives {} and cors() runs with ` +
              `its defaults: any website can read what an anonymous caller gets. Export the ` +
              `options: module.exports = ${unused.unexported}.`,
            span: at.span,
            fix: exportOptions(unused.span.file, unused.unexported, context) ?? fix,
          },
        ];
      if (unused)
        return [
          {
            severity: 'warning',
            message:
              `${at.label}: every origin is allowed, though ${unused.label} lists the origins ` +
              `allowed and is passed to no cors() call: any website can read what an anonymous ` +
              `caller gets. Pass the options: cors(${unused.pass}).`,
            span: at.span,
            fix: passOptions(at.span, unused.pass, context) ?? fix,
          },
        ];
      const development = policy.decidedForDevelopmentAt;
      if (development)
        return [
          {
            severity: 'warning',
            message:
              `${at.label}: every origin is allowed in every environment built on this module, ` +
              `production included, though the development settings decide allow-all themselves ` +
              `(${development.label}): any website can read what an anonymous caller gets. Leave ` +
              `allow-all to the development settings.`,
            span: at.span,
            fix,
          },
        ];
      const ignored = ignoredAllowlist(policy, at);
      if (ignored)
        return [
          {
            severity: 'warning',
            message:
              `${at.label}: every origin is allowed, so the allowlist in ${ignored.label} ` +
              `(${ignored.count === 1 ? '1 entry' : `${ignored.count} entries`}) is never consulted: ` +
              `any website can read what an anonymous caller gets, though the list names the sites ` +
              `meant to. Turn ${at.label} off to apply the list.`,
            span: at.span,
            fix,
          },
        ];
      const stuck = truthOfTextReadAt(policy, at.span);
      if (stuck)
        return [
          {
            severity: 'warning',
            message:
              `${at.label}: allow-all is switched by the truth of ${stuck.name}'s text, and every ` +
              `non-empty text is true: ${stuck.name}=False or =0 means allow-all on, not off (only ` +
              `an empty value turns it off), so any website can read what an anonymous caller gets. ` +
              `Compare the text instead (== "True"), or read it with env.bool / cast=bool.`,
            span: at.span,
            fix,
          },
        ];
      return [
        {
          message:
            `${at.label}: public responses: any website can read what an anonymous caller gets, and no ` +
            `site can read the user's cookie- or auth-bearing answers (${
              policy.credentials === false
                ? 'credentials are not allowed'
                : `credentials go only with the origins the other branch lets in, never with the *`
            }). Fine ` +
            `for public data; list the frontends if the answers depend on where the request comes from ` +
            `(intranet, localhost, IP allowlist, client certificates).`,
          span: at.span,
          fix,
        },
      ];
    }
    if (policy.credentials === 'dynamic') {
      return [
        {
          severity: 'warning',
          message: `${at.label} with ${policy.credentialsAt?.label ?? 'credentials'} decided at run time: where credentials are on, any website may make authenticated calls as the user. List the frontends instead.`,
          span: at.span,
          fix,
        },
      ];
    }
    // Hand-set headers that also echo every Origin in another branch (a Lumen middleware's
    // OPTIONS answer writes `*`, its other answers the request's Origin, both with credentials:
    // alex3621's stock tracker, held-out batch 46): the echo is the exposure, reflect-any-origin
    // reports it where it is written, and the `*` is never what a cross-site page reads.
    if (
      policy.handSet &&
      policy.origins.reflectAny &&
      !sameSpan(policy.origins.reflectAny.span, at.span)
    )
      return [];
    return [credentialed(policy, at.label, context, fix)];
  },
};

/** Origins a file writes, at most this many asked about. */
const MAX_WRITTEN_ORIGINS = 20;

/**
 * Hand-set `*` written only under a test of the Origin against a list (trigate's `if
 * (in_array($origin, $allowed, true)) header('Access-Control-Allow-Origin: *')`, held-out batch
 * 47): per the model, an origin the file writes gets an answer a page can read, and a page
 * elsewhere does not.
 */
/**
 * A hand-set `*` written in the preflight branch (`if (req.method === 'OPTIONS') { ...; return }`)
 * of a file that names Access-Control-Allow-Origin nowhere else: only preflight answers carry it,
 * and no site reads a response (geocercas-app's session.js, held-out batch 56, whose first actual
 * answer in a fresh checkout is an error, so origin-on-preflight-only had no request to ask).
 */
function starInPreflightOnly(policy: Policy, context: CheckContext): boolean {
  const test = policy.preflightAt;
  const at = policy.origins.allowAllAt?.span;
  if (!policy.handSet || !test || !at || at.file !== test.file) return false;
  const text = context.text(test.file);
  const end = blockEnd(text, test.end);
  if (end === undefined || at.start < test.end || at.end > end) return false;
  const named = /access-control-allow-origin/gi;
  return [...text.matchAll(named)].every((m) => m.index >= test.start && m.index < end);
}

/** Characters of a branch read for its closing brace, at most. */
const MAX_BRANCH = 20_000;

/**
 * Where the `{ ... }` block right after `from` (an `if (...)` test) ends, braces counted outside
 * quotes; undefined when no block opens there or it does not close within `MAX_BRANCH`.
 */
function blockEnd(text: string, from: number): number | undefined {
  const open = /^\s*\{/.exec(text.slice(from, from + 200));
  if (!open) return undefined;
  let depth = 0;
  let quote = '';
  const last = Math.min(text.length, from + MAX_BRANCH);
  for (let i = from + open[0].length - 1; i < last; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

function starForListedOnly(policy: Policy, context: CheckContext): boolean {
  if (originAllowed(policy, ATTACKER_ORIGIN, context)) return false;
  const written = context.text(policy.file).matchAll(/['"](https?:\/\/[\w.-]+(?::\d+)?)['"]/g);
  let asked = 0;
  for (const [, origin] of written) {
    if (++asked > MAX_WRITTEN_ORIGINS) return false;
    if (originAllowed(policy, origin, context)) return true;
  }
  return false;
}

/** `cors()` → `cors(options)`: the edit that passes forgotten options, when the call is empty. */
function passOptions(call: Span, options: string, context: CheckContext): Report['fix'] {
  const text = context.text(call.file).slice(call.start, call.end);
  const empty = /\(\s*\)$/.exec(text);
  if (!empty) return undefined;
  const start = call.start + empty.index;
  return {
    title: `Pass ${options} to cors()`,
    edits: [{ file: call.file, start, end: call.end, newText: `(${options})` }],
  };
}

/**
 * `module.exports = name` appended to a module that exports nothing, with a semicolon when the
 * module ends its statements with one.
 */
function exportOptions(file: string, name: string, context: CheckContext): Report['fix'] {
  const text = context.text(file);
  const semicolon = /;[ \t]*$/m.test(text) ? ';' : '';
  return {
    title: `Export ${name}`,
    edits: [
      {
        file,
        start: text.length,
        end: text.length,
        newText: `${text.endsWith('\n') || !text ? '' : '\n'}module.exports = ${name}${semicolon}\n`,
      },
    ],
  };
}

/**
 * An allowlist written beside a separate allow-all switch that overrides it (Django's
 * `CORS_ALLOW_ALL_ORIGINS = True` over a `CORS_ALLOWED_ORIGINS` of thirteen sites: forma,
 * held-out batch 42, checked by its reviewer on Django 3.2 and django-cors-headers 3.14): the
 * list says which sites are meant, and it does nothing. Not a `*` inside the list itself.
 */
function ignoredAllowlist(
  policy: Policy,
  at: SourceRef,
): { label: string; count: number } | undefined {
  const list = policy.origins.listAt;
  // Hand-set headers pick `*` in another branch than the list's (their own decision, not a switch).
  if (!list || policy.handSet || policy.origins.allowAllApart || list.span.file !== at.span.file)
    return undefined;
  const count =
    // Every entry written, a malformed one too (malformed-origin names it; its fix keeps the count).
    policy.origins.exact.filter((e) => e.value.trim() !== '' && e.value !== '*').length +
    policy.origins.regexes.length;
  if (!count) return undefined;
  const inside = at.span.start >= list.span.start && at.span.end <= list.span.end;
  return inside ? undefined : { label: list.label, count };
}

/**
 * Allow-all with credentials on: readable by any site (error), or refused by browsers (a warning
 * when the app's own cookie session needs them, else a note).
 */
function credentialed(
  policy: Policy,
  label: string,
  context: CheckContext,
  fix: Report['fix'],
): Report {
  const span = policy.origins.allowAllAt?.span ??
    policy.at ?? { file: policy.file, start: 0, end: 0 };
  const credentials = policy.credentialsAt?.label ?? 'credentials';
  // The library refuses this at boot (rack-cors): there is no response to ask the model about.
  if (policy.startupError) {
    return {
      severity: 'error',
      message: `${label} with ${credentials}: ${policy.startupError.label}. List the frontends instead.`,
      span,
      fix,
    };
  }
  const attack = credentialedAttack(policy, context);
  const sent = attack.headers.map(([name, value]) => `${name}: ${value}`).join(', ');
  // Browsers attach cookies on their own, never an Authorization header: a project that
  // authenticates by header and has no cookie gives a cross-site page nothing to ride on (yet).
  const free = attack.readable ? cookieFree(policy, context) : undefined;
  if (free?.kind === 'public-files')
    return {
      severity: 'info',
      message:
        `${label} with ${credentials}: a page on ${ATTACKER_ORIGIN} gets ${sent}, but the answers ` +
        `here are files sent to any caller (${free.where.label}, no auth directive), so a ` +
        `cross-site page reads what an anonymous caller gets.`,
      span,
      fix,
    };
  if (free?.kind === 'header-auth')
    return {
      severity: 'info',
      message:
        `${label} with ${credentials}: a page on ${ATTACKER_ORIGIN} gets ${sent}, but no cookie-based ` +
        `auth is seen in this project (it authenticates by ${free.sign.sign}, which browsers never add ` +
        `to a cross-site request on their own). If you add cookies this becomes an error: list the ` +
        `frontends instead.`,
      span,
      fix,
    };
  // No auth of any kind, and no cookie anywhere in the workspace (Voidground's one stateless
  // upload endpoint, held-out batch 34): the credentialed read gets what an anonymous one does.
  if (free?.kind === 'no-auth')
    return {
      severity: 'info',
      message:
        `${label} with ${credentials}: a page on ${ATTACKER_ORIGIN} gets ${sent}, but no cookie or ` +
        `other auth is seen in this project, so a cross-site page reads what an anonymous caller ` +
        `gets. If you add cookies this becomes an error: list the frontends instead.`,
      span,
      fix,
    };
  if (free?.kind === 'same-site')
    return {
      severity: 'warning',
      message:
        `${label} with ${credentials}: a page on ${ATTACKER_ORIGIN} gets ${sent}. This project's ` +
        `cookies are SameSite (${free.sign.sign} in ${workspaceWhere(free.sign.span, policy.file, context)}), ` +
        `which browsers leave off other sites' requests: only pages of the same site (another ` +
        `subdomain, another port of localhost) can send the user's cookies and read the signed-in ` +
        `answers. List the frontends instead.`,
      span,
      fix,
    };
  if (free?.kind === 'no-cookie')
    return {
      severity: 'warning',
      message:
        `${label} with ${credentials}: a page on ${ATTACKER_ORIGIN} gets ${sent}, so every website can ` +
        `read this API's responses. No cookie is seen in this project, so a cross-site request ` +
        `carries nothing the browser adds on its own; if the app sets a cookie this becomes an ` +
        `error. List the frontends instead.`,
      span,
      fix,
    };
  if (attack.readable)
    return {
      severity: 'error',
      message: `${label} with ${credentials}: a page on ${ATTACKER_ORIGIN} gets ${sent}, so any website can send the user's cookies (those the browser sends cross-site) and read the authenticated responses.`,
      span,
      fix,
    };
  // No headers on the asked request: the handler refused it first (a missing token), not the CORS
  // lines (stackunity's auth middleware, held-out batch 20).
  const answers = sent
    ? `the server answers ${sent}, which browsers refuse for credentialed requests`
    : 'browsers refuse Access-Control-Allow-Origin: * on credentialed requests';
  // A hand-set fallback `*` beside an echo of listed origins (madebyaris' Worker, held-out batch
  // 53): the listed sites get their own origin and credentials work for them.
  const listed = policy.handSet
    ? policy.origins.exact
        .map((e) => e.value)
        .filter((o) => o.includes('://') && originAllowed(policy, o, context))
    : [];
  if (!policy.sessionAt && listed.length && sent)
    return {
      severity: 'info',
      message:
        `${label} with ${credentials} for the origins outside the list: the server answers them ${sent}, ` +
        `which browsers refuse for credentialed requests, so those sites read only what an anonymous ` +
        `caller gets. The listed origins (${listed.slice(0, 3).join(', ')}${listed.length > 3 ? ', …' : ''}) ` +
        `get their own origin back and can send credentials.`,
      span,
      fix,
    };
  return policy.sessionAt
    ? {
        severity: 'warning',
        message: `${label} with ${credentials}: ${answers}, so the cookie-carrying calls of the app's own session fail cross-origin. List the frontends instead.`,
        span,
        fix,
      }
    : {
        severity: 'info',
        message:
          `${label} with ${credentials}: ${answers}, so the credentials setting does nothing and every ` +
          `site reads only what an anonymous caller gets (public responses). Fine for public data; list ` +
          `the frontends if a frontend sends cookies or the answers depend on where the request comes from.`,
        span,
        fix,
      };
}

const sameSpan = (a: Span, b: Span): boolean =>
  a.file === b.file && a.start === b.start && a.end === b.end;
