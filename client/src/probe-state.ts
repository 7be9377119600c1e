/**
 * The probe panel's state and the messages its webview sends, checked here (a webview message is
 * untrusted input). No VS Code import: unit-tested as is.
 */
import type { ProbeAnswer, ProbeParams } from '../../server/src/lsp/probe-protocol';
import { messageFields, parseOpenMessage } from './page-messages';

/** What the user typed. `headers` is the textarea's text: one header per line. */
export interface ProbeForm {
  url: string;
  origin: string;
  method: string;
  headers: string;
  credentials: boolean;
}

/** Everything the panel shows; kept by the webview (getState/setState) across reloads. */
export interface PanelState {
  /** Bumped on every render, so a reloaded webview knows whether its own saved form is newer. */
  rev: number;
  form: ProbeForm;
  /** The document whose policy explains the outcome, if the panel was opened from one. */
  policyUri?: string;
  /** Origins to offer first: the policy's allowlist. */
  origins: string[];
  running: boolean;
  /** Whether the running (or last) probe included the sweep. */
  sweep: boolean;
  answer?: ProbeAnswer;
  /** A request that failed as a whole (bad URL, server error); probe failures are in `answer.error`. */
  problem?: string;
  /** The environment the editor computes in now (status bar; '' or absent: as written). */
  environment?: string;
  /** The environment `answer`'s prediction was computed in. */
  predictedIn?: string;
}

/** A message from the webview. */
export type WebviewMessage =
  | { type: 'probe'; form: ProbeForm; sweep: boolean }
  | { type: 'open'; uri: string; line: number; character: number }
  | { type: 'cancel' };

const isString = (v: unknown): v is string => typeof v === 'string';

function parseForm(value: unknown): ProbeForm | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const f = value as Record<string, unknown>;
  if (
    !isString(f.url) ||
    !isString(f.origin) ||
    !isString(f.method) ||
    !isString(f.headers) ||
    typeof f.credentials !== 'boolean'
  )
    return undefined;
  return {
    url: f.url,
    origin: f.origin,
    method: f.method,
    headers: f.headers,
    credentials: f.credentials,
  };
}

/** The message, when it is one the panel understands; undefined for anything else. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  const m = messageFields(value);
  if (!m) return undefined;
  if (m.type === 'probe') {
    const form = parseForm(m.form);
    return form && { type: 'probe', form, sweep: m.sweep === true };
  }
  const open = parseOpenMessage(m);
  if (open) return open;
  if (m.type === 'cancel') return { type: 'cancel' };
  return undefined;
}

/**
 * A restored state, when the saved value has the panel's shape (a reload mid-probe is not
 * running). In an untrusted workspace it says so at once: the panel shows, nothing is sent.
 */
export function restoreState(value: unknown, trusted = true): PanelState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Partial<PanelState>;
  const form = parseForm(s.form);
  if (!form) return undefined;
  return {
    rev: typeof s.rev === 'number' ? s.rev : 0,
    form,
    policyUri: isString(s.policyUri) ? s.policyUri : undefined,
    origins: Array.isArray(s.origins) ? s.origins.filter(isString) : [],
    running: false,
    sweep: s.sweep === true,
    answer: s.running ? undefined : s.answer,
    environment: isString(s.environment) ? s.environment : undefined,
    predictedIn: isString(s.predictedIn) ? s.predictedIn : undefined,
    problem: !trusted
      ? untrustedProblem
      : s.running
        ? 'The probe was interrupted by a reload.'
        : s.problem,
  };
}

/** Why nothing is sent from an untrusted workspace (checked when a probe is about to be sent). */
export const untrustedProblem =
  'The probe sends requests to a server, so it is off in untrusted workspaces: trust this workspace (Manage Workspace Trust) to probe.';

/**
 * The request for a form, or what is wrong with it. `trusted`: the workspace's trust as of now
 * (read at send time: a panel restored after a reload, or opened before trust changed, must not
 * send on a stale answer).
 */
export function formToParams(
  form: ProbeForm,
  sweep: boolean,
  policyUri: string | undefined,
  trusted: boolean,
): ProbeParams | { problem: string } {
  if (!trusted) return { problem: untrustedProblem };
  const url = form.url.trim();
  const origin = form.origin.trim();
  if (!/^https?:\/\/[^/]/i.test(url))
    return { problem: 'Enter the URL of the running server, e.g. http://127.0.0.1:8000/api/items' };
  if (!origin)
    return {
      problem:
        "Enter the origin of the page that calls fetch(), e.g. https://app.example.com, or 'null'",
    };
  const method = form.method.trim() || 'GET';
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method))
    return { problem: `'${method}' is not an HTTP method` };
  const headers = form.headers
    .split(/\r?\n/)
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return { url, origin, method, headers, credentials: form.credentials, sweep, uri: policyUri };
}
