import { nginxLocationNeverSelected } from './checks/nginx-location-never-selected';
import { factsOf } from '../../policy/types';
import { type FrameworkDescriptor } from '../descriptor';
import { duplicateAllowOrigin } from './checks/duplicate-allow-origin';
import { nginxAddHeaderInheritance } from './checks/nginx-add-header-inheritance';
import { nginxAddHeaderWithoutAlways } from './checks/nginx-add-header-without-always';
import { nginxEmptyOriginVariable } from './checks/nginx-empty-origin-variable';
import { nginxPreflightWithoutOrigin } from './checks/nginx-preflight-without-origin';
import { extractNginx } from './extract';
import { nginxFixes } from './fixes';
import { nginxModel } from './model';

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
