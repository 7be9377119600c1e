/** What hand-written header code adds up to, as the framework-neutral policy. */
import type { HandsetCondition, HandsetHeader, HandsetStep, PythonHandsetFacts } from './facts';
import type { Policy } from '../../policy/types';
import { preflightBranches } from '../../lang/handset-branches';
import { handsetLabel, originGuards, summarize, summaryFields } from '../../lang/handset-policy';

/** Every header written in `steps` (branches and returns included), with the conditions around it. */
export function headersOf(
  steps: HandsetStep[],
  conditions: HandsetCondition[] = [],
): { header: HandsetHeader; conditions: HandsetCondition[] }[] {
  return steps.flatMap((step) => {
    if (step.kind === 'header') return [{ header: step, conditions }];
    if (step.kind === 'return') return step.headers.map((header) => ({ header, conditions }));
    return [
      ...headersOf(step.then, [...conditions, step.test]),
      ...headersOf(step.otherwise, [...conditions, { kind: 'not', inner: step.test }]),
    ];
  });
}

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
