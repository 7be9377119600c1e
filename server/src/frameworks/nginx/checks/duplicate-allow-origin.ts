import path from 'node:path';
import { preview } from '../../../replay/replay';
import { modelLabel } from '../../../replay/library-model';
import { placedHeaders } from '../neutral';
import { indentAt, insertLinesAfter } from '../text-edits';
import { nginxInFront, proxiedPath, type NginxProxy, type ProxiedApp } from '../model';
import type { NginxFacts, NginxHeader } from '../facts';
import { type Policy, type SourceRef, factsOf } from '../../../policy/types';
import type { WorkspaceApp } from '../../../workspace/types';
import { allowedOrigins } from '../../../checks/support/allowed-origins';
import { ATTACKER_ORIGIN, apiUrl, coveredPath } from '../../../checks/support/attacker';
import { isCorsHeader, lineOf } from '../levels';
import { answeredBy, appPolicyFor, appsBehind } from '../proxied-apps';
import type { Check, CheckContext, Report } from '../../../checks/types';
import type { Fix } from '../../../policy/edits';

const ACAO = 'access-control-allow-origin';
const isAcao = (h: NginxHeader) => h.name.toLowerCase() === ACAO;

/**
 * `proxy_hide_header` lines after `proxy_pass` (`uwsgi_hide_header` after `uwsgi_pass`); an
 * inherited list is repeated, since a location's own list replaces it. `kept`: nginx's own CORS
 * headers, which become the only ones: those without `always` get it, as the app's no longer
 * cover its error answers.
 */
function hideFix(
  proxy: NginxProxy,
  names: string[],
  context: CheckContext,
  kept: NginxHeader[] = [],
): Fix {
  const text = context.text(proxy.span.file);
  const inherited = proxy.ownHide ? [] : proxy.hide;
  const lines = [...inherited, ...names]
    .map((name) => `${indentAt(text, proxy.span.start)}${proxy.module}_hide_header ${name};\n`)
    .join('');
  const always = kept
    .filter((h) => !h.always && isCorsHeader(h) && h.span.file === proxy.span.file)
    .map((h) => ({ ...h.value.span, start: h.value.span.end, newText: ' always' }));
  return {
    title:
      `Hide the app's ${names.join(', ')} (${proxy.module}_hide_header)` +
      (always.length ? ", and send nginx's with `always`" : ''),
    edits: [insertLinesAfter(text, proxy.span.file, proxy.span.end, lines), ...always],
  };
}

/**
 * Where nginx's header is said: its own line, or, when it comes from a snippet the location
 * includes, the location's `proxy_pass` (the snippet's own analysis does not see the proxy:
 * Radahell's `include conf.d/cors.conf` before `proxy_pass http://backend`, held-out batch 55).
 */
function nginxAt(header: NginxHeader, proxy: NginxProxy, nginxText: string) {
  const line = lineOf(nginxText, header.span.start);
  const own = header.span.file === proxy.span.file;
  return {
    span: own ? header.span : proxy.span,
    where: own ? `line ${line}` : `${path.basename(header.span.file)}:${line}`,
    file: `${path.basename(header.span.file)}:${line}`,
  };
}

/** A path the location serves, for asking the models (a prefix that is no path serves none). */
const samplePath = (policy: Policy, facts: NginxFacts) =>
  ['', '^~', '='].includes(facts.location.modifier ?? '~') && facts.location.pattern.startsWith('/')
    ? facts.location.pattern
    : coveredPath(policy);

/** Where an app's policy lets origins in (its allowlist, `*`, the echo), for the related link. */
function appOriginSource(policy: Policy): SourceRef | undefined {
  const o = policy.origins;
  const first = [
    ...o.exact.map((e) => ({ span: e.span, label: `'${e.value}'` })),
    ...o.regexes.map((r) => ({ span: r.span, label: `'${r.pattern}'` })),
  ].find((e) => e.span);
  const at = first?.span ?? policy.at;
  return (
    o.allowAllAt ??
    o.reflectAny ??
    o.listAt ??
    (at && { span: at, label: first?.label ?? 'its CORS setup' })
  );
}

/** The first request (by origin) whose response, nginx and app together, carries Access-Control-Allow-Origin twice. */
function doubled(policy: Policy, app: ProxiedApp, origins: string[], path: string) {
  const model = nginxInFront(app);
  for (const origin of origins) {
    const result = preview(policy, model, {
      url: apiUrl(path),
      origin,
      method: 'GET',
      headers: [],
      credentials: 'omit',
    });
    const lines = (result.actual?.headers ?? []).filter(([name]) => name.toLowerCase() === ACAO);
    // Chromium's own words, without its "Access to fetch at ... blocked by CORS policy:" preamble.
    const reason = (result.verdict.reasons[0] ?? '').replace(/^.*? blocked by CORS policy: /, '');
    if (lines.length > 1) return { origin, lines, reason };
  }
  return undefined;
}

/** A request from `origin` answered (nginx and its upstream in one file) with the header twice. */
function doubledInConfig(policy: Policy, path: string, origin: string, context: CheckContext) {
  const result = preview(policy, context.framework(policy).model, {
    url: apiUrl(path),
    origin,
    method: 'GET',
    headers: [],
    credentials: 'omit',
  });
  const count = (result.actual?.headers ?? []).filter(([n]) => n.toLowerCase() === ACAO).length;
  if (count < 2) return undefined;
  // Chromium's own words, without its "Access to fetch at ... blocked by CORS policy:" preamble.
  const reason = (result.verdict.reasons[0] ?? '').replace(/^.*? blocked by CORS policy: /, '');
  return { origin, count, reason };
}

/** nginx and an app of the workspace behind it both answer with Access-Control-Allow-Origin. */
function behindWorkspaceApps(
  policy: Policy,
  facts: NginxFacts,
  proxy: NginxProxy,
  apps: WorkspaceApp[],
  added: NginxHeader[],
  context: CheckContext,
): Report[] {
  const header = facts.location.level.effective.find(isAcao) ?? added.find(isAcao)!;
  const requestPath = samplePath(policy, facts);
  const forwarded = proxiedPath(facts.location, proxy, requestPath);
  const nginxText = context.text(header.span.file);
  const reports: Report[] = [];
  for (const app of apps) {
    // Behind fastcgi_pass a front controller (Laravel's index.php) routes the path the client
    // asked for, whatever the PHP location's own pattern: asked on a path of the app's policy.
    const appPolicy =
      proxy.module === 'fastcgi'
        ? app.policies.find((p) => p.configured && !p.inactive)
        : appPolicyFor(app, forwarded);
    const source = appPolicy && appOriginSource(appPolicy);
    if (!appPolicy || !source) continue;
    const asked = proxy.module === 'fastcgi' ? coveredPath(appPolicy) : requestPath;
    const origins = [
      ...new Set([
        ...allowedOrigins(policy),
        ...allowedOrigins(appPolicy),
        'https://app.example.com',
        ATTACKER_ORIGIN,
      ]),
    ];
    const found = doubled(policy, answeredBy(app, context), origins, asked);
    if (!found) {
      const always = appPolicy.origins.alwaysSent;
      // Asked with a stand-in for the value the app sends: only where nginx adds its own line to
      // the proxied answer (not in a branch that returns, nor hidden) are there two.
      if (always && doubled(policy, withAppOrigin(app, context), origins, asked))
        reports.push({
          ...alwaysSentByApp(proxy, header, app, always, nginxText, facts),
          fix: hideFix(proxy, sentByApp(appPolicy, added, proxy), context, added),
        });
      continue;
    }
    // Hide what both send; headers only the app sends stay (nginx does not replace them).
    const appModel = context.framework(appPolicy).model;
    const appSends = appModel
      .respond(appPolicy, {
        method: 'GET',
        path: proxy.module === 'fastcgi' ? asked : forwarded,
        headers: [['Origin', found.origin]],
      })
      .headers.map(([n]) => n.toLowerCase());
    const hidden = new Set(proxy.hide.map((h) => h.toLowerCase()));
    const names = [...new Set(added.map((h) => h.name))].filter(
      (name) =>
        (name.toLowerCase() === ACAO || appSends.includes(name.toLowerCase())) &&
        !hidden.has(name.toLowerCase()),
    );
    const appLabel = modelLabel(appModel, appPolicy);
    const appName = `${appLabel} in ${path.relative(path.dirname(header.span.file), app.file) || app.file}`;
    const at = nginxAt(header, proxy, nginxText);
    reports.push({
      severity: 'error',
      message:
        `Both nginx (${at.where}) and the app behind ${proxy.target} ` +
        `(${appName}: ${source.label}) send ${header.name} for \`location ${facts.location.pattern}\`: ` +
        `a request from ${found.origin} gets ${found.lines.length} lines (${found.lines.map(([, v]) => `'${v}'`).join(', ')}) and the browser refuses the response ("${found.reason}"). Keep one source.`,
      span: at.span,
      fix: hideFix(proxy, names, context, added),
      related: [
        {
          span: source.span,
          message: `${appLabel} sends ${header.name} too (${source.label}); nginx adds another at ${at.file}`,
        },
      ],
    });
  }
  return reports;
}

/** The app's answers, each with an Access-Control-Allow-Origin line of a value not known here. */
function withAppOrigin(app: WorkspaceApp, context: CheckContext): ProxiedApp {
  const answer = answeredBy(app, context);
  return (proxy, request) => {
    const response = answer(proxy, request);
    if (!response || response.headers.some(([name]) => name.toLowerCase() === ACAO))
      return response;
    return {
      ...response,
      headers: [
        ...response.headers,
        ['Access-Control-Allow-Origin', 'https://value-not-known.test'],
      ],
    };
  };
}

/**
 * The headers nginx adds that an app sending its origin on every response sends on an actual
 * answer too (its credentials and exposed headers), not hidden yet: both copies would reach the
 * browser, and `Access-Control-Allow-Credentials: true, true` fails as surely as two origins.
 */
function sentByApp(app: Policy, added: NginxHeader[], proxy: NginxProxy): string[] {
  const hidden = new Set(proxy.hide.map((h) => h.toLowerCase()));
  const sends = new Set([ACAO]);
  if (app.credentials === true) sends.add('access-control-allow-credentials');
  if (app.expose.names.length) sends.add('access-control-expose-headers');
  return [...new Set(added.map((h) => h.name))].filter(
    (name) => sends.has(name.toLowerCase()) && !hidden.has(name.toLowerCase()),
  );
}

/**
 * nginx adds Access-Control-Allow-Origin in front of an app whose `cors` origin is a string read
 * at run time (`origin: process.env.FRONTEND_URL`): whatever it holds, the package sends it on
 * every response once it is set (unset, `cors()` does nothing, and the app's frontend gets no
 * CORS at all), so each response carries two values (chartman, held-out batch 39: a NestJS app
 * behind nginx). The value is not known: the nginx model is asked with a stand-in for it.
 */
function alwaysSentByApp(
  proxy: NginxProxy,
  header: NginxHeader,
  app: WorkspaceApp,
  always: SourceRef,
  nginxText: string,
  facts: NginxFacts,
): Report {
  const where = path.relative(path.dirname(header.span.file), app.file) || app.file;
  const at = nginxAt(header, proxy, nginxText);
  return {
    severity: 'error',
    message:
      `Both nginx (${at.where}) and the app behind ${proxy.target} ` +
      `(${where}: ${always.label}) send ${header.name} for \`location ${facts.location.pattern}\`: ` +
      `the app's origin is a string it sends as it is on every response once it is set, whatever ` +
      `it holds, so every response carries two values and the browser refuses it ("The ` +
      `'Access-Control-Allow-Origin' header contains multiple values, but only one is allowed"). ` +
      `Keep one source.`,
    span: at.span,
    related: [
      {
        span: always.span,
        message: `the app sends ${header.name} on every response (${always.label}); nginx adds another at ${at.file}`,
      },
    ],
  };
}

/**
 * nginx adds Access-Control-Allow-Origin in front of an app that sets it in code CORS Lens does
 * not read (a Go app's go-chi/cors): no model says which origins the app answers, but those are the
 * ones the page is meant to work for, and each of their responses carries two values.
 */
function behindUnreadApp(
  proxy: NginxProxy,
  acao: NginxHeader,
  app: SourceRef,
  where: string,
  fix: Fix,
): Report {
  return {
    message:
      `Both nginx (${where}) and the app behind ${proxy.target} (${app.label}, in code CORS Lens ` +
      `does not read) set ${acao.name}: every response the app adds it to carries two values, ` +
      `and the browser refuses it ("The 'Access-Control-Allow-Origin' header contains multiple ` +
      `values, but only one is allowed"). Keep one source.`,
    span: acao.span,
    fix,
    related: [{ span: app.span, message: `the app sets CORS headers here (${app.label})` }],
  };
}

export const duplicateAllowOrigin: Check = {
  id: 'duplicate-allow-origin',
  severity: 'warning',
  frameworks: ['nginx'],
  description:
    'nginx adds Access-Control-Allow-Origin to responses of a proxied app that may send its own: two values, and the browser refuses both.',
  severityNote:
    "error when the app is in the same config or the workspace: nginx's line, linked to the app's setting",
  fix: { description: '`proxy_hide_header` for the CORS headers both send', safety: 'review' },
  run(policy, context) {
    const facts = factsOf(policy, 'nginx');
    const proxy = facts?.location.content;
    // A location in front of an app CORS Lens cannot read is inactive for every other check.
    if (!facts || proxy?.kind !== 'proxy' || (policy.inactive && !facts.unreadUpstream)) return [];
    const hidden = new Set(proxy.hide.map((h) => h.toLowerCase()));
    if (hidden.has(ACAO)) return [];
    const added = [...new Set(placedHeaders(facts).map((p) => p.header))].filter(isCorsHeader);
    const acao = added.find(isAcao);
    if (!acao) return [];
    const hide = [...new Set(added.map((h: NginxHeader) => h.name))].filter(
      (name) => !hidden.has(name.toLowerCase()),
    );
    const fix = hideFix(proxy, hide, context);
    const where = `add_header ${acao.name} at line ${lineOf(context.text(acao.span.file), acao.span.start)}`;
    if (facts.unreadUpstream)
      return [behindUnreadApp(proxy, acao, facts.unreadUpstream, where, fix)];
    if (!proxy.upstream) {
      // An app of the workspace listens there: its model says whether it sends its own.
      // An app nobody can see is not reported: most apps behind a proxy that adds CORS headers send none.
      const apps = appsBehind(proxy, context.workspace, (f) => context.text(f));
      return apps.length ? behindWorkspaceApps(policy, facts, proxy, apps, added, context) : [];
    }
    // The app is a server of this configuration: ask the model what really arrives.
    const path = ['', '^~', '='].includes(facts.location.modifier ?? '~')
      ? facts.location.pattern
      : '/';
    const origins = [policy.origins.exact[0]?.value ?? 'https://app.example.com', ATTACKER_ORIGIN];
    let twice: ReturnType<typeof doubledInConfig>;
    for (const origin of origins) twice ??= doubledInConfig(policy, path, origin, context);
    if (!twice) return [];
    return [
      {
        severity: 'error',
        message: `Both nginx (${where}) and the app behind ${proxy.target} send ${acao.name}: a request from ${twice.origin} gets ${twice.count} values and the browser refuses the response ("${twice.reason}").`,
        span: proxy.span,
        fix,
      },
    ];
  },
};
