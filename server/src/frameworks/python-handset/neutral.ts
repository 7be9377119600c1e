/** What hand-written header code adds up to, as the framework-neutral policy. */
import type { HandsetCondition, HandsetHeader, HandsetStep, PythonHandsetFacts } from './facts';
import type { Policy } from '../../policy/types';
import { guardedHeaders, preflightBranches } from '../../lang/handset-branches';
import { handsetLabel, originGuards, summarize, summaryFields } from '../../lang/handset-policy';

/** Every header written in `steps` (branches and returns included), with the conditions around it. */
export const headersOf = (steps: HandsetStep[]) =>
  guardedHeaders<HandsetStep, HandsetHeader, HandsetCondition>(steps, (s) =>
    s.kind === 'header' ? [s] : s.kind === 'return' ? s.headers : [],
  );

/** Whether conditions (all of which hold) need a switch on. */
const needsSwitch = (conditions: HandsetCondition[]): boolean =>
  conditions.some((c) => c.kind === 'switch' || (c.kind === 'and' && needsSwitch(c.parts)));

/** A view that takes a request body or tests for a method that sends one. */
const TAKES_BODY =
  /\brequest\.(?:body|POST|data|FILES|json|get_json|form|stream)\b|json\.loads\s*\(|\.method\s*(?:==|!=|in)\s*[(['"]+\s*(?:POST|PUT|PATCH|DELETE)/;

/**
 * The methods the views answer where it can be told: the route's own list (Flask's default is
 * GET), or GET alone for a Django function view that reads no body and tests for no method that
 * sends one (pretalx's widget feed, held-out batch 7: a read-only JSON view is not asked a PUT
 * preflight). Undefined when any handler is a hook, or the view may take a body.
 */
function servedMethods(
  read: Omit<PythonHandsetFacts, 'switchesOn'>,
  textOf: (file: string) => string,
): string[] | undefined {
  if (!read.handlers.length || read.handlers.some((h) => h.stage !== 'view')) return undefined;
  const methods = new Set<string>();
  for (const { route, span } of read.handlers) {
    const listed =
      route?.methods ??
      (read.framework === 'flask'
        ? ['GET']
        : read.framework === 'django' &&
            !TAKES_BODY.test(textOf(span.file).slice(span.start, span.end))
          ? ['GET']
          : undefined);
    if (!listed) return undefined;
    // OPTIONS is the preflight itself, not a method a request is sent with.
    for (const method of listed)
      if (method.toUpperCase() !== 'OPTIONS') methods.add(method.toUpperCase());
    if (methods.has('GET')) methods.add('HEAD');
  }
  return [...methods];
}

/** A test of the Origin the reader could not read, at any depth. */
const unread = (c: HandsetCondition): boolean =>
  c.kind === 'origin-unread' ||
  (c.kind === 'not' && unread(c.inner)) ||
  ((c.kind === 'and' || c.kind === 'or') && c.parts.some(unread));

/**
 * `*` written by some views and credentials by others, never by one view: no response carries
 * both (one view answers a request; a hook would run for every one). Tautulli's vendored
 * cherrypy_cors (held-out batch 20): `_add_public_origin` and `_add_origin_and_credentials_headers`.
 */
function starApartFromCredentials(handlers: PythonHandsetFacts['handlers']): boolean {
  const writes = (h: PythonHandsetFacts['handlers'][number], name: string, value?: string) =>
    headersOf(h.steps).some(
      ({ header }) =>
        header.name.toLowerCase() === name &&
        (value === undefined || (header.value.kind === 'literal' && header.value.value === value)),
    );
  const stars = handlers.filter((h) => writes(h, 'access-control-allow-origin', '*'));
  const credentials = handlers.filter((h) => writes(h, 'access-control-allow-credentials'));
  return (
    stars.length > 0 &&
    credentials.length > 0 &&
    [...stars, ...credentials].every((h) => h.stage === 'view') &&
    !stars.some((h) => credentials.includes(h))
  );
}

/** The neutral policy of a module's hand-written CORS headers. */
export function neutralPolicy(
  file: string,
  files: string[],
  textOf: (file: string) => string,
  read: Omit<PythonHandsetFacts, 'switchesOn'>,
): Policy {
  // A handler for OPTIONS alone (Tornado's `options` method) writes on preflights only.
  const preflightOnly: HandsetCondition = { kind: 'method', methods: ['OPTIONS'] };
  const written = read.handlers.flatMap((h) =>
    headersOf(h.steps).map((w) =>
      h.route?.methods?.length === 1 && h.route.methods[0] === 'OPTIONS'
        ? { ...w, conditions: [preflightOnly, ...w.conditions] }
        : w,
    ),
  );
  const origins = written.filter(
    ({ header }) => header.name.toLowerCase() === 'access-control-allow-origin',
  );
  const facts: PythonHandsetFacts = {
    ...read,
    switchesOn: origins.length > 0 && origins.every(({ conditions }) => needsSwitch(conditions)),
  };
  // An echo the operator switches on is their choice to let every site in, as `*` would be:
  // allow-all (whose check asks the model what credentials make of it), not a reflect by mistake.
  // With the switches off, as the model runs them, what only a switch turns on is not sent
  // (luigi's `allow_null_origin` and `allow_credentials` options, both off unless configured).
  const summarized = written
    .filter((w) => facts.switchesOn || !needsSwitch(w.conditions))
    .map((w) =>
      w.header.name.toLowerCase() === 'access-control-allow-origin' &&
      w.header.value.kind === 'origin' &&
      needsSwitch(w.conditions)
        ? { ...w, header: { ...w.header, value: { kind: 'literal' as const, value: '*' } } }
        : w,
    );
  // An allowlist may be imported: its span is in another file, so each label reads its own file.
  const summary = summarize(summarized, {
    label: (span) => handsetLabel(textOf(span.file), span),
    echoes: (value) => value.kind === 'origin',
    guards(conditions) {
      const found = originGuards(conditions, true);
      return found.length || !conditions.some(unread) ? found : undefined;
    },
  });
  if (starApartFromCredentials(read.handlers)) summary.origins.allowAllApart = true;
  const preflightHandler = facts.handlers.find((h) => preflightBranches(h.steps).length);
  const preflight = preflightHandler && preflightBranches(preflightHandler.steps)[0];
  const originHandler = facts.handlers.find((h) =>
    headersOf(h.steps).some(
      ({ header }) => header.name.toLowerCase() === 'access-control-allow-origin',
    ),
  );
  return {
    framework: 'python-handset',
    file,
    files,
    at: facts.handlers[0].span,
    configured: true,
    handSet: true,
    ...(originHandler && originHandler.stage !== 'view' ? { everyRoute: true } : {}),
    ...summaryFields(summary),
    urlRegex: null,
    allowPrivateNetwork: false,
    // Hooks have no route of their own: a path the app routes (aiohttp answers others with 404).
    samplePath:
      (preflightHandler ?? originHandler)?.route?.sample ??
      (read.routes?.find((r) => r.methods.includes('GET')) ?? read.routes?.[0])?.sample,
    varyAt: summary.varyAt,
    unvariedAt: summary.unvariedAt,
    preflightAt: preflight?.span,
    ...(preflightHandler?.wrappedBy
      ? {
          answeredFirstBy: {
            span: preflightHandler.wrappedBy,
            label: handsetLabel(
              textOf(preflightHandler.wrappedBy.file),
              preflightHandler.wrappedBy,
            ),
          },
        }
      : {}),
    servedMethods: servedMethods(read, textOf),
    facts,
  };
}
