import { frameworkOf, modelFor } from '../frameworks';
import { preview } from '../replay/replay';
import { withSessionCookie } from '../replay/session-cookie';
import { modelLabel } from '../replay/library-model';
import type { CorsRequest, HeaderList } from '../fetch/types';
import { sampleHeaderValue } from '../fetch/sample-header-value';
import type { NameList, Policy } from '../policy/types';

/**
 * The preview as JSON (design.md: `preview.{policy, preflight, actual, verdict}`), shared by the
 * CLI's `preview` and the language server's `corsLens/preview` so both tell the same story.
 */

/** What a preview is asked for, as a user types it. */
export interface PreviewInput {
  origin: string;
  /** Path and query, default `/`. */
  path?: string;
  /** Default `GET`. */
  method?: string;
  /** Each a header name (`x-session-token`) or `name: value`. */
  headers?: string[];
  credentials?: boolean;
  /**
   * The server's origin (`http://localhost:4000`, from `serverPortOf`); default: the framework's
   * usual dev port. Only the path matters to the models; the URL is what the report shows.
   */
  server?: string;
}

/** `name` or `name: value` as a header line; a bare name gets the value a page would send (`sampleHeaderValue`). */
export function parseHeader(spec: string): [string, string] {
  const colon = spec.indexOf(':');
  return colon === -1
    ? [spec.trim(), sampleHeaderValue(spec)]
    : [spec.slice(0, colon).trim(), spec.slice(colon + 1).trim()];
}

/** The `fetch()` a preview input stands for, to `policy`'s server. */
export function corsRequest(input: PreviewInput, policy: Pick<Policy, 'framework'>): CorsRequest {
  let path = input.path?.trim() || '/';
  if (!path.startsWith('/')) path = `/${path}`;
  const headers: HeaderList = (input.headers ?? []).filter((h) => h.trim() !== '').map(parseHeader);
  const server = input.server ?? `http://localhost:${frameworkOf(policy).devServer.port}`;
  return {
    url: server + path,
    origin: input.origin,
    method: input.method?.trim() || 'GET',
    headers,
    credentials: input.credentials ? 'include' : 'omit',
  };
}

const names = (list: NameList) => ({
  names: list.names,
  wildcard: list.wildcard,
  dynamic: list.dynamic,
});

/** The policy without spans or framework internals: what a reader (or a script) needs. */
export function policyJson(policy: Policy) {
  return {
    framework: policy.framework,
    file: policy.file,
    configured: policy.configured,
    origins: {
      allowAll: policy.origins.allowAll,
      exact: policy.origins.exact.map((o) => o.value),
      regexes: policy.origins.regexes.map((r) => ({ pattern: r.pattern, flavor: r.flavor })),
      dynamic: policy.origins.dynamic,
      envDriven: policy.origins.envDriven,
      /** The server echoes any request Origin (Express `origin: true`, a copied Origin header). */
      reflectAny: policy.origins.reflectAny !== undefined,
    },
    credentials: policy.credentials,
    methods: names(policy.methods),
    headers: names(policy.headers),
    expose: names(policy.expose),
    maxAge: policy.maxAge,
    urlRegex: policy.urlRegex,
    allowPrivateNetwork: policy.allowPrivateNetwork,
  };
}

/** The policy as `preview` prints it in JSON. */
export type PolicyJson = ReturnType<typeof policyJson>;
type Prediction = ReturnType<typeof preview>;

/** The whole preview report; `request` echoes what was asked, so the output stands alone. */
export interface PreviewReport {
  policy: PolicyJson;
  /** The model that predicted the responses: library and version (`cors 2.8.6 (Express 4.x)`). */
  model: string;
  request: CorsRequest;
  preflight: Prediction['preflight'];
  actual: Prediction['actual'];
  verdict: Prediction['verdict'];
}

/** `http://localhost:<port>`: the origin a preview shows for a server listening on `port`. */
export const previewServerAt = (port: number): string =>
  port === 80 ? 'http://localhost' : `http://localhost:${port}`;

/** Predicts the preflight, the actual response and the browser's verdict for one request. */
export function previewReport(policy: Policy, input: PreviewInput): PreviewReport {
  const request = corsRequest(input, policy);
  // A credentialed request from a signed-in user carries their session cookie, and some libraries
  // answer differently when one is there (Starlette echoes the origin instead of `*`).
  const model =
    request.credentials === 'include' ? withSessionCookie(modelFor(policy)) : modelFor(policy);
  const { preflight, actual, verdict } = preview(policy, model, request);
  return {
    policy: policyJson(policy),
    model: modelLabel(model, policy),
    request,
    preflight,
    actual,
    verdict,
  };
}
