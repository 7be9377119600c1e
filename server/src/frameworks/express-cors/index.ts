import { type FrameworkDescriptor } from '../descriptor';
import { expressCorsAfterRoutes } from './checks/express-cors-after-routes';
import { expressCorsShadowsRouter } from './checks/express-cors-shadows-router';
import { expressCorsStacked } from './checks/express-cors-stacked';
import { expressOptionsWildcard } from './checks/express-options-wildcard';
import { expressRouteCorsNoPreflight } from './checks/express-route-cors-no-preflight';
import { extractExpress } from './extract';
import { expressFixes } from './fixes';
import { expressCors } from './model';
import { coveredRoutes } from './routes';

export const expressCorsFramework: FrameworkDescriptor = {
  id: 'express-cors',
  name: 'cors 2.8 on Express',
  grammars: ['javascript', 'typescript', 'tsx'],
  extract: extractExpress,
  model: expressCors,
  fixes: expressFixes,
  checks: [
    expressCorsAfterRoutes,
    expressCorsShadowsRouter,
    expressCorsStacked,
    expressOptionsWildcard,
    expressRouteCorsNoPreflight,
  ],
  devServer: { port: 3000, coveredRoutes },
};
