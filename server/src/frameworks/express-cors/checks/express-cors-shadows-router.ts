import path from 'node:path';
import { factsOf } from '../../../policy/types';
import { modelAnswer } from '../../../replay/replay';
import type { Check, Report } from '../../../checks/types';
import type { CorsRouter } from '../router-cors';

/** An origin a router's own `cors()` lets in, to ask the app-wide one about. */
const askedOrigins = (router: CorsRouter): string[] =>
  router.allowsAll ? ['https://client.example.net'] : router.origins;

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/**
 * An app-wide `cors()` answers every preflight itself (`preflightContinue` off: it ends OPTIONS
 * with its own status), so a router mounted after it never answers one with its own `cors()`:
 * an origin only the router lets in fails the preflight of every PUT, DELETE or JSON request.
 * Verified against real cors 2.8 on Express (test/truth: express/router-cors-after-app-cors).
 */
export const expressCorsShadowsRouter: Check = {
  id: 'express-cors-shadows-router',
  severity: 'warning',
  frameworks: ['express-cors'],
  description:
    "An app-wide cors() answers every preflight before a later router's own cors() can, so origins only the router allows fail their preflights.",
  run(policy, context) {
    const facts = factsOf(policy, 'express-cors');
    if (!facts?.routers?.length || facts.preflightContinue) return [];
    const model = context.framework(policy).model;
    const reports: Report[] = [];
    for (const mount of facts.mounts) {
      const text = context.text(mount.span.file);
      const receiver = /^\s*([\w$.]+?)\s*\.\s*use\b/.exec(
        text.slice(mount.span.start, mount.span.end),
      )?.[1];
      for (const router of facts.routers) {
        if (router.receiver !== receiver || router.mount.start < mount.span.end) continue;
        const target = `${router.path.replace(/\/+$/, '')}/x`;
        const origin = askedOrigins(router).find((candidate) => {
          const answer = modelAnswer(model, policy, {
            method: 'OPTIONS',
            path: target,
            headers: [
              ['Origin', candidate],
              ['Access-Control-Request-Method', 'PUT'],
            ],
          });
          const acao = answer.headers.find(
            ([n]) => n.toLowerCase() === 'access-control-allow-origin',
          );
          return !acao || (acao[1] !== candidate && acao[1] !== '*');
        });
        if (!origin) continue;
        const routerText = context.text(router.cors.file);
        const where = `${path.relative(path.dirname(mount.span.file), router.file)}:${lineOf(routerText, router.cors.start)}`;
        reports.push({
          message:
            `This cors() answers every preflight itself (preflightContinue is off), so the router mounted at ${router.path} ` +
            `never answers one with its own cors() (${where}), which ${router.allowsAll ? 'lets every origin in' : `allows ${origin}`}: ` +
            `a PUT, DELETE or JSON request to ${router.path} from ${origin} gets this cors()'s answer, without ` +
            `Access-Control-Allow-Origin: ${origin}, and the browser blocks it. ` +
            'Mount the router above this cors(), or limit this one to the paths it serves.',
          span: mount.span,
          related: [
            { span: router.cors, message: "the router's own cors(), which never sees a preflight" },
          ],
        });
      }
    }
    return reports;
  },
};
