import { LineIndex } from '../../base/positions';
import type { NginxCondition, NginxFacts, NginxHeader, NginxLevel, NginxStep } from './facts';
import type { Span } from '../../policy/types';

/** Whether an `add_header` sets a CORS response header. */
export const isCorsHeader = (header: NginxHeader): boolean =>
  header.name.toLowerCase().startsWith('access-control-');

/**
 * An `add_header` that changes nothing a browser does, sent or dropped: an empty value (nginx
 * sends no header then; `add_header Access-Control-Allow-Origin ''` only stops the inherited
 * lines), or `Access-Control-Allow-Credentials` with a fixed value other than `true` (`false`):
 * browsers accept credentials only on the exact `true`.
 */
export const inertHeader = (header: NginxHeader): boolean =>
  header.value.value === '' ||
  (header.name.toLowerCase() === 'access-control-allow-credentials' &&
    !header.value.value.includes('$') &&
    header.value.value !== 'true');

/** Headers only a preflight reads (lower-case). */
export const PREFLIGHT_ONLY: ReadonlySet<string> = new Set([
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
]);

/** Every level of a policy: its location, its `if`s, its server and the server's `if`s. */
export function policyLevels(facts: NginxFacts): NginxLevel[] {
  const ifs = (steps: NginxStep[]) => steps.flatMap((s) => (s.kind === 'if' ? [s.level] : []));
  return [
    facts.location.level,
    ...ifs(facts.location.steps),
    facts.server.level,
    ...ifs(facts.server.steps),
  ];
}

/** The levels a policy reports for, once each across the file's policies. */
export const ownedLevels = (facts: NginxFacts): NginxLevel[] =>
  policyLevels(facts).filter((l) => facts.owns.has(l));

/** The headers in effect somewhere in the policy that it reports, once each. */
export const ownedHeaders = (facts: NginxFacts): NginxHeader[] =>
  [...new Set(policyLevels(facts).flatMap((l) => l.effective))].filter((h) => facts.owns.has(h));

/** 1-based line of an offset, for messages. */
export const lineOf = (text: string, offset: number): number =>
  new LineIndex(text).position(offset).line + 1;

/** How a level reads in a message. */
export function levelName(level: NginxLevel, text: string): string {
  if (level.span.start === level.span.end) return 'this file';
  const head = text
    .slice(level.span.start, level.span.end)
    .split('{')[0]
    .trim()
    .replace(/\s+/g, ' ');
  return `\`${head}\``;
}

/** The directive text of a span with `;`, as written. */
export const written = (text: string, span: Span): string => text.slice(span.start, span.end);

/** `if ($request_method = OPTIONS)`: a branch that only preflights take. */
export const preflightOnly = (condition: NginxCondition): boolean =>
  condition.kind === 'compare' &&
  condition.variable === 'request_method' &&
  !condition.negate &&
  condition.value.value.toUpperCase() === 'OPTIONS';

/** Headers only an actual response uses: a preflight's answer needs none of them. */
export const ACTUAL_ONLY: ReadonlySet<string> = new Set(['access-control-expose-headers']);
