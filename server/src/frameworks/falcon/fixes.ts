import { type FrameworkFixes, noFixes } from '../../checks/framework-fixes';

/**
 * No one-click edits yet: `allow_origins` and `allow_credentials` are two lists whose `'*'`
 * means different things (and a `'*'` inside a list is a start-up error), so a reviewer writes it.
 */
export const falconFixes: FrameworkFixes = noFixes;
