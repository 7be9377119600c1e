import { callsTo, frontendOrigin, ownSpan, replay, where } from './support/frontend';
import { djangoSettings, fullyKnown } from './support/django';
import { djangoAllowHeadersEdits } from './support/django-allow-headers';
import type { Check, CheckContext, Fix, Report } from './types';
import type { Policy, SourceRef } from '../policy/types';
import type { FrontendCall } from '../workspace/types';

/** The django-cors-headers setting behind each refusal, where the extractor names none. */
const DJANGO_SETTINGS: Record<string, string> = {
  'allowed request headers': 'CORS_ALLOW_HEADERS',
  'allowed methods': 'CORS_ALLOW_METHODS',
  'credentials setting': 'CORS_ALLOW_CREDENTIALS',
};

function djangoSetting(policy: Policy, fallback: string): string | undefined {
  const name = DJANGO_SETTINGS[fallback];
  return name && (djangoSettings(policy).has(name) ? name : `${name} (unset: the library's default)`);
}

/** Which part of a blocked call the policy refuses, found by asking again without it. */
function culprit(policy: Policy, call: FrontendCall, origin: string): { what: string; at?: SourceRef; fallback: string; headers?: string[] } | undefined {
  const passes = (c: FrontendCall) => replay(policy, c, origin).verdict.allowed;
  if (call.headers.length && passes({ ...call, headers: [] })) {
    const blocked = call.headers.filter(([name, value]) => !passes({ ...call, headers: [[name, value]] })).map(([name]) => name);
    return { what: `the header${blocked.length > 1 ? 's' : ''} ${blocked.join(', ')}`, at: policy.headers.at, fallback: 'allowed request headers', headers: blocked };
  }
  if (call.method !== 'GET' && passes({ ...call, method: 'GET' })) return { what: `method ${call.method}`, at: policy.methods.at, fallback: 'allowed methods' };
  if (call.credentials === 'include' && passes({ ...call, credentials: 'omit' }))
    return { what: 'credentials (cookies)', at: policy.credentialsAt, fallback: policy.handSet ? 'responses (no Access-Control-Allow-Credentials: true)' : 'credentials setting' };
  return undefined;
}

/** Adds the refused headers to the server's allowlist (Django's CORS_ALLOW_HEADERS for now). */
function allowHeadersFix(policy: Policy, names: string[], context: CheckContext): Fix | undefined {
  if (policy.framework !== 'django') return undefined;
  const allowed = djangoSettings(policy).get('CORS_ALLOW_HEADERS');
  if (allowed && (allowed.value.kind !== 'list' || !fullyKnown(allowed.value))) return undefined;
  const lower = names.map((n) => n.toLowerCase());
  const edits = djangoAllowHeadersEdits(policy, lower, allowed, context);
  return edits.length ? { title: `Allow ${lower.map((n) => `'${n}'`).join(', ')} in CORS_ALLOW_HEADERS`, edits } : undefined;
}

export const customHeaderNotAllowed: Check = {
  id: 'custom-header-not-allowed',
  severity: 'error',
  description: 'A frontend call in the workspace sends a header, method or credentials the server does not allow, so the browser blocks it.',
  run(policy, context) {
    const origin = frontendOrigin(policy, context);
    if (!policy.configured || !origin || policy.headers.dynamic || policy.methods.dynamic || policy.credentials === 'dynamic') return [];
    // One finding per refused thing, listing every call that sends it.
    const grouped = new Map<string, { report: Report; calls: FrontendCall[] }>();
    for (const { call } of callsTo(policy, context)) {
      const result = replay(policy, call, origin);
      if (result.verdict.allowed) continue;
      // A preflight answered without any CORS header is not about one header (next-route-missing-options).
      if (result.preflight.needed && !result.preflight.headers.some(([n]) => /^access-control-allow-origin$/i.test(n))) continue;
      // A call that fails even as a plain GET is blocked by the origin, which other checks cover.
      if (!replay(policy, { ...call, method: 'GET', headers: [], credentials: 'omit' }, origin).verdict.allowed) continue;
      const found = culprit(policy, call, origin);
      if (!found) continue;
      const key = `${found.what}`;
      const entry = grouped.get(key);
      if (entry) {
        entry.calls.push(call);
        continue;
      }
      const setting = found.at?.label ?? (policy.framework === 'django' ? djangoSetting(policy, found.fallback) : undefined) ?? found.fallback;
      const message = `${where(call.span, policy.file, context)} (${call.client} ${call.method} ${call.url}) sends ${found.what}, and the browser blocks it with this server's ${setting}: ${result.verdict.reasons[0] ?? 'the CORS check fails'}`;
      const span = ownSpan(policy, found.at?.span, policy.origins.listAt?.span, policy.origins.exact[0]?.span);
      grouped.set(key, { report: { message, span, fix: found.headers && allowHeadersFix(policy, found.headers, context) }, calls: [call] });
    }
    return [...grouped.values()].map(({ report, calls }) => ({
      ...report,
      message: calls.length > 1 ? `${report.message} (and ${calls.length - 1} more call${calls.length > 2 ? 's' : ''})` : report.message,
      related: calls.map((c) => ({ span: c.span, message: `${c.client} ${c.method} ${c.url}` })),
    }));
  },
};
