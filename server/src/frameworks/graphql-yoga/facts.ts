/**
 * What graphql-yoga's CORS says beyond the neutral policy: how its `origin` option picks the
 * Access-Control-Allow-Origin value (it never refuses an origin: an unlisted one gets `null`),
 * the lists as sent, and the GraphQL endpoint the server answers.
 */

/**
 * `echo`: the request's Origin (no `origin`, an empty list, or a `*` among them); `fixed`: one
 * value sent to every origin (a string, or a list of one); `list`: the Origin when listed, else
 * `null`; `dynamic`: a function or a value not known statically.
 */
export type YogaOriginMode =
  | { kind: 'echo' }
  | { kind: 'fixed'; value: string }
  | { kind: 'list'; values: string[] }
  | { kind: 'dynamic' };

export interface GraphqlYogaFacts {
  origin: YogaOriginMode;
  /** `credentials` as written; absent: `true` unless the origin sent is `*` (it never is). */
  credentials?: boolean;
  /** Comma-joined as yoga sends them; absent: the request's own (methods, headers) or none. */
  methods?: string;
  allowedHeaders?: string;
  exposedHeaders?: string;
  maxAge?: string;
  /** `graphqlEndpoint` (default `/graphql`): every other path is answered 404. */
  endpoint: string;
  /** `healthCheckEndpoint` (default `/health`): any URL ending with it is answered 200. */
  healthEndpoint: string;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'graphql-yoga': GraphqlYogaFacts;
  }
}
