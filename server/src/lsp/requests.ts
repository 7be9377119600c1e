import { ResponseError, ErrorCodes } from 'vscode-languageserver';
import { policyForPath } from '../policy/paths';
import { previewReport, type PreviewReport } from '../analysis/preview-report';
import type { Policy } from '../policy/types';
import type { PolicySummary, PreviewParams } from './protocol';

/** The origins the file's policies allow, for the client's origin quick pick. */
export function policySummary(policies: Policy[]): PolicySummary {
  const unique = (values: string[]) => [...new Set(values)];
  return {
    found: policies.some((p) => p.configured),
    origins: unique(policies.flatMap((p) => p.origins.exact.map((o) => o.value))),
    regexes: unique(policies.flatMap((p) => p.origins.regexes.map((r) => r.pattern))),
    allowAll: policies.some((p) => p.origins.allowAll),
  };
}

/** `corsLens/preview`: the predicted responses and verdict for the request the user described. */
export function previewFor(policies: Policy[], params: PreviewParams): PreviewReport {
  const policy = policyForPath(policies, params.path || '/');
  if (!policy)
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      'This file configures no CORS policy that CORS Lens understands.',
    );
  if (typeof params.origin !== 'string' || params.origin === '') {
    throw new ResponseError(ErrorCodes.InvalidParams, 'An origin is required.');
  }
  return previewReport(policy, {
    origin: params.origin,
    path: params.path,
    method: params.method,
    headers: Array.isArray(params.headers) ? params.headers : [],
    credentials: params.credentials === true,
  });
}
