import { callsTo, frontendOrigin, ownSpan, replay, where, workspaceWhere } from './support/frontend';
import { djangoSettings } from '../frameworks/django/settings-helpers';
import { fixesFor } from './framework-fixes';
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

/** Where the refusing value is written: the policy's own reference, else the Django setting's name. */
function settingRef(policy: Policy, ref: SourceRef | undefined, fallback: string): SourceRef | undefined {
  if (ref || policy.framework !== 'django') return ref;
  const setting = djangoSettings(policy).get(DJANGO_SETTINGS[fallback] ?? '');
  return setting && { span: setting.nameSpan, label: setting.name };
}

/** Which part of a blocked call the policy refuses, found by asking again without it. */
function culprit(policy: Policy, call: FrontendCall, origin: string): { what: string; at?: SourceRef; fallback: string; headers?: string[] } | undefined {
  const passes = (c: FrontendCall) => replay(policy, c, origin).verdict.allowed;
  if (call.headers.length && passes({ ...call, headers: [] })) {
    const blocked = call.headers.filter(([name, value]) => !passes({ ...call, headers: [[name, value]] })).map(([name]) => name);
    return { what: `the header${blocked.length > 1 ? 's' : ''} ${blocked.join(', ')}`, at: settingRef(policy, policy.headers.at, 'allowed request headers'), fallback: 'allowed request headers', headers: blocked };
  }
  if (call.method !== 'GET' && passes({ ...call, method: 'GET' })) return { what: `method ${call.method}`, at: settingRef(policy, policy.methods.at, 'allowed methods'), fallback: 'allowed methods' };
  if (call.credentials === 'include' && passes({ ...call, credentials: 'omit' }))
    return { what: 'credentials (cookies)', at: settingRef(policy, policy.credentialsAt, 'credentials setting'), fallback: policy.handSet ? 'responses (no Access-Control-Allow-Credentials: true)' : 'credentials setting' };
  return undefined;
}

const hasAllowOrigin = ({ preflight }: ReturnType<typeof replay>): boolean => preflight.needed && preflight.headers.some(([n]) => /^access-control-allow-origin$/i.test(n));

/** Whether the server answers this call's preflight with CORS headers when it sends only a header the policy lists. */
function preflightAnswered(policy: Policy, call: FrontendCall, origin: string): boolean {
  const allowed = policy.headers.names[0];
  return !!allowed && hasAllowOrigin(replay(policy, { ...call, headers: [[allowed, 'x']] }, origin));
}

/** The option's name in a label (`allow_headers` of `allow_headers=[...]`, `CORS_ALLOW_HEADERS (unset: ...)`). */
const optionName = (label: string | undefined): string | undefined => (label && /^['"]?([\w.]+)/.exec(label)?.[1]) || undefined;

/** Adds the refused headers to the server's allowed request headers, in its framework's syntax. */
function allowHeadersFix(policy: Policy, names: string[], where: string | undefined, context: CheckContext): Fix | undefined {
  const lower = names.map((n) => n.toLowerCase());
  const edits = fixesFor(policy).addAllowedHeaders?.(policy, lower, context);
  return edits?.length ? { title: `Allow ${lower.map((n) => `'${n}'`).join(', ')} in ${where ?? 'the allowed request headers'}`, edits } : undefined;
}

/** What the policy refuses of one call, named for messages. */
interface Refusal {
  call: FrontendCall;
  found: NonNullable<ReturnType<typeof culprit>>;
  reason: string;
  /** The setting that refuses it (`CORS_ALLOW_HEADERS`), when it has a name. */
  setting?: string;
}

/** The frontend call's own finding: on its line, naming the server file and setting, with the server's fix. */
function atCall(policy: Policy, { call, found, reason, setting }: Refusal, fix: Fix | undefined, context: CheckContext): Report {
  const server = workspaceWhere(found.at?.span ?? ownSpan(policy, policy.origins.listAt?.span), call.span.file, context);
  const cause = setting ? `${setting} in ${server} does not allow it` : `the server in ${server} does not allow it (${found.fallback})`;
  return {
    message: `This request (${call.client} ${call.method} ${call.url}) sends ${found.what}, but ${cause}, so the browser blocks it: ${reason}`,
    span: call.span,
    fix,
    related: [{ span: found.at?.span ?? ownSpan(policy), message: setting ?? 'the CORS setup of the server' }],
  };
}

export const customHeaderNotAllowed: Check = {
  id: 'custom-header-not-allowed',
  severity: 'error',
  description: 'A frontend call in the workspace sends a header, method or credentials the server does not allow, so the browser blocks it.',
  crossFile: true,
  run(policy, context) {
    const origin = frontendOrigin(policy, context);
    if (!policy.configured || !origin || policy.headers.dynamic || policy.methods.dynamic || policy.credentials === 'dynamic') return [];
    // One finding on the server per refused thing, listing every call that sends it; one at each call.
    const grouped = new Map<string, { report: Report; calls: FrontendCall[] }>();
    const atCalls: Report[] = [];
    for (const { call } of callsTo(policy, context)) {
      const result = replay(policy, call, origin);
      if (result.verdict.allowed) continue;
      // A preflight answered without any CORS header is not about one header (next-route-missing-options),
      // unless one with an allowed header is answered (rack-cors stays silent on an unlisted header).
      if (result.preflight.needed && !hasAllowOrigin(result) && !preflightAnswered(policy, call, origin)) continue;
      // A call that fails even as a plain GET is blocked by the origin, which other checks cover.
      if (!replay(policy, { ...call, method: 'GET', headers: [], credentials: 'omit' }, origin).verdict.allowed) continue;
      const found = culprit(policy, call, origin);
      if (!found) continue;
      const setting = found.at?.label ?? (policy.framework === 'django' ? djangoSetting(policy, found.fallback) : undefined);
      const refusal: Refusal = { call, found, reason: result.verdict.reasons[0] ?? 'the CORS check fails', setting };
      const entry = grouped.get(found.what);
      const fix = entry ? entry.report.fix : found.headers && allowHeadersFix(policy, found.headers, optionName(setting), context);
      atCalls.push(atCall(policy, refusal, fix, context));
      if (entry) {
        entry.calls.push(call);
        continue;
      }
      const message = `${where(call.span, policy.file, context)} (${call.client} ${call.method} ${call.url}) sends ${found.what}, and the browser blocks it with this server's ${setting ?? found.fallback}: ${refusal.reason}`;
      const span = ownSpan(policy, found.at?.span, policy.origins.listAt?.span, policy.origins.exact[0]?.span);
      grouped.set(found.what, { report: { message, span, fix }, calls: [call] });
    }
    const atServer = [...grouped.values()].map(({ report, calls }) => ({
      ...report,
      message: calls.length > 1 ? `${report.message} (and ${calls.length - 1} more call${calls.length > 2 ? 's' : ''})` : report.message,
      related: calls.map((c) => ({ span: c.span, message: `${c.client} ${c.method} ${c.url}` })),
    }));
    return [...atServer, ...atCalls];
  },
};
