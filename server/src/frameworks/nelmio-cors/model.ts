/**
 * What NelmioCorsBundle 2.6.0 (`Nelmio\CorsBundle\EventListener\CorsListener` with
 * `Options\ConfigProvider`) sends for a `nelmio_cors.yaml`. Modelled from the bundle's source, not
 * verified against it: neither Debian nor npm ships Symfony or the bundle, so no real server runs
 * here; test/unit/nelmio-cors/model.test.ts keeps the cases read off the source. What it says:
 * - Options: the first `paths` key whose regex (`{key}i`, searching) finds the path info, merged
 *   over `defaults` (falsy path values dropped first, so `false` there keeps the default); else
 *   `defaults`.
 * - No Origin: nothing. A preflight is `OPTIONS` with `Access-Control-Request-Method`: the bundle
 *   answers it itself (200, `Vary: Origin`, Allow-Credentials, Allow-Methods, Allow-Headers — the
 *   requested ones for `*` —, Max-Age when not 0), then Allow-Origin (the request's Origin) only
 *   when the origin is allowed; a method outside `allow_methods` gives 405, a requested header
 *   outside `allow_headers` (and not accept, accept-language, content-language, origin) 400.
 * - Other requests reach the app (assumed to answer 200); when the origin is allowed the response
 *   gets Allow-Origin (the Origin), Allow-Credentials and Expose-Headers (lower-cased).
 * - Origins: `*` allows all (echoed, never `*`); with `origin_regex: true` each entry is a PCRE
 *   searched case-insensitively (`{entry}i`); else exact, case-sensitive.
 */
import { firstValue } from '../../fetch/headers';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { NelmioCorsFacts, NelmioOptions } from './facts';
import { type Policy, factsOf } from '../../policy/types';
import { pcreToJs } from '../../lang/php/regex';
import type { LibraryModel } from '../../replay/library-model';

const SIMPLE_HEADERS = ['accept', 'accept-language', 'content-language', 'origin'];

/** `ConfigProvider::getOptions`. */
export function optionsFor(facts: NelmioCorsFacts, path: string): NelmioOptions {
  const uri = path.replace(/[?#].*$/s, '') || '/';
  return facts.paths.find((p) => pcreToJs(p.regex, 'i')?.test(uri))?.options ?? facts.defaults;
}

/** `CorsListener::checkOrigin`. */
export function originAllowed(options: NelmioOptions, origin: string): boolean {
  if (options.allowOrigin === true) return true;
  const entries = options.allowOrigin.filter((o) => o.known);
  if (options.originRegex) return entries.some((o) => !!pcreToJs(o.value, 'i')?.test(origin));
  return entries.some((o) => o.value === origin);
}

class Headers {
  readonly lines: HeaderList = [];
  set(name: string, value: string): void {
    const at = this.lines.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (at >= 0) this.lines[at] = [name, value];
    else this.lines.push([name, value]);
  }
}

/** One request through the bundle's listener. */
export function nelmioRespond(facts: NelmioCorsFacts, request: HttpRequest): HttpResponse {
  const options = optionsFor(facts, request.path);
  const get = (name: string) => firstValue(request.headers, name)?.trim();
  const origin = get('origin');
  const headers = new Headers();
  const forced = () =>
    options.forcedAllowOriginValue &&
    headers.set('Access-Control-Allow-Origin', options.forcedAllowOriginValue);
  if (origin === undefined) {
    forced();
    return { status: 200, headers: headers.lines };
  }
  const requested = get('access-control-request-method');
  if (request.method.toUpperCase() === 'OPTIONS' && requested !== undefined) {
    let status = 200;
    headers.set('Vary', 'Origin');
    if (options.allowCredentials) headers.set('Access-Control-Allow-Credentials', 'true');
    if (options.allowMethods.length)
      headers.set('Access-Control-Allow-Methods', options.allowMethods.join(', '));
    const requestedHeaders = get('access-control-request-headers');
    const allowHeaders =
      options.allowHeaders === true ? requestedHeaders : options.allowHeaders.join(', ');
    if ((options.allowHeaders === true || options.allowHeaders.length) && allowHeaders)
      headers.set('Access-Control-Allow-Headers', allowHeaders);
    if (options.maxAge) headers.set('Access-Control-Max-Age', String(options.maxAge));
    if (!originAllowed(options, origin)) return { status, headers: headers.lines };
    headers.set('Access-Control-Allow-Origin', origin);
    if (!options.allowMethods.includes(requested.toUpperCase()))
      return { status: 405, headers: headers.lines };
    // The method as the browser wrote it is added when its case differs (Firefox's `Link`).
    if (!options.allowMethods.includes(requested))
      headers.set('Access-Control-Allow-Methods', [...options.allowMethods, requested].join(', '));
    if (requestedHeaders && options.allowHeaders !== true) {
      const allowed = options.allowHeaders;
      const refused = requestedHeaders
        .trim()
        .toLowerCase()
        .split(/, */)
        .find((h) => !SIMPLE_HEADERS.includes(h) && !allowed.includes(h));
      if (refused !== undefined) status = 400;
    }
    return { status, headers: headers.lines };
  }
  if (originAllowed(options, origin)) {
    headers.set('Access-Control-Allow-Origin', origin);
    if (options.allowCredentials) headers.set('Access-Control-Allow-Credentials', 'true');
    if (options.exposeHeaders.length)
      headers.set('Access-Control-Expose-Headers', options.exposeHeaders.join(', ').toLowerCase());
  }
  forced();
  return { status: 200, headers: headers.lines };
}

/** NelmioCorsBundle as a {@link LibraryModel}. */
export const nelmioCors: LibraryModel = {
  library: 'NelmioCorsBundle 2.6.0',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'nelmio-cors');
    return facts ? nelmioRespond(facts, request) : { status: 200, headers: [] };
  },
};
