import {
  callsTo,
  frontendOrigin,
  ownSpan,
  replay,
  where,
  workspaceWhere,
} from './support/frontend';
import type { Fix } from '../policy/edits';
import type { Check, CheckContext, Report } from './types';
import type { Policy, SourceRef } from '../policy/types';
import type { FrontendCall } from '../workspace/types';

/** Where the refusing option is written, pointing at its name when the framework says where that is. */
const optionRef = (ref: SourceRef | undefined): SourceRef | undefined =>
  ref && { span: ref.nameSpan ?? ref.span, label: ref.label };

/** How to name an option that is not written, when the framework names it (`CORS_ALLOW_HEADERS`). */
const unsetOption = (option: string | undefined): string | undefined =>
  option && `${option} (unset: the library's default)`;

/** Which part of a blocked call the policy refuses, found by asking again without it. */
function culprit(
  policy: Policy,
  call: FrontendCall,
  origin: string,
  context: CheckContext,
):
  | { what: string; at?: SourceRef; option?: string; fallback: string; headers?: string[] }
  | undefined {
  const passes = (c: FrontendCall) => replay(policy, c, origin, context).verdict.allowed;
  if (call.headers.length && passes({ ...call, headers: [] })) {
    const blocked = call.headers
      .filter(([name, value]) => !passes({ ...call, headers: [[name, value]] }))
      .map(([name]) => name);
    return {
      what: `the header${blocked.length > 1 ? 's' : ''} ${blocked.join(', ')}`,
      at: optionRef(policy.headers.at),
      option: policy.headers.option,
      fallback: 'allowed request headers',
      headers: blocked,
    };
  }
  if (call.method !== 'GET' && passes({ ...call, method: 'GET' }))
    return {
      what: `method ${call.method}`,
      at: optionRef(policy.methods.at),
      option: policy.methods.option,
      fallback: 'allowed methods',
    };
  if (call.credentials === 'include' && passes({ ...call, credentials: 'omit' }))
    return {
      what: 'credentials (cookies)',
      at: optionRef(policy.credentialsAt ?? policy.credentialsOffAt),
      option: policy.credentialsOption,
      fallback: policy.handSet
        ? 'responses (no Access-Control-Allow-Credentials: true)'
        : 'credentials setting',
    };
  return undefined;
}

const hasAllowOrigin = ({ preflight }: ReturnType<typeof replay>): boolean =>
  preflight.needed && preflight.headers.some(([n]) => /^access-control-allow-origin$/i.test(n));

/** Whether the server answers this call's preflight with CORS headers when it sends only a header the policy lists. */
function preflightAnswered(
  policy: Policy,
  call: FrontendCall,
  origin: string,
  context: CheckContext,
): boolean {
  const allowed = policy.headers.names[0];
  return (
    !!allowed &&
    hasAllowOrigin(replay(policy, { ...call, headers: [[allowed, 'x']] }, origin, context))
  );
}

/** The option's name in a label (`allow_headers` of `allow_headers=[...]`, `CORS_ALLOW_HEADERS (unset: ...)`). */
const optionName = (label: string | undefined): string | undefined =>
  (label && /^['"]?([\w.]+)/.exec(label)?.[1]) || undefined;

/** Adds the refused headers to the server's allowed request headers, in its framework's syntax. */
function allowHeadersFix(
  policy: Policy,
  names: string[],
  where: string | undefined,
  context: CheckContext,
): Fix | undefined {
  const lower = names.map((n) => n.toLowerCase());
  const edits = context.framework(policy).fixes.addAllowedHeaders?.(policy, lower, context);
  return edits?.length
    ? {
        title: `Allow ${lower.map((n) => `'${n}'`).join(', ')} in ${where ?? 'the allowed request headers'}`,
        edits,
      }
    : undefined;
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
function atCall(
  policy: Policy,
  { call, found, reason, setting }: Refusal,
  fix: Fix | undefined,
  context: CheckContext,
): Report {
  const server = workspaceWhere(
    found.at?.span ?? ownSpan(policy, policy.origins.listAt?.span),
    call.span.file,
    context,
  );
  const cause = setting
    ? `${setting} in ${server} does not allow it`
    : `the server in ${server} does not allow it (${found.fallback})`;
  return {
    message: `This request (${call.client} ${call.method} ${call.url}) sends ${found.what}, but ${cause}, so the browser blocks it: ${reason}`,
    span: call.span,
    fix,
    related: [
      {
        span: found.at?.span ?? ownSpan(policy),
        message: setting ?? 'the CORS setup of the server',
      },
    ],
  };
}

export const customHeaderNotAllowed: Check = {
  id: 'custom-header-not-allowed',
  severity: 'error',
  description:
    'A frontend call in the workspace sends a header, method or credentials the server does not allow, so the browser blocks it.',
  severityNote: 'on the frontend call and on the server setting',
  fix: {
    description: "Django: add the frontend's header to `CORS_ALLOW_HEADERS` (from either file)",
    safety: 'safe',
  },
  crossFile: true,
  run(policy, context) {
    const fallback = frontendOrigin(policy, context);
    if (
      !policy.configured ||
      !fallback ||
      policy.headers.dynamic ||
      policy.methods.dynamic ||
      policy.credentials === 'dynamic'
    )
      return [];
    // One finding on the server per refused thing, listing every call that sends it; one at each call.
    const grouped = new Map<string, { report: Report; calls: FrontendCall[] }>();
    const atCalls: Report[] = [];
    for (const { call } of callsTo(policy, context)) {
      // The page's own origin when its project says (a Vite app on 5173), else the policy's.
      const origin = frontendOrigin(policy, context, call) ?? fallback;
      const result = replay(policy, call, origin, context);
      if (result.verdict.allowed) continue;
      // Another setup of the app answers the preflight: the refusal is that one's finding.
      if (result.preflight.needed && policy.preflightAnsweredBy) continue;
      // A preflight answered without any CORS header is not about one header (next-route-missing-options),
      // unless one with an allowed header is answered (rack-cors stays silent on an unlisted header).
      if (
        result.preflight.needed &&
        !hasAllowOrigin(result) &&
        !preflightAnswered(policy, call, origin, context)
      )
        continue;
      // A call that fails even as a plain GET is blocked by the origin, which other checks cover.
      if (
        !replay(
          policy,
          { ...call, method: 'GET', headers: [], credentials: 'omit' },
          origin,
          context,
        ).verdict.allowed
      )
        continue;
      const found = culprit(policy, call, origin, context);
      if (!found) continue;
      const setting = found.at?.label ?? unsetOption(found.option);
      const refusal: Refusal = {
        call,
        found,
        reason: result.verdict.reasons[0] ?? 'the CORS check fails',
        setting,
      };
      const entry = grouped.get(found.what);
      const fix = entry
        ? entry.report.fix
        : found.headers && allowHeadersFix(policy, found.headers, optionName(setting), context);
      atCalls.push(atCall(policy, refusal, fix, context));
      if (entry) {
        entry.calls.push(call);
        continue;
      }
      const message = `${where(call.span, policy.file, context)} (${call.client} ${call.method} ${call.url}) sends ${found.what}, and the browser blocks it with this server's ${setting ?? found.fallback}: ${refusal.reason}`;
      const span = ownSpan(
        policy,
        found.at?.span,
        policy.origins.listAt?.span,
        policy.origins.exact[0]?.span,
      );
      grouped.set(found.what, { report: { message, span, fix }, calls: [call] });
    }
    const atServer = [...grouped.values()].map(({ report, calls }) => ({
      ...report,
      message:
        calls.length > 1
          ? `${report.message} (and ${calls.length - 1} more call${calls.length > 2 ? 's' : ''})`
          : report.message,
      related: calls.map((c) => ({ span: c.span, message: `${c.client} ${c.method} ${c.url}` })),
    }));
    return [...atServer, ...atCalls];
  },
};
