import type { Policy } from '../../policy/types';
import { preview } from '../../replay/replay';
import type { CheckContext } from '../types';

/** Whether the library (by its model) and the browser let `origin` read a plain GET. */
function readable(policy: Policy, context: CheckContext, origin: string): boolean {
  return preview(policy, context.framework(policy).model, {
    url: 'http://api.test/',
    origin,
    method: 'GET',
    headers: [],
    credentials: 'omit',
  }).verdict.allowed;
}

/**
 * For an allowlist written as one string: an origin that is only part of an entry yet gets in,
 * when the library tests membership on the string (Python's `origin in "..."` is a substring
 * test). Undefined when the library does not (Django iterates the characters: nothing matches).
 */
export function substringOrigin(
  policy: Policy,
  context: CheckContext,
  value: string,
): string | undefined {
  const entry = value.split(',')[0].trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]+$/i.test(entry) || !readable(policy, context, entry))
    return undefined;
  // One character shorter is another site: `https://app.example.co`, `http://localhost:300`.
  const shorter = entry.slice(0, -1);
  return /:\/\/[^/]+$/.test(shorter) && readable(policy, context, shorter) ? shorter : undefined;
}
