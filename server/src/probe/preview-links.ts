/**
 * Links from a preview (a prediction, no HTTP) back to the configuration: the lines behind the
 * verdict, and every line of the policy that decided it, wherever it is written (an override in
 * an imported settings file links to that file). The probe's links.ts supplies the wording.
 */
import type { CorsRequest, HttpResponse } from '../fetch';
import type { Policy, SourceRef, Span } from '../policy/types';
import { failureLink, failuresOf, originRule, type ProbeLink } from './links';

/** Where a policy points when it names no place for a setting: its setup, else the file's start. */
const fallbackOf = (policy: Policy): Span => policy.at ?? { file: policy.file, start: 0, end: 0 };

/**
 * Why the prediction came out as it did: for an allowed request, the rule that let the origin in;
 * for a blocked one, the setting behind each failure (once per message).
 */
export function previewReasons(
  policy: Policy,
  request: CorsRequest,
  preflight: HttpResponse | undefined,
  actual: HttpResponse | null,
  allowed: boolean,
): ProbeLink[] {
  const fallback = fallbackOf(policy);
  if (allowed) {
    const rule = originRule(policy, request.origin);
    return rule ? [{ message: `Allowed: ${rule.what}`, span: rule.span ?? fallback }] : [];
  }
  const links: ProbeLink[] = [];
  for (const failure of failuresOf(request, preflight, actual)) {
    const link = failureLink(policy, request, failure, preflight?.status ?? '?', fallback);
    if (link && !links.some((l) => l.message === link.message)) links.push(link);
  }
  return links;
}

const joined = (names: string[]) => (names.length ? names.join(', ') : 'none');

/**
 * Every line the policy was read from, in reading order of the settings: origins (allow-all,
 * reflection, the list and each entry, regexes), credentials, methods, headers, exposed headers,
 * a startup error. Files that shaped the policy without any of these get a link to their start.
 */
export function policySources(policy: Policy): ProbeLink[] {
  const links: ProbeLink[] = [];
  const add = (message: string, span: Span | undefined) => {
    if (span) links.push({ message, span });
  };
  const ref = (message: (r: SourceRef) => string, r: SourceRef | undefined) =>
    r && add(message(r), r.span);
  const o = policy.origins;
  add('The CORS setup', policy.at);
  ref((r) => `${r.label}: every origin is allowed`, o.allowAllAt);
  ref((r) => `${r.label}: reflects any origin`, o.reflectAny);
  ref((r) => `${r.label}: the allowed origins`, o.listAt);
  const inList = (span: Span) =>
    !!o.listAt &&
    span.file === o.listAt.span.file &&
    span.start >= o.listAt.span.start &&
    span.end <= o.listAt.span.end;
  // Entries of a list already linked are not repeated; entries written elsewhere (an append in
  // another file) are.
  for (const e of o.exact) if (e.span && !inList(e.span)) add(`Allows ${e.value}`, e.span);
  for (const r of o.regexes) add(`Allows origins matching '${r.pattern}'`, r.span);
  ref(
    (r) => `${r.label}: credentials ${policy.credentials === true ? 'allowed' : 'set'}`,
    policy.credentialsAt,
  );
  const list = (what: string, l: Policy['methods']) =>
    ref((r) => `${r.label}: ${what} ${l.wildcard ? '*' : joined(l.names)}`, l.at);
  list('methods', policy.methods);
  list('request headers', policy.headers);
  list('exposed headers', policy.expose);
  ref((r) => `The app refuses to start: ${r.label}`, policy.startupError);
  const linked = new Set(links.map((l) => l.span.file));
  for (const file of policy.files)
    if (!linked.has(file)) add('Also read for this policy', { file, start: 0, end: 0 });
  return links;
}
