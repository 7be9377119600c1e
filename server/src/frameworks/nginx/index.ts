import { type FrameworkDescriptor } from '../descriptor';
import { duplicateAllowOrigin } from './checks/duplicate-allow-origin';
import { nginxAddHeaderInheritance } from './checks/nginx-add-header-inheritance';
import { nginxAddHeaderWithoutAlways } from './checks/nginx-add-header-without-always';
import { nginxEmptyOriginVariable } from './checks/nginx-empty-origin-variable';
import { extractNginx } from './extract';
import { nginxFixes } from './fixes';
import { nginxModel } from './model';

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
    duplicateAllowOrigin,
  ],
  devServer: { port: 80, callPorts: [80, 8080] },
  // A file that includes snippets may drop their headers in a location of its own.
  inheritsSetup: (_file, text) => /\binclude\s/.test(text),
};
