/**
 * Users' regexes, run safely: a linear-time matcher for every flavour the libraries use, and a
 * static check for patterns that make the libraries' own backtracking engines blow up.
 * Self-contained (node builtins and re2js only) so every framework folder can use it.
 */
export { compileOrigin, toRe2, type OriginMatcher } from './translate';
export { originMatcher, regexMatches } from './cache';
export { witnessOf } from './witness';
export { escapeRegex } from './escape';
export { backtrackingRisk, type BacktrackingRisk } from './backtracking';
export {
  parsePattern,
  Unsupported,
  engineOf,
  type RegexFlavor,
  type Engine,
  type Node,
  type Capture,
} from './parse';
