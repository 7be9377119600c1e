import type { IgnoredOption } from '../../policy/types';
import type { JsOption } from './options-object';

/** A CORS library's option names, for telling a near miss from an option it reads. */
export interface OptionNames {
  /** The library, as its users name it (`the cors package`). */
  library: string;
  /** What the library does without each of its options that a near miss stands for. */
  without: Record<string, string>;
  /** Its other options (read, so never a near miss). */
  others: readonly string[];
  /** Names written for one of its options (other libraries' names, singulars, snake case), lower-cased. */
  near: Record<string, string>;
}

/** What the libraries (cors, @koa/cors) do without the options they share by name. */
export const SHARED_WITHOUT = {
  origin: 'it answers every origin with Access-Control-Allow-Origin: *',
  credentials:
    'it sends no Access-Control-Allow-Credentials, so the browser refuses every credentialed request',
  maxAge: 'it sends no Access-Control-Max-Age, so browsers cache preflights for 5 seconds at most',
  allowed: 'its preflights allow whatever request headers the browser asks for',
  exposed: 'scripts can read no response header beyond the safelisted ones',
};

/** Near misses of the options the libraries share by name. */
export const SHARED_NEAR: Record<string, string> = {
  origins: 'origin',
  alloworigin: 'origin',
  alloworigins: 'origin',
  allowedorigin: 'origin',
  allowedorigins: 'origin',
  allowcredentials: 'credentials',
  withcredentials: 'credentials',
  supportscredentials: 'credentials',
  credential: 'credentials',
  max_age: 'maxAge',
};

/**
 * The entries a library ignores that are near an option of its own (`allowHeaders` for the cors
 * package, `allowedHeaders` for `@koa/cors`, `Credentials` for either: nostrcheck-server, held-out
 * batch 23), unless the options also set that option.
 */
export function ignoredOptions(
  entries: Map<string, JsOption>,
  names: OptionNames,
): IgnoredOption[] {
  const out: IgnoredOption[] = [];
  const known = Object.keys(names.without);
  for (const [name, entry] of entries) {
    if (!entry.key || known.includes(name) || names.others.includes(name)) continue;
    const meant =
      known.find((k) => k.toLowerCase() === name.toLowerCase()) ?? names.near[name.toLowerCase()];
    if (!meant || !known.includes(meant) || entries.has(meant)) continue;
    out.push({
      library: names.library,
      name,
      span: entry.key,
      meant,
      effect: names.without[meant],
    });
  }
  return out;
}
