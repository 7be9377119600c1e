/** Fixes in Sinatra code that writes CORS headers by hand, and in sinatra-cross_origin settings. */
import type { FrameworkFixes } from '../../checks/framework-fixes';
import { opensArray, varyAfterWrite, writtenAllowlist } from '../../lang/handset-edits';
import { preflightBranches } from '../../lang/handset-branches';
import { headerWrites, type RubyStep } from '../../lang/ruby/handset';
import { addHeadersAfter as addAfter } from '../../lang/ruby/header-edits';
import { rubyPreferredQuote, rubyString } from '../../lang/ruby/literals';
import { replaceStar } from '../../lang/star-origin';
import {
  appendElements,
  elementAt,
  removeElement,
  sequenceLayout,
} from '../../lang/python/sequence-edits';
import type { TextEdit } from '../../policy/edits';
import { type Policy, type Span, factsOf } from '../../policy/types';

/** A quoted Ruby string literal at `span` holding exactly `value` (no interpolation). */
function ownString(text: string, span: Span, value: string): "'" | '"' | undefined {
  const written = text.slice(span.start, span.end);
  const match = /^(['"])(.*)\1$/s.exec(written);
  return match && match[2] === value && !/[\\#]/.test(match[2])
    ? (match[1] as "'" | '"')
    : undefined;
}

function optionsSteps(policy: Policy): { steps: RubyStep[]; span: Span } | undefined {
  const facts = factsOf(policy, 'sinatra');
  const route = facts?.handlers.find((h) => h.stage === 'route' && h.methods?.includes('OPTIONS'));
  if (route) return { steps: route.steps, span: route.span };
  const branch = facts?.handlers.flatMap((h) => preflightBranches(h.steps))[0];
  return branch && { steps: branch.then, span: branch.span };
}

export const sinatraFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt ?? policy.origins.reflectAny;
    if (!at || origins.length !== 1) return undefined;
    const text = context.text(at.span.file);
    const written = text.slice(at.span.start, at.span.end);
    // `set :allow_origin, :any` (sinatra-cross_origin): the one origin instead.
    const any = /(:allow_origin\s*,\s*)(:any)\b/.exec(written);
    if (any) {
      const start = at.span.start + any.index + any[1].length;
      return {
        title: `Allow only ${origins[0]}`,
        edits: [
          {
            file: at.span.file,
            start,
            end: start + any[2].length,
            newText: rubyString(origins[0], rubyPreferredQuote(text)),
          },
        ],
      };
    }
    // One origin can replace the `'*'` literal; several need an allowlist test, written by hand.
    return replaceStar(text, at.span, origins[0], rubyString);
  },

  replaceOrigin(_policy, origin, value, context) {
    if (!origin.span) return undefined;
    const text = context.text(origin.span.file);
    const quote = ownString(text, origin.span, origin.value);
    return quote && [{ ...origin.span, newText: rubyString(value, quote) }];
  },

  removeOrigin(policy, origin, context) {
    const list = writtenAllowlist(policy, (f) => context.text(f), opensArray);
    if (!list || !origin.span) return undefined;
    const edit = removeElement(
      list.text,
      list.span,
      elementAt(list.text, list.span, origin.span.start, sequenceLayout),
      sequenceLayout,
    );
    return edit && [edit];
  },

  replacePattern: () => undefined,

  addOrigins(policy, origins, context) {
    const list = writtenAllowlist(policy, (f) => context.text(f), opensArray);
    const edit =
      list &&
      appendElements(
        list.text,
        list.span,
        origins.map((o) => rubyString(o, rubyPreferredQuote(list.text))),
      );
    return edit && [edit];
  },

  addVary: (policy, context) => varyAfterWrite(policy, (f) => context.text(f), addAfter),

  addAllowedHeaders(policy, headers, context) {
    // Each literal Access-Control-Allow-Headers string gets the names appended, in its own quotes.
    const facts = factsOf(policy, 'sinatra');
    const writes = (facts?.handlers ?? [])
      .flatMap((h) => headerWrites(h.steps))
      .filter(({ header }) => header.name.toLowerCase() === 'access-control-allow-headers');
    const edits: TextEdit[] = [];
    for (const { header } of writes) {
      if (header.value.kind !== 'literal') return undefined;
      const text = context.text(header.valueSpan.file);
      const quote = ownString(text, header.valueSpan, header.value.value);
      if (!quote) return undefined;
      const listed = header.value.value.split(',').map((n) => n.trim().toLowerCase());
      const missing = headers.filter((h) => !listed.includes(h.toLowerCase()));
      if (missing.length)
        edits.push({
          ...header.valueSpan,
          newText: rubyString([header.value.value, ...missing].filter(Boolean).join(', '), quote),
        });
    }
    return edits.length ? edits : undefined;
  },

  addPreflightHeaders(policy, headers, context) {
    const found = optionsSteps(policy);
    if (!found) return undefined;
    const written = headerWrites(found.steps).map(({ header }) => header);
    const last = written[written.length - 1];
    const edit = last && addAfter(context.text(last.span.file), last.span, headers);
    return (
      edit && {
        title: `Answer preflights with ${headers.map(([n]) => n).join(' and ')}`,
        edits: [edit],
      }
    );
  },
};
