/** What hand-written PHP header code adds up to, as the framework-neutral policy. */
import type { PhpCondition, PhpHandsetFacts, PhpHeader, PhpStep } from './facts';
import type { Policy } from '../../policy/types';
import { guardedHeaders, preflightBranches } from '../../lang/handset-branches';
import { handsetLabel, originGuards, summarize, summaryFields } from '../../lang/handset-policy';

/** Every header written in `steps` (branches and called functions included), with the conditions around it. */
export const headersOf = (steps: PhpStep[]) =>
  guardedHeaders<PhpStep, PhpHeader, PhpCondition>(steps, (s) => (s.kind === 'header' ? [s] : []));

/** Whether a condition has a part the extractor could not read. */
const unread = (c: PhpCondition): boolean =>
  (c.kind === 'unknown' && !c.request) ||
  (c.kind === 'not' && unread(c.inner)) ||
  ((c.kind === 'and' || c.kind === 'or') && c.parts.some(unread));

/** `!isset($_SERVER['HTTP_ORIGIN'])` / `empty(...)`, alone or and-ed: the request sends no Origin. */
const withoutOrigin = (c: PhpCondition): boolean =>
  (c.kind === 'not' && c.inner.kind === 'header-present' && c.inner.header === 'origin') ||
  (c.kind === 'and' && c.parts.some(withoutOrigin));

/** `name=value` pairs that make an and-ed test on query parameters hold. */
function queryPairs(c: PhpCondition): string[] {
  if (c.kind === 'and') return c.parts.flatMap(queryPairs);
  if (c.kind === 'query-is') return [`${c.param}=${c.value}`];
  return c.kind === 'header-present' && c.header.startsWith('?') ? [`${c.header.slice(1)}=1`] : [];
}

/**
 * The query string a request needs for the first Allow-Origin write to run (`?action=list` for
 * `if ($_GET['action'] == 'list')`), empty when it needs none: the checks ask with it.
 */
export function originQuery(facts: PhpHandsetFacts): string {
  const write = facts.handlers
    .flatMap((h) => headersOf(h.steps))
    .find(({ header }) => header.name.toLowerCase() === 'access-control-allow-origin');
  const pairs = [...new Set(write?.conditions.flatMap(queryPairs) ?? [])];
  return pairs.length
    ? `?${pairs.map((p) => p.split('=').map(encodeURIComponent).join('=')).join('&')}`
    : '';
}

/** The neutral policy of a file's hand-written CORS headers. */
export function neutralPolicy(file: string, text: string, facts: PhpHandsetFacts): Policy {
  const summary = summarize(
    facts.handlers.flatMap((h) => headersOf(h.steps)),
    {
      label: (span) => handsetLabel(text, span),
      echoes: (value) => value.kind === 'request' && value.header === 'origin',
      guards(conditions) {
        const found = originGuards(conditions, true);
        // A test the extractor cannot read (`if (allowed($origin))`) may be the allowlist.
        return !found.length && conditions.some(unread) ? undefined : found;
      },
      withoutOrigin: (conditions) => conditions.some(withoutOrigin),
    },
  );
  const preflight = facts.handlers.flatMap((h) => preflightBranches(h.steps))[0];
  return {
    framework: 'php-handset',
    file,
    files: [file],
    at: facts.handlers[0].span,
    configured: true,
    handSet: true,
    ...summaryFields(summary),
    urlRegex: null,
    allowPrivateNetwork: false,
    varyAt: summary.varyAt,
    unvariedAt: summary.unvariedAt,
    preflightAt: preflight?.span,
    facts,
  };
}
