import path from 'node:path';
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import { policyForPath } from '../policy/paths';
import { corsUnsafeRequestHeaderNames } from '../fetch';
import type { Policy } from '../policy/types';
import type { FrontendCall } from '../workspace/types';
import { launchRootOf, workspaceServerUrl } from '../analysis/server-ports';
import type { SourceReader } from '../base/source-reader';
import {
  parseTarget,
  probeReport,
  ProbeInputError,
  suggestedServerUrl,
  suggestedUrl,
} from '../probe';
import type { Located } from './diagnostics';
import { locateLinks } from './source-links';
import type { ProbeAnswer, ProbeDefaults, ProbeParams } from './probe-protocol';

/** The policy that answers `url`'s path, among a document's policies. */
function policyFor(policies: Policy[], url: URL): Policy | undefined {
  return policyForPath(
    policies.filter((p) => p.configured),
    url.pathname + url.search,
  );
}

/** Headers the panel pre-fills: the CORS-unsafe ones the frontend's calls send, once per name. */
function frontendHeaders(calls: FrontendCall[]): string[] {
  const seen = new Map<string, string>();
  for (const call of calls) {
    const unsafe = new Set(corsUnsafeRequestHeaderNames(call.headers));
    for (const [name, value] of call.headers) {
      if (unsafe.has(name.toLowerCase()) && !seen.has(name.toLowerCase()))
        seen.set(name.toLowerCase(), `${name}: ${value}`);
    }
  }
  return [...seen.values()].slice(0, 10);
}

/**
 * `corsLens/probeDefaults`: the dev-server URL of a document's policy as the workspace says (its
 * port, a path the policy covers), and the headers and credentials the workspace's frontend calls
 * send. `reader` reads the open documents first; `roots` are the workspace folders.
 */
export async function probeDefaults(
  policies: Policy[],
  calls: FrontendCall[] = [],
  reader?: SourceReader,
  roots: readonly string[] = [],
): Promise<ProbeDefaults> {
  const policy = policies.find((p) => p.configured);
  const server =
    policy && reader
      ? await suggestedServerUrl(policy, reader, launchRootOf(policy.file, roots))
      : policy
        ? { url: suggestedUrl(policy) }
        : ((reader && workspaceServerUrl(calls, reader, roots)) ?? {
            url: suggestedUrl(undefined),
          });
  return {
    ...server,
    headers: frontendHeaders(calls),
    credentials: calls.some((c) => c.credentials === 'include'),
  };
}

/**
 * `corsLens/probe`: probes the live server, compares with and links to `policies` (the panel's
 * document's), and turns the links' spans into document positions. `locate` gives any file's
 * text (open or on disk); a link whose file cannot be read is dropped.
 */
export async function probeFor(
  policies: Policy[],
  params: ProbeParams,
  locate: (file: string) => Located | undefined,
  token?: CancellationToken,
): Promise<ProbeAnswer> {
  const target = parseTarget(typeof params.url === 'string' ? params.url : '');
  if ('problem' in target)
    throw new ResponseError(ErrorCodes.InvalidParams, `Cannot probe: ${target.problem}`);
  if (typeof params.origin !== 'string' || params.origin.trim() === '')
    throw new ResponseError(ErrorCodes.InvalidParams, 'An origin is required.');
  const policy = policyFor(policies, target);
  const controller = new AbortController();
  const cancel = token?.onCancellationRequested(() => controller.abort());
  try {
    const { links = [], ...report } = await probeReport(
      {
        url: params.url,
        origin: params.origin.trim(),
        method: typeof params.method === 'string' ? params.method : 'GET',
        headers: Array.isArray(params.headers)
          ? params.headers.filter((h): h is string => typeof h === 'string')
          : [],
        credentials: params.credentials === true,
      },
      { sweep: params.sweep === true, policy, signal: controller.signal },
    );
    const located = locateLinks(links, locate);
    return { ...report, links: located, policyFile: policy && path.basename(policy.file) };
  } catch (error) {
    if (error instanceof ProbeInputError)
      throw new ResponseError(ErrorCodes.InvalidParams, `Cannot probe: ${error.message}`);
    throw error;
  } finally {
    cancel?.dispose();
  }
}
