/** A Rails controller's hand-set headers as the neutral policy. */
import { preflightBranches } from '../../lang/handset-branches';
import { headerWrites, rubyReading } from '../../lang/ruby/handset';
import { summarize, summaryFields } from '../../lang/handset-policy';
import type { Policy, Span } from '../../policy/types';
import type { RubyHandsetFacts } from './facts';

/** The HTTP methods Rails' `resources` routes send to each conventional action. */
const RESOURCEFUL: Record<string, string[]> = {
  index: ['GET', 'HEAD'],
  show: ['GET', 'HEAD'],
  new: ['GET', 'HEAD'],
  edit: ['GET', 'HEAD'],
  create: ['POST'],
  update: ['PUT', 'PATCH'],
  destroy: ['DELETE'],
};

/** What the controller's actions serve, when every action is a conventional one (else unknown). */
function servedMethods(facts: RubyHandsetFacts): string[] | undefined {
  const actions = facts.actions.map((a) => a.name).filter((n) => n !== 'options');
  if (!actions.length || !actions.every((n) => n in RESOURCEFUL)) return undefined;
  return [...new Set(actions.flatMap((n) => RESOURCEFUL[n]))];
}

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
    unvariedAt: summary.unvariedAt,
    preflightAt: preflight?.span,
    servedMethods: servedMethods(facts),
    facts,
  };
}
