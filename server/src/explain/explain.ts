/**
 * From a browser's CORS error to the line that causes it: locate the server that answered the
 * URL, replay the request against its policy with the framework's model and the Fetch evaluator,
 * and when the prediction fails the same way, name the setting (the probe's links), its line and
 * the check's quick fix. When it does not, say so and hand over a probe of the running server.
 */
import path from 'node:path';
import { LineIndex } from '../base/positions';
import type { SourceReader } from '../base/source-reader';
import type { CorsFailure, CorsRequest } from '../fetch';
import { frameworkOf, modelFor } from '../frameworks';
import { coversPath } from '../policy/paths';
import type { Policy, Span } from '../policy/types';
import { failureLink, failuresOf } from '../probe';
import { preview, type Preview } from '../replay/replay';
import { chooseFix } from './choose-fix';
import { inferRequest, probeCommand } from './infer-request';
import { locate, type Located } from './locate';
import type { WorkspaceServer } from './servers';
import type { Explanation, FailureRule, ParsedMessage, SourceLine } from './types';

/** What an explanation reads: the workspace's servers and its files. */
export interface ExplainContext {
  servers: WorkspaceServer[];
  reader: SourceReader;
  /** Paths in sentences are shown relative to this folder. */
  root: string;
  /** The page's origin, when the user knows it and the message does not say (Firefox). */
  origin?: string;
}

/** Safari names one sentence for a missing, a different and an invalid Access-Control-Allow-Origin. */
const ORIGIN_FAMILY = new Set<FailureRule>([
  'MissingAllowOriginHeader',
  'AllowOriginMismatch',
  'InvalidAllowOriginValue',
]);

/** Whether a predicted failure is the one the browser reported. */
export function sameFailure(message: ParsedMessage, failure: CorsFailure): boolean {
  const kindFits =
    failure.kind === message.rule ||
    (message.browser === 'safari' &&
      ORIGIN_FAMILY.has(message.rule) &&
      ORIGIN_FAMILY.has(failure.kind));
  if (!kindFits) return false;
  if (message.header) return failure.hint?.toLowerCase() === message.header.toLowerCase();
  if (message.rule === 'MethodDisallowedByPreflightResponse' && message.method)
    return failure.hint?.toUpperCase() === message.method.toUpperCase();
  return true;
}

/** The failures a prediction ends with (none when it passes). */
function predictedFailures(request: CorsRequest, result: Preview): CorsFailure[] {
  if (result.verdict.allowed) return [];
  return failuresOf(request, result.preflight.needed ? result.preflight : undefined, result.actual);
}

/** What the browser said, as the start of a sentence. */
function summary(message: ParsedMessage, request: CorsRequest): string {
  const v = message.value === undefined ? '' : ` ('${message.value}')`;
  switch (message.rule) {
    case 'HeaderDisallowedByPreflightResponse':
      return `The preflight does not allow the request header ${message.header?.toLowerCase()}`;
    case 'MethodDisallowedByPreflightResponse':
      return `The preflight does not allow the method ${request.method}`;
    case 'MissingAllowOriginHeader':
      return `The response has no Access-Control-Allow-Origin for ${request.origin}`;
    case 'AllowOriginMismatch':
      return message.browser === 'safari'
        ? `The server does not let ${request.origin} in`
        : `Access-Control-Allow-Origin${v} is not ${request.origin}`;
    case 'InvalidAllowOriginValue':
      return `Access-Control-Allow-Origin${v} is not a valid origin`;
    case 'MultipleAllowOriginValues':
      return `Access-Control-Allow-Origin carries several values${v}`;
    case 'WildcardOriginNotAllowed':
      return "Access-Control-Allow-Origin is '*' on a request with credentials";
    case 'InvalidAllowCredentials':
      return `The request sends credentials but Access-Control-Allow-Credentials is not 'true'${v}`;
    case 'PreflightInvalidStatus':
      return `The preflight gets ${message.status ? `status ${message.status}` : 'a status other than 2xx'}`;
    case 'PreflightDisallowedRedirect':
      return 'The preflight is redirected';
    case 'InvalidAllowMethodsPreflightResponse':
      return "The preflight's Access-Control-Allow-Methods cannot be parsed";
    case 'InvalidAllowHeadersPreflightResponse':
      return "The preflight's Access-Control-Allow-Headers cannot be parsed";
    case 'PrivateNetworkAccess':
      return `The page may not reach the ${message.addressSpace ?? 'private'} address space (Private Network Access)`;
    case 'RequestDidNotSucceed':
      return 'The request got no HTTP answer (Firefox reports network failures as CORS errors)';
    case 'Other':
      return `The browser blocked the request (${message.text})`;
  }
}

/** A span as `file:line` relative to the root, with its 1-based line. */
function sourceLine(message: string, span: Span, reader: SourceReader): SourceLine {
  const text = reader.read(span.file) ?? '';
  return { message, span, line: new LineIndex(text).position(span.start).line + 1 };
}

const where = (line: SourceLine, root: string): string =>
  `${path.relative(root, line.span.file) || path.basename(line.span.file)}:${line.line}`;

/** The rule's operand, for picking the finding that names it. */
const operandOf = (message: ParsedMessage, request: CorsRequest): string | undefined =>
  message.header ??
  (message.rule === 'MethodDisallowedByPreflightResponse' ? request.method : undefined);

/** The answer for a rule the evaluator does not decide (Private Network Access, a network failure). */
function notModelled(
  message: ParsedMessage,
  located: Located | undefined,
  request: CorsRequest,
  context: ExplainContext,
): Pick<Explanation, 'cause' | 'lines'> {
  const lead = summary(message, request);
  if (message.rule !== 'PrivateNetworkAccess' || !located)
    return {
      cause: `${lead}. CORS Lens does not predict this; ask the running server.`,
      lines: [],
    };
  const policy = located.policy;
  const at = policy.at ?? { file: policy.file, start: 0, end: 0 };
  const line = sourceLine(
    policy.allowPrivateNetwork
      ? "The policy answers the Private Network Access preflight; the browser may still need the page on a secure context or the user's permission"
      : 'The setup does not answer the Private Network Access preflight with Access-Control-Allow-Private-Network: true',
    at,
    context.reader,
  );
  return {
    cause: `${lead}: ${line.message.charAt(0).toLowerCase()}${line.message.slice(1)} (${where(line, context.root)}).`,
    lines: [line],
  };
}

/** The line to blame when the URL's path is outside the paths the setup covers (no CORS headers there at all). */
function outsidePaths(
  policy: Policy,
  request: CorsRequest,
  reader: SourceReader,
): SourceLine | undefined {
  const regex = policy.urlRegex;
  if (typeof regex !== 'string') return undefined;
  const pathname = new URL(request.url).pathname;
  if (coversPath(policy, pathname)) return undefined;
  // The neutral policy keeps no place for its path filter: where the pattern is written, else the setup.
  const written = policy.files
    .map((file) => ({ file, start: reader.read(file)?.indexOf(regex) ?? -1 }))
    .find((w) => w.start >= 0);
  const at = written
    ? { ...written, end: written.start + regex.length }
    : (policy.at ?? { file: policy.file, start: 0, end: 0 });
  return sourceLine(
    `${pathname} is outside the paths the CORS setup covers ('${regex}'), so it adds no CORS headers there`,
    at,
    reader,
  );
}

/** Replays the request against one located server. */
function replay(located: Located, request: CorsRequest): Preview {
  return preview(located.policy, modelFor(located.policy), request);
}

/**
 * Explains one failure. `known`: the request when it is known exactly (a HAR entry), else it is
 * inferred from the message per candidate server.
 */
export function explainMessage(
  message: ParsedMessage,
  context: ExplainContext,
  known?: { request: CorsRequest; assumptions: string[] },
): Explanation {
  const ranked = locate(message.url, context.servers).filter(
    (l) => l.candidate.score > -3 || context.servers.length === 1,
  );
  const candidates = ranked.map((l) => l.candidate);
  const modelled = !['PrivateNetworkAccess', 'RequestDidNotSucceed', 'Other'].includes(
    message.rule,
  );
  const infer = (l: Located | undefined) =>
    known ?? inferRequest(message, l?.policy, context.origin);

  // The likeliest server whose prediction fails the way the browser did; the likeliest one otherwise.
  let chosen:
    | {
        located: Located;
        inferred: ReturnType<typeof infer>;
        result: Preview;
        failures: CorsFailure[];
      }
    | undefined;
  if (modelled) {
    for (const located of ranked.slice(0, 5)) {
      const inferred = infer(located);
      const result = replay(located, inferred.request);
      const failures = predictedFailures(inferred.request, result).filter((f) =>
        sameFailure(message, f),
      );
      if (failures.length) {
        chosen = { located, inferred, result, failures };
        break;
      }
    }
  }
  const top = chosen?.located ?? ranked[0];
  const inferred = chosen?.inferred ?? infer(top);
  const request = inferred.request;
  const base = {
    message,
    request,
    assumptions: inferred.assumptions,
    candidates,
    probe: probeCommand(request),
  };
  const lead = summary(message, request);

  if (!top) {
    return {
      ...base,
      outcome: 'no-server',
      cause: `${lead}, and no file under ${context.root} sets up CORS for ${message.url || 'this URL'}: the server is elsewhere, or sets its headers in a way CORS Lens does not read.`,
      lines: [],
    };
  }
  const rel = path.relative(context.root, top.policy.file) || path.basename(top.policy.file);
  if (!modelled)
    return { ...base, outcome: 'not-modelled', ...notModelled(message, top, request, context) };

  if (chosen) {
    const status = chosen.result.preflight.needed ? chosen.result.preflight.status : '?';
    const outside = outsidePaths(top.policy, request, context.reader);
    const lines = outside
      ? [outside]
      : chosen.failures.flatMap((f) => {
          const link = failureLink(top.policy, request, f, status);
          // A link that says the policy allows it was written for a live server that differs; the
          // prediction failing here means something else in the setup refuses it: no line to blame.
          return link && !/but the live server/.test(link.message)
            ? [sourceLine(link.message, link.span, context.reader)]
            : [];
        });
    const unique = lines.filter((l, i) => lines.findIndex((o) => o.message === l.message) === i);
    const cause = unique.length
      ? `${lead}: ${unique.map((l) => `${l.message} (${where(l, context.root)})`).join('; ')}.`
      : `${lead}, as the ${frameworkOf(top.policy).name} setup in ${rel} predicts.`;
    const fix = outside
      ? undefined
      : chooseFix(
          top.policy,
          top.server.policies,
          request,
          message.rule,
          operandOf(message, request),
          context.reader,
        );
    return { ...base, outcome: 'reproduced', cause, lines: unique, ...(fix ? { fix } : {}) };
  }

  const result = replay(top, request);
  const predicted = result.verdict.reasons;
  // The predicted sentence without its "Access to fetch at ... blocked by CORS policy:" preamble.
  const detail = (predicted[0] ?? '')
    .replace(/^.*? has been blocked by CORS policy: /, '')
    .replace(/\.$/, '');
  const says = result.verdict.allowed
    ? 'the request passes'
    : `the browser blocks it otherwise (${detail})`;
  return {
    ...base,
    outcome: 'different',
    cause: `${lead} in the browser, but the ${frameworkOf(top.policy).name} setup in ${rel} predicts that ${says}. The running server differs from this code (other settings, a proxy, an environment variable) or the request did: ask it with the probe below.`,
    lines: [],
    predicted,
  };
}
