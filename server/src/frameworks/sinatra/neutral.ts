/** What a Sinatra app's hand-set headers and sinatra-cross_origin settings add up to, as the neutral policy. */
import { preflightBranches } from '../../lang/handset-branches';
import { headerWrites, rubyReading } from '../../lang/ruby/handset';
import { handsetLabel as label, summarize } from '../../lang/handset-policy';

import type { Policy, SourceRef } from '../../policy/types';
import type { SinatraFacts } from './facts';

/** Whether any handler calls the `cross_origin` helper. */
const callsCrossOrigin = (facts: SinatraFacts) =>
  JSON.stringify(facts.handlers.map((h) => h.steps)).includes('"name":"cross_origin"');

export function neutralPolicy(file: string, text: string, facts: SinatraFacts): Policy | undefined {
  const written = facts.handlers.flatMap((h) => headerWrites(h.steps));
  const setsOrigin = written.some(
    ({ header }) => header.name.toLowerCase() === 'access-control-allow-origin',
  );
  const cross =
    facts.crossOrigin && (facts.crossOrigin.enabled || callsCrossOrigin(facts))
      ? facts.crossOrigin
      : undefined;
  // The extension registered but never run (its `register` undid `enable :cross_origin`) is a
  // setup read to the end: it sends nothing.
  if (!setsOrigin && !cross && !facts.crossOrigin) return undefined;
  const summary = summarize(written, rubyReading(text));
  const { origins } = summary;
  let credentials = summary.credentials;
  let credentialsAt: SourceRef | undefined = summary.credentialsAt;
  // A filter on every path that sets the origin itself runs after the extension's and wins.
  const overridden = facts.handlers.some(
    (h) =>
      h.stage !== 'route' &&
      h.regex === null &&
      headerWrites(h.steps).some(
        ({ header, conditions }) =>
          !conditions.length && header.name.toLowerCase() === 'access-control-allow-origin',
      ),
  );
  if (cross && !overridden) {
    const at = cross.origin.at ?? cross.enabledAt ?? cross.registeredAt;
    if (cross.origin.value === ':any')
      origins.reflectAny ??= {
        span: at,
        label: cross.origin.at
          ? label(text, at)
          : "sinatra-cross_origin's default allow_origin :any",
      };
    else if (cross.origin.value === undefined) origins.dynamic = true;
    else origins.exact.push({ value: cross.origin.value, span: cross.origin.valueAt });
  }
  if (cross && cross.credentials.value === 'true' && credentials !== true) {
    credentials = true;
    const where = cross.credentials.at ?? cross.enabledAt ?? cross.registeredAt;
    credentialsAt = {
      span: where,
      label: cross.credentials.at
        ? label(text, where)
        : "sinatra-cross_origin's default allow_credentials true",
    };
  }
  const setting = (value: string | undefined) => (value === ':any' ? undefined : value);
  const optionsRoute = facts.handlers.find(
    (h) => h.stage === 'route' && h.methods?.includes('OPTIONS'),
  );
  const branchHandler = facts.handlers.find((h) => preflightBranches(h.steps).length);
  const originHandler = facts.handlers.find(
    (h) => h.stage === 'route' && headerWrites(h.steps).length,
  );
  return {
    framework: 'sinatra',
    file,
    files: [file],
    at: facts.handlers[0]?.span ?? cross?.registeredAt,
    configured: true,
    handSet: !cross,
    origins,
    credentials,
    credentialsAt,
    methods: summary.list('access-control-allow-methods', setting(cross?.methods.value)),
    headers: summary.list('access-control-allow-headers', setting(cross?.headers.value)),
    expose: summary.list('access-control-expose-headers', setting(cross?.expose.value)),
    maxAge: summary.maxAge(setting(cross?.maxAge.value)),
    urlRegex: null,
    allowPrivateNetwork: false,
    samplePath:
      originHandler?.sample && !originHandler.sample.includes('x')
        ? originHandler.sample
        : undefined,
    varyAt: summary.varyAt ?? null,
    unvariedAt: summary.unvariedAt,
    preflightAt:
      optionsRoute?.span ?? (branchHandler && preflightBranches(branchHandler.steps)[0]?.span),
    facts,
  };
}
