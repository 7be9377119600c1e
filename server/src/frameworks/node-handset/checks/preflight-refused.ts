import { type Span, factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';
import { allowedOrigins } from '../../../checks/support/allowed-origins';
import { apiUrl } from '../../../checks/support/attacker';
import { handsetLabel } from '../../../lang/handset-policy';
import { preview } from '../../../replay/replay';
import { checkAmbientBudget } from '../../../base/budget';
import { layerMatches } from '../../express-cors/model';
import { samplePathOf } from '../extract';
import { answer } from '../model';

const STAND_IN = 'https://app.example.com';

/** Routes as a message names them: the first three, and how many more. */
const listed = (routes: string[]): string =>
  routes.slice(0, 3).join(', ') + (routes.length > 3 ? ` and ${routes.length - 3} more` : '');

/** A call that answers preflights with an error status, and the routes it does that for. */
interface Refusal {
  span: Span;
  status: number;
  reason: string;
  routes: string[];
  /** The first such route's registration. */
  head: Span;
}
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** How many routes are asked about at most: a refusal shows on the first ones it guards. */
const MAX_ASKED = 200;

/**
 * A handler of the app's own (an auth check, a method filter) answers the preflight with an
 * error status before any route does: browsers send a preflight without cookies or an
 * Authorization header and fail a status outside 200-299, so every cross-origin request that
 * needs one fails on the routes it guards (matrix-appservice-bridge, held-out batch 29: its
 * authenticateRequest answered OPTIONS 401 ahead of the provisioning routes). Asked of the model
 * per route the CORS code covers, only where the model read every condition on the way.
 */
export const preflightRefused: Check = {
  id: 'preflight-refused',
  severity: 'warning',
  frameworks: ['node-handset'],
  description:
    "The app's own code (an auth check, a method filter) answers the CORS preflight with an error status before any route does, so every cross-origin request that needs a preflight fails there.",
  run(policy, context) {
    const facts = factsOf(policy, 'node-handset');
    if (!facts || policy.inactive) return [];
    const open = policy.origins.allowAll || !!policy.origins.reflectAny;
    const origin = allowedOrigins(policy)[0] ?? (open ? STAND_IN : undefined);
    if (!origin) return [];
    const own = facts.stack.filter((layer) => layer.run.includes(facts.own));
    // Per refusing call: its status, the browser's reason, and the routes it refuses.
    const found = new Map<number, Refusal>();
    // Each route, and each mount of its own (`app.use('/jobs', check, handler)`), asked once per
    // path and method; each answer replays the stack, so the asking is charged to the budget.
    const asked = new Set<string>();
    for (const route of facts.stack) {
      checkAmbientBudget();
      if (
        route.kind === 'use'
          ? own.includes(route)
          : route.methods === 'all' || route.methods.includes('OPTIONS')
      )
        continue;
      const path = samplePathOf(route.path);
      // Only routes the CORS code answers for: elsewhere a refused preflight may be meant.
      if (!path || !own.some((l) => layerMatches(l, 'OPTIONS', path, facts.expressMajor))) continue;
      // A write method needs a preflight for its JSON body; a read one for a token header.
      const methods = route.methods === 'all' ? ['POST'] : route.methods;
      const method = methods.find((m) => !SAFE.has(m)) ?? methods[0];
      if (asked.has(`${method} ${path}`) || asked.size >= MAX_ASKED) continue;
      asked.add(`${method} ${path}`);
      const sends: [string, string] =
        method === 'GET' || method === 'HEAD'
          ? ['Authorization', 'Bearer token']
          : ['Content-Type', 'application/json'];
      const { response, sentBy, guessed } = answer(facts, {
        method: 'OPTIONS',
        path,
        headers: [
          ['Origin', origin],
          ['Access-Control-Request-Method', method],
          ['Access-Control-Request-Headers', sends[0].toLowerCase()],
        ],
      });
      if (guessed || !sentBy || response.status < 300) continue;
      if (facts.handlers[sentBy.handler]?.writesCors) continue;
      const known = found.get(sentBy.span.start);
      if (known) {
        known.routes.push(`${method} ${path}`);
        continue;
      }
      const { verdict } = preview(policy, context.framework(policy).model, {
        url: apiUrl(path),
        origin,
        method,
        headers: [sends],
        credentials: 'omit',
      });
      if (!verdict.allowed)
        found.set(sentBy.span.start, {
          span: sentBy.span,
          status: response.status,
          reason: (verdict.reasons[0] ?? 'the CORS check fails').replace(/\.$/, ''),
          routes: [`${method} ${path}`],
          head: route.head,
        });
    }
    return [...found.values()].map((refusal) => ({
      message:
        `This answers the CORS preflight (OPTIONS) with ${refusal.status} (${handsetLabel(context.text(refusal.span.file), refusal.span)}) before any route does: ` +
        `browsers send the preflight without cookies or an Authorization header, so a page on ${open ? 'any website' : origin} ` +
        `fails every request that needs one (a JSON body, a token header) to ${listed(refusal.routes)}: "${refusal.reason}". ` +
        `Let OPTIONS requests through before this check.`,
      span: refusal.span,
      related: [{ span: refusal.head, message: refusal.routes[0] }],
    }));
  },
};
