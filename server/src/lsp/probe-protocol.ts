/**
 * The probe's requests between the extension client and the language server (types only on the
 * client side), beside protocol.ts's preview requests.
 */
import type { Comparison, ProbeReport, SweepRow } from '../probe';

/**
 * The client's `initializationOptions`. `workspaceTrusted: false` (VS Code's Restricted Mode)
 * makes the server refuse every request that would send HTTP (`corsLens/probe`); a client that
 * says nothing is trusted (editors without workspace trust).
 */
export interface InitializationOptions {
  workspaceTrusted?: boolean;
}

/** `corsLens/workspaceTrust` (notification): the user granted trust after start-up. */
export const workspaceTrustNotification = 'corsLens/workspaceTrust';

export interface WorkspaceTrustParams {
  trusted: boolean;
}

/** The error `corsLens/probe` answers with in an untrusted workspace. */
export const untrustedProbeMessage =
  'CORS Lens does not send requests from an untrusted workspace: trust it (Manage Workspace Trust) to probe.';

/** `corsLens/probe`: ask the live server; the server sends the requests, the client shows them. */
export const probeRequest = 'corsLens/probe';

/** What the client asks the probe for. */
export interface ProbeParams {
  /** Absolute http(s) URL. */
  url: string;
  origin: string;
  method: string;
  /** Each a header name or `name: value`. */
  headers: string[];
  credentials: boolean;
  sweep: boolean;
  /** The document whose policy should explain the outcome (compare and links); optional. */
  uri?: string;
}

/** A link to a source line, ready for `vscode.window.showTextDocument`. */
export interface ProbeSourceLink {
  message: string;
  uri: string;
  /** 0-based, UTF-16 columns. */
  line: number;
  character: number;
  /** The file name and 1-based line, as shown (`settings.py:42`). */
  label: string;
}

/** The answer to `corsLens/probe`: the report with its links as document positions. */
export interface ProbeAnswer extends Omit<ProbeReport, 'links' | 'sweep' | 'compare'> {
  sweep?: SweepRow[];
  compare?: Comparison;
  links: ProbeSourceLink[];
  /** The policy's file name, when a policy was used. */
  policyFile?: string;
}

/** `corsLens/probeDefaults`: what the panel pre-fills for a document. */
export const probeDefaultsRequest = 'corsLens/probeDefaults';

/** Which document the panel was opened from (none: no policy). */
export interface ProbeDefaultsParams {
  uri?: string;
}

/** The panel's pre-filled values. */
export interface ProbeDefaults {
  /** The dev-server URL: the app's port as the workspace says (else its framework's), a path the policy covers. */
  url: string;
  /** What says the port (`server.js listens on 4000`), when the workspace was read. */
  why?: string;
  /** Request headers the workspace's frontend sends (CORS-unsafe ones, as `name: value`). */
  headers: string[];
  /** Some frontend call sends credentials. */
  credentials: boolean;
}

/**
 * What the panel pre-fills when the request fails: `suggestedUrl(undefined)` (no policy, port
 * 8000; a test keeps them equal), here so the LSP thread need not load the probe for it.
 */
export const noProbeDefaults: ProbeDefaults = {
  url: 'http://127.0.0.1:8000/',
  headers: [],
  credentials: false,
};
