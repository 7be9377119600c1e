import { type FrameworkFixes, noFixes } from '../../checks/framework-fixes';

/**
 * The standalone server's `cors()` takes no options, so there is nothing to edit in place: the
 * way out is `expressMiddleware` behind `cors({ origin: [...] })`, a change of structure a
 * reviewer makes, not a one-click edit.
 */
export const apolloFixes: FrameworkFixes = noFixes;
