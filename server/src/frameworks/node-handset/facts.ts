/**
 * CORS headers written by hand in Express (or plain Node) handlers, kept as small programs the
 * node-handset model replays per request: which branch runs decides which headers are sent, and
 * the app's layers in registration order decide which handlers run.
 */
import type { ExpressPath } from '../../lang/javascript/express-path';
import type { Span } from '../../policy/types';
import type { CorsLayerPolicy } from '../../lang/javascript/cors-package/respond';
import type { CorsPackageOptions } from '../../lang/javascript/cors-package/types';

/** What a request-header read gives: the header, or the code's fallback. */
export interface RequestRead {
  /** `req.headers.origin || ''` (`whenEmpty`: `||` also replaces an empty Origin) / `?? '*'`. */
  fallback?: { value: string; whenEmpty: boolean };
}

/** A header value as the code computes it. */
export type NodeValue =
  /** Strings (an array sends one line per item). */
  | { kind: 'literal'; values: string[] }
  | ({ kind: 'origin' } & RequestRead)
  /** Another request header echoed (`req.get('Access-Control-Request-Headers')`), lower-case. */
  | ({ kind: 'request'; header: string } & RequestRead)
  /**
   * Other request data the caller chooses (`req.query.origin`, `req.body.origin`,
   * `url.searchParams.get('origin')`): `source` as written; `query` names a query parameter the
   * model can read from the request's URL.
   */
  | ({ kind: 'request-data'; source: string; query?: string } & RequestRead)
  | { kind: 'dynamic' };

/** An allowlist test on the Origin: `list.includes(origin)`, `set.has(o)`, `re.test(o)`, `o === '...'`. */
export interface OriginTest extends RequestRead {
  kind: 'origin-in';
  exact: { value: string; span: Span }[];
  regexes: { pattern: string; flags: string; span: Span }[];
  /** Part of the list is not known statically. */
  dynamic: boolean;
  envDriven: boolean;
  /** The array literal holding the exact origins, when it is one (what fixes edit). */
  list?: Span;
  /** How messages name the list: the constant it is bound to (`ALLOWED_ORIGINS`). */
  listName?: string;
}

/** A condition the code tests: the request method, the Origin, or something unknown. */
export type NodeCondition =
  | { kind: 'method'; methods: string[] }
  | OriginTest
  | ({ kind: 'origin-present' } & RequestRead)
  /** Another request header tested for a value (`if (req.get('Access-Control-Request-Headers'))`), lower-case. */
  | ({ kind: 'header-present'; header: string } & RequestRead)
  /**
   * The request's path tested against a string (`req.path === '/x'`, `req.url.startsWith('/api')`,
   * `req.path.includes('.')`): `path` is Express's `req.path` (no query; below a mount, the rest
   * after it), `url` is `req.url` (with the query; below a mount, the rest), `original` is
   * `req.originalUrl` (the whole target).
   */
  | {
      kind: 'path';
      part: 'path' | 'url' | 'original';
      test: 'equals' | 'startsWith' | 'endsWith' | 'includes';
      value: string;
    }
  | { kind: 'not'; inner: NodeCondition }
  | { kind: 'and' | 'or'; parts: NodeCondition[] }
  /**
   * `origin`: the expression reads the Origin (`isAllowed(origin)`), so it may be an allowlist
   * test. `text`: its source, for messages (`process.env.OPEN_CORS`).
   */
  | { kind: 'unknown'; origin?: boolean; text?: string };

/**
 * How a header is written: Express's `res.set`/`res.header` (`String(value)`), Node's
 * `res.setHeader`/`writeHead` (throws on `undefined`), Express's `res.append`, `res.vary`.
 */
export type NodeWriteOp = 'set' | 'setHeader' | 'append' | 'vary';

/** One header written. */
export interface NodeHeaderWrite {
  kind: 'header';
  op: NodeWriteOp;
  name: string;
  value: NodeValue;
  /** The call that writes it (or the `key: value` entry of an object). */
  span: Span;
  /** The value expression. */
  valueSpan: Span;
  /** The statement holding the call when it stands alone in a block (fixes wrap or follow it). */
  statement?: Span;
  /** The method as written (`set`, `header`, `setHeader`), for fixes in the same style. */
  method: string;
}

/** How a handler hands the request on, or ends it. */
export type NodeStep =
  | NodeHeaderWrite
  | { kind: 'status'; status: number | 'dynamic' }
  | { kind: 'if'; test: NodeCondition; then: NodeStep[]; otherwise: NodeStep[]; span: Span }
  /** The response is sent (`res.sendStatus(204)`, `res.end()`, `res.json(...)`), with this status if given. */
  | { kind: 'end'; status?: number | 'dynamic'; span: Span; at: NodeInsertion }
  /** `next()`: the next layer runs. */
  | { kind: 'next'; span: Span }
  /** `throw`, `next(err)`: Express answers 500. */
  | { kind: 'error'; span: Span }
  /** `return` without sending or calling `next`. */
  | { kind: 'return'; span: Span };

/** Where text can go before an ending call: a new line before its statement, or a chained call. */
export interface NodeInsertion {
  /** The statement holding the call, when it stands alone in a block. */
  statement?: Span;
  /** Offset right after the response object the ending call is made on (`res|.sendStatus(204)`). */
  afterReceiver: number;
  /** The response object's name. */
  receiver: string;
}

/** One function Express runs (`(req, res, next) => {...}`), read into steps. */
export interface NodeHandler {
  span: Span;
  steps: NodeStep[];
  /** The names of the request and response parameters. */
  req?: string;
  res?: string;
  /** The first statement of a `{...}` body (fixes add a line before it), with its indent. */
  firstStatement?: { start: number; indent: string };
  /** Whether the function writes an `Access-Control-*` header. */
  writesCors: boolean;
  /** A plain `http.createServer` listener: `res` has Node's methods only (no `res.vary`, `res.set`). */
  plainNode?: boolean;
}

/**
 * One layer of the app in registration order: `app.use([path], ...fns)` or `app.METHOD(path,
 * ...fns)`; `run` lists its functions (see `NodeRun`).
 */
export interface NodeLayer {
  kind: 'use' | 'route';
  /** Upper-case methods; `all` for `app.use` and `app.all`. */
  methods: string[] | 'all';
  path: ExpressPath;
  prefix: boolean;
  span: Span;
  /** The call up to its path argument (`app.options('/api/items'`), where findings about the layer go. */
  head: Span;
  run: NodeRun[];
}

/**
 * What a layer runs: a read function (an index into `handlers`), what the extractor cannot read
 * (`opaque`: `express.json()`, an imported function), or the npm `cors` middleware with its
 * options (unset when they were not read: then it is opaque too).
 */
export type NodeRun =
  number | 'opaque' | { cors?: CorsLayerPolicy & { options: CorsPackageOptions } };

/** The hand-set CORS of one function, and the app it runs in. */
export interface NodeHandsetFacts {
  /** Every function the app's layers run that the extractor read. */
  handlers: NodeHandler[];
  /** The app's layers (of the receiver this function is registered on), in order. */
  stack: NodeLayer[];
  /** The function this policy is about (an index into `handlers`). */
  own: number;
  /** A path the function runs for, for asking the model. */
  samplePath: string;
  /** Where `Access-Control-Allow-Origin` is set on ordinary responses (the first such write). */
  originSetAt?: Span;
  /** The hand OPTIONS answer: an `if (req.method === 'OPTIONS')` branch or an `app.options(...)` route. */
  preflightAt?: Span;
  /**
   * The Express major the project runs (package.json, lockfile), which layer paths match by;
   * absent when they do not say (then Express 5's matching).
   */
  expressMajor?: number;
  /**
   * A Nitro server route file named for one method (`query.post.ts`): Nitro's router answers the
   * route's other methods 405 (an OPTIONS too), with no header the handler would set.
   */
  nitroMethod?: string;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'node-handset': NodeHandsetFacts;
  }
}
