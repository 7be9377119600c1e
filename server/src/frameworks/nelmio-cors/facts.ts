/** NelmioCorsBundle's `nelmio_cors.yaml`, resolved as the bundle's extension does, for the nelmio-cors model. */
import type { Span } from '../../policy/types';
import type { YamlValue } from '../../lang/yaml/values';

/** One `allow_origin` entry: a literal, or an `%env(...)%` placeholder (resolved from `.env` when it can be). */
export interface NelmioOrigin {
  value: string;
  span: Span;
  /** From a `%env(NAME)%` placeholder; `value` is `.env`'s, or undefined when unknown. */
  env?: string;
  known: boolean;
}

/** The options one path (or `defaults`) ends up with, after the extension's normalisation. */
export interface NelmioOptions {
  /** `true`: `*`. */
  allowOrigin: true | NelmioOrigin[];
  originRegex: boolean;
  allowCredentials: boolean;
  /** `true`: `*` (the requested headers are echoed); lower-cased. */
  allowHeaders: true | string[];
  /** Upper-cased. */
  allowMethods: string[];
  exposeHeaders: string[];
  maxAge: number;
  allowPrivateNetwork: boolean;
  forcedAllowOriginValue?: string;
}

export interface NelmioCorsFacts {
  defaults: NelmioOptions;
  /** `paths` in file order: the first whose regex (`{...}i`) finds the path info applies. */
  paths: { regex: string; options: NelmioOptions; span: Span }[];
  /** The `defaults` mapping as written, where options a path does not set are found. */
  defaultsMap?: YamlValue;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'nelmio-cors': NelmioCorsFacts;
  }
}
