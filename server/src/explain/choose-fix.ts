/**
 * The quick fix for a failure: the analysis of the policy's file is run with the failing request
 * standing in as a frontend call of the workspace (so the cross-file checks see it), and the
 * finding of a check that covers the failure's rule gives its fix. For an origin the allowlist
 * does not name, no check reports anything (a list is not wrong for leaving an origin out), so
 * the framework's own "add these origins" edit is offered instead.
 */
import path from 'node:path';
import { checkPolicies } from '../analysis/analyze';
import { defaultSettings } from '../analysis/settings';
import type { SourceReader } from '../base/source-reader';
import type { CheckContext, Finding } from '../checks/types';
import type { CorsRequest } from '../fetch';
import { frameworkOf } from '../frameworks';
import type { Policy } from '../policy/types';
import type { FrontendCall } from '../workspace/types';
import type { ExplainFix, FailureRule } from './types';

/** The checks whose findings are about each rule, most specific first. */
const CHECKS_FOR: Partial<Record<FailureRule, readonly string[]>> = {
  HeaderDisallowedByPreflightResponse: [
    'custom-header-not-allowed',
    'allow-headers-wildcard-credentials',
    'allow-headers-drops-defaults',
    'allauth-headless-headers',
    'preflight-missing-allow-headers',
  ],
  MethodDisallowedByPreflightResponse: [
    'custom-header-not-allowed',
    'preflight-missing-allow-headers',
  ],
  InvalidAllowCredentials: ['custom-header-not-allowed'],
  WildcardOriginNotAllowed: [
    'allow-all-origins',
    'allow-headers-wildcard-credentials',
    'reflect-any-origin',
  ],
  MultipleAllowOriginValues: ['duplicate-allow-origin', 'nginx-add-header-inheritance'],
  InvalidAllowOriginValue: ['malformed-origin', 'nginx-empty-origin-variable'],
  AllowOriginMismatch: [
    'malformed-origin',
    'headless-frontend-not-allowed',
    'nginx-empty-origin-variable',
  ],
  MissingAllowOriginHeader: [
    'cors-middleware-missing',
    'corsheaders-not-installed',
    'cors-middleware-order',
    'express-cors-after-routes',
    'rack-cors-position',
    'nginx-add-header-without-always',
    'nginx-add-header-inheritance',
    'headless-frontend-not-allowed',
    'malformed-origin',
  ],
  PreflightInvalidStatus: [
    'cors-middleware-order',
    'express-options-wildcard',
    'next-route-missing-options',
    'rack-cors-position',
    'express-cors-after-routes',
    'nginx-add-header-without-always',
    'cors-middleware-missing',
    'corsheaders-not-installed',
  ],
  PreflightDisallowedRedirect: ['cors-middleware-order', 'rack-cors-position'],
};

/** Where the synthetic call lives: no real file, so no finding is reported at it. */
const BROWSER_CONSOLE = '<browser console>';

/** A finding's message with the synthetic call's place (`<browser console>:1`) said in words. */
const reword = (message: string): string =>
  message.replace(/^\S*<browser console>:1 /, "The browser's request ");

/**
 * The failing request as a frontend call to the policy's dev server (the cross-file checks look
 * only at local calls).
 */
function asCall(policy: Policy, request: CorsRequest): FrontendCall {
  const target = new URL(request.url);
  const url = `http://localhost:${frameworkOf(policy).devServer.port}${target.pathname}${target.search}`;
  return {
    span: { file: path.join(path.dirname(policy.file), BROWSER_CONSOLE), start: 0, end: 0 },
    client: 'fetch',
    url,
    method: request.method,
    headers: request.headers,
    credentials: request.credentials,
  };
}

const mentions = (finding: Finding, operand: string | undefined): boolean =>
  !!operand && finding.message.toLowerCase().includes(operand.toLowerCase());

/** The finding of a covering check that best fits the failure: with a fix, naming the operand. */
function pick(
  findings: Finding[],
  rule: FailureRule,
  operand: string | undefined,
): Finding | undefined {
  const order = CHECKS_FOR[rule] ?? [];
  const covering = findings.filter((f) => order.includes(f.check));
  const rank = (f: Finding) =>
    order.indexOf(f.check) * 4 + (f.fix ? 0 : 2) + (mentions(f, operand) ? 0 : 1);
  return covering.sort((a, b) => rank(a) - rank(b))[0];
}

/** A check context for the framework's own edits. */
function contextFor(reader: SourceReader): CheckContext {
  return {
    allowedOrigins: [],
    production: false,
    runsInProduction: () => false,
    text: (f) => reader.read(f) ?? '',
    framework: frameworkOf,
  };
}

/** The origin edit for an allowlist that does not name the page's origin. */
function addOriginFix(
  policy: Policy,
  origin: string,
  reader: SourceReader,
): ExplainFix | undefined {
  const listed = policy.origins.exact.some((o) => o.value === origin);
  if (
    !/^https?:\/\/[a-z0-9.-]+(?::\d+)?$/i.test(origin) ||
    listed ||
    policy.origins.allowAll ||
    policy.origins.reflectAny
  )
    return undefined;
  const edits = frameworkOf(policy).fixes.addOrigins(policy, [origin], contextFor(reader));
  if (!edits?.length) return undefined;
  return {
    title: `Add '${origin}' to ${policy.origins.listAt?.label ?? 'the allowed origins'}`,
    edits,
  };
}

/** The fix for `rule` failing `request` against `policy` (whose file's policies are `policies`). */
export function chooseFix(
  policy: Policy,
  policies: Policy[],
  request: CorsRequest,
  rule: FailureRule,
  operand: string | undefined,
  reader: SourceReader,
): ExplainFix | undefined {
  const text = reader.read(policy.file);
  if (text === undefined) return undefined;
  const { findings } = checkPolicies(policy.file, text, policies, reader, defaultSettings, {
    calls: [asCall(policy, request)],
    apps: [],
  });
  const finding = pick(findings, rule, operand);
  if (finding?.fix)
    return {
      check: finding.check,
      finding: reword(finding.message),
      docs: finding.docs,
      title: finding.fix.title,
      edits: finding.fix.edits,
    };
  const origin =
    rule === 'MissingAllowOriginHeader' || rule === 'AllowOriginMismatch'
      ? addOriginFix(policy, request.origin, reader)
      : undefined;
  // A finding without an edit still says what to change; the origin edit, when there is one, does it.
  if (finding)
    return origin
      ? { ...origin, check: finding.check, finding: reword(finding.message), docs: finding.docs }
      : {
          check: finding.check,
          finding: reword(finding.message),
          docs: finding.docs,
          title: "No quick fix: see the check's page",
          edits: [],
        };
  return origin;
}
