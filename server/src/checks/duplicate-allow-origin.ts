import { modelFor } from '../core/preview';
import { indentAt, insertLinesAfter } from '../fixes/nginx-text';
import type { NginxHeader } from '../policy/nginx';
import { placedHeaders } from '../extract/nginx/neutral';
import { ATTACKER_ORIGIN } from './support/attacker';
import { isCorsHeader, lineOf } from './support/nginx';
import type { Check } from './types';

const ACAO = 'access-control-allow-origin';

export const duplicateAllowOrigin: Check = {
  id: 'duplicate-allow-origin',
  severity: 'warning',
  description: 'nginx adds Access-Control-Allow-Origin to responses of a proxied app that may send its own: two values, and the browser refuses both.',
  run(policy, context) {
    const facts = policy.nginx;
    const proxy = facts?.location.content;
    if (!facts || proxy?.kind !== 'proxy') return [];
    const hidden = new Set(proxy.hide.map((h) => h.toLowerCase()));
    if (hidden.has(ACAO)) return [];
    const added = [...new Set(placedHeaders(facts).map((p) => p.header))].filter(isCorsHeader);
    const acao = added.find((h) => h.name.toLowerCase() === ACAO);
    if (!acao) return [];
    const text = context.text(proxy.span.file);
    const hide = [...new Set(added.map((h: NginxHeader) => h.name))].filter((name) => !hidden.has(name.toLowerCase()));
    const fix = {
      title: `Hide the app's ${hide.join(', ')} (proxy_hide_header)`,
      edits: [insertLinesAfter(text, proxy.span.file, proxy.span.end, hide.map((name) => `${indentAt(text, proxy.span.start)}proxy_hide_header ${name};\n`).join(''))],
    };
    const where = `add_header ${acao.name} at line ${lineOf(context.text(acao.span.file), acao.span.start)}`;
    if (!proxy.upstream) {
      return [
        {
          message: `nginx adds ${acao.name} (${where}) to responses from ${proxy.target} without \`proxy_hide_header ${acao.name}\`: if the app sends its own, the response carries two values and the browser refuses it ("contains multiple values").`,
          span: proxy.span,
          fix,
        },
      ];
    }
    // The app is a server of this configuration: ask the model what really arrives.
    const path = ['', '^~', '='].includes(facts.location.modifier ?? '~') ? facts.location.pattern : '/';
    const origins = [policy.origins.exact[0]?.value ?? 'https://app.example.com', ATTACKER_ORIGIN];
    const twice = origins.find((origin) => {
      const response = modelFor(policy).respond(policy, { method: 'GET', path, headers: [['Origin', origin]] });
      return response.headers.filter(([name]) => name.toLowerCase() === ACAO).length > 1;
    });
    if (!twice) return [];
    return [
      {
        severity: 'error',
        message: `Both nginx (${where}) and the app behind ${proxy.target} send ${acao.name}: a request from ${twice} gets two values and the browser refuses the response ("contains multiple values").`,
        span: proxy.span,
        fix,
      },
    ];
  },
};
