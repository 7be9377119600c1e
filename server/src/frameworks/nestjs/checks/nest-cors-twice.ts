import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';
import { preview } from '../../../replay/replay';
import { apiUrl, coveredPath } from '../../../checks/support/attacker';
import { jsRemoveAt } from '../../../lang/javascript/sequence-edits';
import type { NestCorsLayer } from '../facts';

/** A frontend's origin, for a layer whose allowlist is not written out. */
const FRONTEND = 'https://app.example.com';

/** The origin a credentialed layer lets in, to ask the whole stack with (its first listed one). */
const listedOrigin = (layer: NestCorsLayer): string | undefined =>
  layer.origins.exact.find((o) => /^https?:\/\/[^/*]+$/.test(o.value))?.value;

/**
 * `NestFactory.create(AppModule, { cors: true })` beside `app.enableCors({ origin, credentials:
 * true })`: two `cors` layers on one app. Nest applies the create option in `init()` (at
 * `listen`), after `enableCors`, so its `Access-Control-Allow-Origin: *` replaces the origin the
 * other layer sends while that layer's `Access-Control-Allow-Credentials: true` stays: browsers
 * refuse every credentialed answer. Run with Nest 10 on Express by two held-out reviewers
 * (tic-tac-toe-server, batch 35; weblive-backend, batch 37: `*` with credentials on every
 * answer); asked here of the stacked model (see model.ts).
 */
export const nestCorsTwice: Check = {
  id: 'nest-cors-twice',
  severity: 'warning',
  frameworks: ['nestjs'],
  description:
    "NestFactory.create's cors option and app.enableCors(...) both set CORS on one app, and the create option's Access-Control-Allow-Origin: * ends up beside the other's credentials, which browsers refuse.",
  fix: { description: "remove the create options' `cors` entry", safety: 'review' },
  run(policy, context) {
    const facts = factsOf(policy, 'nestjs');
    // After an explicit `init()`, `enableCors` runs behind the routes: not modelled, not said.
    if (facts?.kind !== 'cors' || !facts.created || facts.created.initCalled) return [];
    for (const other of [...(facts.before ?? []), ...(facts.after ?? [])]) {
      // A layer that sends `*` with credentials itself (`origin: '*'`) breaks them alone; the
      // create option re-sends the same `*` (site-backend, held-out batch 43: the same headers
      // with and without it on Nest 10), so removing it changes nothing.
      if (other.credentials !== true || other.origins.allowAll) continue;
      // Any frontend's: the create option's `*` goes on every answer (an allowlist from the
      // environment, weblive-backend's, is as broken as a written one).
      const origin = listedOrigin(other) ?? FRONTEND;
      const answer = preview(policy, context.framework(policy).model, {
        url: apiUrl(coveredPath(policy)),
        origin,
        method: 'GET',
        headers: [],
        credentials: 'include',
      });
      const sent = (header: RegExp, value: string) =>
        !!answer.actual?.headers.some(([n, v]) => header.test(n) && v === value);
      const conflict =
        sent(/^access-control-allow-origin$/i, '*') &&
        sent(/^access-control-allow-credentials$/i, 'true');
      if (answer.verdict.allowed || !conflict) continue;
      const text = context.text(facts.created.options.file);
      const removal = jsRemoveAt(text, facts.created.options, facts.created.pair.start);
      return [
        {
          message:
            `The create options' cors and app.enableCors(...) both set CORS on this app: Nest ` +
            `applies the create option at init(), so a credentialed request from a frontend gets ` +
            `Access-Control-Allow-Origin: * beside Access-Control-Allow-Credentials: true, which ` +
            `browsers refuse. Keep one ` +
            `setup: remove this cors entry.`,
          span: facts.created.pair,
          fix: removal && { title: "Remove the create options' cors entry", edits: [removal] },
        },
      ];
    }
    return [];
  },
};
