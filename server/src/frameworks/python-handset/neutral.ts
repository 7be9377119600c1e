/** What hand-written header code adds up to, as the framework-neutral policy. */
import type { HandsetCondition, HandsetHeader, HandsetStep, PythonHandsetFacts } from './facts';
import type { Policy } from '../../policy/types';
import { guardedHeaders, preflightBranches } from '../../lang/handset-branches';
import { handsetLabel, originGuards, summarize, summaryFields } from '../../lang/handset-policy';

/** Every header written in `steps` (branches and returns included), with the conditions around it. */
export const headersOf = (steps: HandsetStep[]) =>
  guardedHeaders<HandsetStep, HandsetHeader, HandsetCondition>(steps, (s) =>
    s.kind === 'header' ? [s] : s.kind === 'return' ? s.headers : [],
  );

/** The neutral policy of a module's hand-written CORS headers. */
export function neutralPolicy(
  file: string,
  files: string[],
  textOf: (file: string) => string,
  facts: PythonHandsetFacts,
): Policy {
  // An allowlist may be imported: its span is in another file, so each label reads its own file.
  const summary = summarize(
    facts.handlers.flatMap((h) => headersOf(h.steps)),
    {
      label: (span) => handsetLabel(textOf(span.file), span),
      echoes: (value) => value.kind === 'origin',
      guards: (conditions) => originGuards(conditions),
    },
  );
  const preflightHandler = facts.handlers.find((h) => preflightBranches(h.steps).length);
  const preflight = preflightHandler && preflightBranches(preflightHandler.steps)[0];
  const originHandler = facts.handlers.find((h) =>
    headersOf(h.steps).some(
      ({ header }) => header.name.toLowerCase() === 'access-control-allow-origin',
    ),
  );
  return {
    framework: 'python-handset',
    file,
    files,
    at: facts.handlers[0].span,
    configured: true,
    handSet: true,
    ...summaryFields(summary),
    urlRegex: null,
    allowPrivateNetwork: false,
    samplePath: (preflightHandler ?? originHandler)?.route?.sample,
    varyAt: summary.varyAt,
    preflightAt: preflight?.span,
    facts,
  };
}
