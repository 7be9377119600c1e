import { type FrameworkDescriptor } from '../descriptor';
import { nextMiddlewareNeverRuns } from './checks/next-middleware-never-runs';
import { nextRouteMissingOptions } from './checks/next-route-missing-options';
import { extractNextjs } from './extract';
import { literalHeaderFixes } from '../../lang/javascript/literal-fixes';
import { nextjsModel } from './model';
import { routePathOf } from './paths';

export const nextjsFramework: FrameworkDescriptor = {
  id: 'nextjs',
  name: 'Next.js 16',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractNextjs,
  model: nextjsModel,
  fixes: literalHeaderFixes,
  checks: [nextRouteMissingOptions, nextMiddlewareNeverRuns],
  devServer: { port: 3000, callPorts: [3000], launchWords: /\bnext\b/ },
  // A route handler gets headers from next.config and middleware too.
  inheritsSetup: (file) => !!routePathOf(file),
};
