/** A Rails controller's hand-set headers as the neutral policy. */
import { preflightBranches } from '../../lang/handset-branches';
import { headerWrites, rubyReading } from '../../lang/ruby/handset';
import { summarize, summaryFields } from '../../lang/handset-policy';
import type { Policy, Span } from '../../policy/types';
import type { RubyHandsetFacts } from './facts';

export function neutralPolicy(
  file: string,
  text: string,
  facts: RubyHandsetFacts,
  at: Span,
): Policy {
  const handlers = [...facts.callbacks, ...facts.actions];
  const summary = summarize(
    handlers.flatMap((h) => headerWrites(h.steps)),
    rubyReading(text),
  );
  const preflight = handlers.flatMap((h) => preflightBranches(h.steps))[0];
  return {
    framework: 'ruby-handset',
    file,
    files: [file],
    at,
    configured: true,
    handSet: true,
    ...summaryFields(summary),
    urlRegex: null,
    allowPrivateNetwork: false,
    varyAt: summary.varyAt ?? null,
    preflightAt: preflight?.span,
    facts,
  };
}
