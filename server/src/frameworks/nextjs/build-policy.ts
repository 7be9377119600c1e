import type { NextjsFacts } from './facts';
import type { Policy, Span } from '../../policy/types';
import { type HeaderLine, handSetPolicy } from '../../lang/javascript/response-policy';

/** Every CORS-relevant header line the layers of a policy write. */
function linesOf(facts: NextjsFacts): HeaderLine[] {
  const out: HeaderLine[] = [];
  for (const entry of facts.config)
    for (const h of entry.headers)
      out.push({
        name: h.key,
        value: { kind: 'literal', value: h.value },
        span: h.span,
        valueSpan: h.valueSpan,
      });
  const mw = facts.middleware;
  if (mw) out.push(...mw.passThrough);
  // Next sends a route's header only when no earlier layer set it (send-response.js).
  const shadowed = new Set(out.map((l) => l.name.toLowerCase()));
  if (mw?.answers) out.push(...mw.answers.response.headers);
  for (const handler of facts.handlers)
    out.push(...handler.response.headers.filter((h) => !shadowed.has(h.name.toLowerCase())));
  return out;
}

/** The framework-neutral policy of a Next.js path from the headers its layers set by hand. */
export function neutralPolicy(
  file: string,
  files: string[],
  facts: NextjsFacts,
  urlRegex: string | null,
  partial: boolean,
  at: Span,
): Policy {
  return {
    framework: 'nextjs',
    file,
    files,
    at,
    ...handSetPolicy(linesOf(facts), urlRegex, partial),
    facts,
  };
}
