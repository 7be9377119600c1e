import { ResponseError, ErrorCodes } from 'vscode-languageserver';
import { previewReport, type PreviewReport } from '../cli/preview-report';
import type { Policy } from '../policy/types';
import type { PolicySummary, PreviewParams } from './protocol';

/** The origins a policy allows, for the client's origin quick pick. */
export function policySummary(policy: Policy | null): PolicySummary {
  if (!policy) return { found: false, origins: [], regexes: [], allowAll: false };
  return {
    found: policy.configured,
    origins: policy.origins.exact.map((o) => o.value),
    regexes: policy.origins.regexes.map((r) => r.pattern),
    allowAll: policy.origins.allowAll,
  };
}

/** `corsLens/preview`: the predicted responses and verdict for the request the user described. */
export function previewFor(policy: Policy | null, params: PreviewParams): PreviewReport {
  if (!policy) throw new ResponseError(ErrorCodes.InvalidParams, 'This file configures no CORS policy that CORS Lens understands.');
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
