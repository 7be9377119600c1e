import path from 'node:path';
import { ATTACKER_ORIGIN, coveredPath, originAllowed } from '../../../checks/support/attacker';
import type { Check, CheckContext } from '../../../checks/types';
import { modelAnswer } from '../../../replay/replay';
import { type Policy, type Span, factsOf } from '../../../policy/types';
import { appWide } from '../stacked-cors';
import type { ExpressLayer } from '../facts';
import { samplePath } from '../routes';

/** The earlier layer as it answers without the `cors()` layers registered after it. */
function alone(policy: Policy): Policy {
  const facts = factsOf(policy, 'express-cors');
  return facts?.later ? { ...policy, facts: { ...facts, later: undefined } } : policy;
}

/** What the app's stack sends a plain GET from `origin` in Access-Control-Allow-Origin. */
function allowOriginSent(
  policy: Policy,
  origin: string,
  context: CheckContext,
): string | undefined {
  const answer = modelAnswer(context.framework(policy).model, policy, {
    method: 'GET',
    path: coveredPath(policy),
    headers: [['Origin', origin]],
  });
  return answer.headers.find(([n]) => n.toLowerCase() === 'access-control-allow-origin')?.[1];
}

/**
 * A path whose requests run through both layers: a route the app registers after `mount` (one
 * registered between the two answers before the later `cors()` runs), else the app's root.
 */
function pathBelow(policy: Policy, mount: ExpressLayer): string {
  const routes = factsOf(policy, 'express-cors')?.routes.all ?? [];
  return (
    routes
      .filter((r) => r.at > mount.at)
      .map(samplePath)
      .find((p) => p !== undefined) ?? '/'
  );
}

/** `file:line` of a span, relative to the reported file's folder. */
function placeOf(span: Span, from: string, context: CheckContext): string {
  const line = context.text(span.file).slice(0, span.start).split('\n').length;
  return `${path.relative(path.dirname(from), span.file) || path.basename(span.file)}:${line}`;
}

/**
 * Two app-wide `cors()` on one app (in one module, or the first where the app is built and the
 * second where it is imported): the first ends every preflight, so the later one never answers
 * one; on an actual request both run, and the later one's headers replace the first's. When the
 * later one lets in a site the first refuses, the first's allowlist holds for preflighted
 * requests only; when it leaves out a site the first allows (or sends `*` to its credentialed
 * requests), that site's actual requests fail though their preflights pass. The model replays the
 * whole stack, verified against real express 4 and 5 with cors 2.8 (the stacked-* cases of
 * test/truth/express-cors.test.ts).
 */
export const expressCorsStacked: Check = {
  id: 'express-cors-stacked',
  severity: 'warning',
  frameworks: ['express-cors'],
  description:
    "A second app-wide cors() replaces the first one's headers on actual requests while the first answers every preflight, so the two disagree.",
  run(policy, context) {
    const earlier = factsOf(policy, 'express-cors')?.earlier;
    const mount = appWide(policy);
    if (!earlier?.length || !mount) return [];
    const prior = earlier[earlier.length - 1];
    // Both asked about a path the later layer runs for, as a GET there.
    const sample = { samplePath: pathBelow(policy, mount), sampleMethod: 'GET' };
    const stacked = { ...policy, ...sample };
    const before = { ...alone(prior.policy), ...sample };
    const where = placeOf(prior.mount, policy.file, context);
    const related = [
      {
        span: prior.mount,
        message: 'the cors() whose answer preflights get, and whose headers this one replaces',
      },
    ];
    const lead = `This cors() runs after the app-wide cors() at ${where} on every actual request and replaces its headers`;
    const advice = 'Keep one cors() for the app: remove this one, or give both the same options.';
    const parts: string[] = [];
    if (
      originAllowed(stacked, ATTACKER_ORIGIN, context) &&
      !originAllowed(before, ATTACKER_ORIGIN, context)
    )
      parts.push(
        `it sends Access-Control-Allow-Origin: ${allowOriginSent(stacked, ATTACKER_ORIGIN, context)} to any site (${ATTACKER_ORIGIN}), ` +
          `which then reads every answer to a plain GET or form post, though the cors() at ${where} refuses it; ` +
          `preflights still get that one's answer (it ends them), so its allowlist holds only for requests that need one`,
      );
    // A frontend the earlier layer lets in with credentials, given `*` by the later one: its
    // cookie-bearing requests pass their preflights and fail. (A later layer with another list
    // is how apps give each part its own policy: the sites of one rarely call the other.)
    const broken = before.origins.exact
      .map((entry) => entry.value)
      .find(
        (origin) =>
          before.credentials === true &&
          originAllowed(before, origin, context, 'include') &&
          allowOriginSent(stacked, origin, context) === '*',
      );
    if (broken)
      parts.push(
        `${broken}, which the cors() at ${where} allows with credentials, gets Access-Control-Allow-Origin: * ` +
          'on its actual requests, which the browser refuses with credentials, though their preflights pass ' +
          `(the cors() at ${where} answers those)`,
      );
    if (!parts.length) return [];
    return [{ message: `${lead}: ${parts.join('. And ')}. ${advice}`, span: mount.span, related }];
  },
};
