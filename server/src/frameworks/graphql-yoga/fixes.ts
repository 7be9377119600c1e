import { type FrameworkFixes, noFixes } from '../../checks/framework-fixes';

/**
 * No one-click edits yet: yoga's `origin` is a string or a list whose one-entry form means "send
 * this to everyone", so a list edit can change what the option means; a reviewer writes it.
 */
export const yogaFixes: FrameworkFixes = noFixes;
