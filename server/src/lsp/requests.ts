import { ResponseError, ErrorCodes } from 'vscode-languageserver';
import { policyForPath } from '../policy/paths';
import { previewReport } from '../analysis/preview-report';
import path from 'node:path';
import type { Policy } from '../policy/types';
import { policySources, previewReasons } from '../probe';
import type { Located } from './diagnostics';
import type { PreviewAnswer, PreviewParams } from './protocol';
import { locateLinks } from './source-links';

/** The policy a preview of `params` replays: the one covering its path. */
export const previewedPolicy = (
  policies: Policy[],
  params: Pick<PreviewParams, 'path'>,
): Policy | undefined => policyForPath(policies, params.path || '/');

/**
 * `corsLens/preview`: the predicted responses and verdict for the request the user described,
 * with links to the lines behind the verdict and to every line of the policy (`locate` reads any
 * file, open or on disk).
 */
export function previewFor(
  policies: Policy[],
  params: PreviewParams,
  locate: (file: string) => Located | undefined = () => undefined,
  server?: (policy: Policy) => string,
): PreviewAnswer {
  const policy = previewedPolicy(policies, params);
  if (!policy)
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      'This file configures no CORS policy that CORS Lens understands.',
    );
  if (typeof params.origin !== 'string' || params.origin === '') {
    throw new ResponseError(ErrorCodes.InvalidParams, 'An origin is required.');
  }
  const report = previewReport(policy, {
    origin: params.origin,
    path: params.path,
    method: params.method,
    headers: Array.isArray(params.headers) ? params.headers : [],
    credentials: params.credentials === true,
    server: server?.(policy),
  });
  const preflight = report.preflight.needed
    ? { status: report.preflight.status, headers: report.preflight.headers }
    : undefined;
  const reasons = previewReasons(
    policy,
    report.request,
    preflight,
    report.actual,
    report.verdict.allowed,
  );
  return {
    ...report,
    policyFile: path.basename(policy.file),
    because: locateLinks(reasons, locate),
    sources: locateLinks(policySources(policy), locate),
  };
}
