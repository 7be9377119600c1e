/**
 * Exact responses of the django-cors-headers 3.14.0 model for hand-built policies, and the
 * preview composition over it. Each expectation was read off the real library
 * (test/truth/django-cors-headers.test.ts checks the same behaviour against a live Django).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { modelFor } from '../../../server/src/frameworks';
import { preview } from '../../../server/src/replay/replay';
import type { CorsRequest, HeaderList, HttpRequest } from '../../../server/src/fetch/types';
import { djangoCorsHeaders, pythonUrlsplit } from '../../../server/src/frameworks/django/model';
import { originMatcher } from '../../../server/src/base/regex';
import type { OriginPolicy, Policy, Setting, Span } from '../../../server/src/policy/types';

const span: Span = { file: 'settings.py', start: 0, end: 0 };
const DEFAULT_HEADERS =
  'accept, accept-encoding, authorization, content-type, dnt, origin, user-agent, x-csrftoken, x-requested-with';
const DEFAULT_METHODS = 'DELETE, GET, OPTIONS, PATCH, POST, PUT';

/** A policy as the extractor builds it from settings, defaults filled in. */
function policy(
  over: Omit<Partial<Policy>, 'origins'> & { origins?: Partial<OriginPolicy> } = {},
): Policy {
  const { origins, ...rest } = over;
  return {
    framework: 'django',
    file: 'settings.py',
    files: ['settings.py'],
    configured: true,
    credentials: false,
    methods: { names: DEFAULT_METHODS.split(', '), wildcard: false, dynamic: false },
    headers: { names: DEFAULT_HEADERS.split(', '), wildcard: false, dynamic: false },
    expose: { names: [], wildcard: false, dynamic: false },
    maxAge: 86400,
    urlRegex: '^.*$',
    allowPrivateNetwork: false,
    ...rest,
    origins: {
      allowAll: false,
      exact: [],
      regexes: [],
      dynamic: false,
      envDriven: false,
      ...origins,
    },
  };
}

const allowlist = (...values: string[]) => ({ exact: values.map((value) => ({ value })) });
const get = (
  origin: string | undefined,
  path = '/api/items',
  extra: HeaderList = [],
): HttpRequest => ({
  method: 'GET',
  path,
  headers: [...(origin === undefined ? [] : ([['Origin', origin]] as HeaderList)), ...extra],
});
const preflight = (origin: string, method = 'PUT', path = '/api/items'): HttpRequest => ({
  method: 'OPTIONS',
  path,
  headers: [
    ['Origin', origin],
    ['Access-Control-Request-Method', method],
  ],
});
const respond = (p: Policy, r: HttpRequest) => djangoCorsHeaders.respond(p, r);
const PREFLIGHT_BODY: HeaderList = [
  ['Content-Type', 'text/html; charset=utf-8'],
  ['Content-Length', '0'],
];

describe('django-cors-headers 3.14.0 model', () => {
  test('allow all without credentials: `*`, and a preflight is a bodiless 200', () => {
    const p = policy({ origins: { allowAll: true } });
    assert.deepEqual(respond(p, preflight('https://a.example')), {
      status: 200,
      headers: [
        ...PREFLIGHT_BODY,
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Headers', DEFAULT_HEADERS],
        ['Access-Control-Allow-Methods', DEFAULT_METHODS],
        ['Access-Control-Max-Age', '86400'],
      ],
    });
    assert.deepEqual(respond(p, get('https://a.example')).headers, [
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Origin', '*'],
    ]);
  });

  test('allow all with credentials echoes any origin, credentials header first', () => {
    const p = policy({ origins: { allowAll: true }, credentials: true });
    assert.deepEqual(respond(p, get('https://evil.example')).headers, [
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Allow-Origin', 'https://evil.example'],
    ]);
  });

  test('a disallowed origin still gets Vary, and ACAC when credentials are on; the preflight stays 200', () => {
    const p = policy({ origins: allowlist('https://app.example.com'), credentials: true });
    assert.deepEqual(respond(p, preflight('https://evil.example')), {
      status: 200,
      headers: [
        ...PREFLIGHT_BODY,
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Credentials', 'true'],
      ],
    });
    assert.deepEqual(
      respond(
        policy({ origins: allowlist('https://app.example.com') }),
        get('https://evil.example'),
      ).headers,
      [['Vary', 'Origin']],
    );
  });

  test('no Origin, an empty Origin or one Python cannot split: Vary only', () => {
    const p = policy({ origins: { allowAll: true }, credentials: true });
    for (const origin of [undefined, '', 'https://[::1', 'https://[1.2.3.4]']) {
      assert.deepEqual(respond(p, get(origin)).headers, [['Vary', 'Origin']], String(origin));
    }
  });

  test('expose headers on every response, max-age only on OPTIONS and never when 0', () => {
    const p = policy({
      origins: allowlist('https://app.example.com'),
      expose: { names: ['X-Total-Count', 'Content-Disposition'], wildcard: false, dynamic: false },
      maxAge: 600,
    });
    assert.deepEqual(respond(p, get('https://app.example.com')).headers, [
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ['Access-Control-Expose-Headers', 'X-Total-Count, Content-Disposition'],
    ]);
    assert.deepEqual(respond(p, preflight('https://app.example.com')).headers.at(-1), [
      'Access-Control-Max-Age',
      '600',
    ]);
    const zero = respond(
      policy({ origins: { allowAll: true }, maxAge: 0 }),
      preflight('https://a.example'),
    );
    assert.ok(!zero.headers.some(([n]) => n === 'Access-Control-Max-Age'));
  });

  test('a plain OPTIONS (no Access-Control-Request-Method) reaches the view but still gets ACAH/ACAM', () => {
    const p = policy({ origins: { allowAll: true } });
    assert.deepEqual(
      respond(p, { method: 'OPTIONS', path: '/', headers: [['Origin', 'https://a.example']] })
        .headers,
      [
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Headers', DEFAULT_HEADERS],
        ['Access-Control-Allow-Methods', DEFAULT_METHODS],
        ['Access-Control-Max-Age', '86400'],
      ],
    );
    // An empty Access-Control-Request-Method still makes it a preflight (the key is in META).
    const empty = respond(p, {
      method: 'OPTIONS',
      path: '/',
      headers: [
        ['Origin', 'https://a.example'],
        ['Access-Control-Request-Method', ''],
      ],
    });
    assert.deepEqual(empty.headers.slice(0, 2), PREFLIGHT_BODY);
  });

  test('custom header and method lists are joined verbatim', () => {
    const p = policy({
      origins: allowlist('https://app.example.com'),
      headers: {
        names: [...DEFAULT_HEADERS.split(', '), 'x-session-token'],
        wildcard: false,
        dynamic: false,
      },
      methods: { names: ['GET', 'POST'], wildcard: false, dynamic: false },
    });
    const h = new Map(respond(p, preflight('https://app.example.com')).headers);
    assert.equal(h.get('Access-Control-Allow-Headers'), `${DEFAULT_HEADERS}, x-session-token`);
    assert.equal(h.get('Access-Control-Allow-Methods'), 'GET, POST');
  });

  test('CORS_URLS_REGEX: other paths get nothing, and their preflight goes to the view', () => {
    const p = policy({ origins: allowlist('https://app.example.com'), urlRegex: '^/api/.*$' });
    assert.deepEqual(respond(p, preflight('https://app.example.com', 'PUT', '/public/health')), {
      status: 200,
      headers: [],
    });
    assert.deepEqual(respond(p, get('https://app.example.com', '/public/health')).headers, []);
    assert.equal(respond(p, get('https://app.example.com', '/api/items?x=1')).headers.length, 2);
    // re.match on path_info: percent-decoded, query excluded.
    assert.equal(respond(p, get('https://app.example.com', '/%61pi/items')).headers.length, 2);
  });

  test('CorsMiddleware missing from MIDDLEWARE: the library sends nothing', () => {
    const middleware: Setting = {
      name: 'MIDDLEWARE',
      value: {
        kind: 'list',
        span,
        items: [{ kind: 'str', value: 'django.middleware.common.CommonMiddleware', span }],
      },
      statement: span,
      nameSpan: span,
    };
    const p = policy({
      origins: { allowAll: true },
      facts: { settings: new Map([['MIDDLEWARE', middleware]]) },
    });
    assert.deepEqual(respond(p, preflight('https://a.example')), { status: 200, headers: [] });
    // The extractor's explicit fact wins over the setting.
    const present = policy({
      origins: { allowAll: true },
      facts: { settings: new Map(), corsMiddleware: 'present' },
    });
    assert.equal(respond(present, get('https://a.example')).headers.length, 2);
    const missing = policy({
      origins: { allowAll: true },
      facts: { settings: new Map(), corsMiddleware: 'missing' },
    });
    assert.deepEqual(respond(missing, get('https://a.example')).headers, []);
  });

  test('exact origins compare urlsplit scheme (lowercased) and netloc (as written)', () => {
    const p = policy({
      origins: allowlist(
        'HTTPS://Upper.example.com',
        'https://slash.example.com/',
        'app.example.com',
        'file://',
      ),
    });
    const allowed = (o: string) =>
      respond(p, get(o)).headers.some(([n]) => n === 'Access-Control-Allow-Origin');
    assert.equal(allowed('https://Upper.example.com'), true);
    assert.equal(allowed('https://upper.example.com'), false);
    assert.equal(allowed('https://slash.example.com'), true);
    assert.equal(allowed('file://'), true);
    // `app.example.com` has no `//`, so its netloc is empty, like `null`'s: null is let in.
    assert.equal(allowed('null'), true);
    assert.equal(allowed('https://app.example.com'), false);
  });

  test('regexes use re.match: anchored at the start only', () => {
    const p = policy({
      origins: {
        regexes: [
          { pattern: '^https://\\w+\\.example\\.com$', flavor: 'python-match' },
          { pattern: 'https://.*\\.trusted\\.org', flavor: 'python-match' },
          { pattern: '^https://api.partner.com$', flavor: 'python-match' },
        ],
      },
    });
    const allowed = (o: string) =>
      respond(p, get(o)).headers.some(([n]) => n === 'Access-Control-Allow-Origin');
    assert.equal(allowed('https://foo.example.com'), true);
    assert.equal(allowed('https://a.b.example.com'), false);
    assert.equal(allowed('https://x.trusted.org.evil.net'), true);
    assert.equal(allowed('http://x.trusted.org'), false);
    assert.equal(allowed('https://apiXpartner.com'), true);
  });

  test('no Access-Control-Allow-Private-Network in 3.14', () => {
    const p = policy({ origins: { allowAll: true }, allowPrivateNetwork: true });
    const r = respond(p, {
      ...preflight('https://a.example'),
      headers: [
        ...preflight('https://a.example').headers,
        ['Access-Control-Request-Private-Network', 'true'],
      ],
    });
    assert.ok(!r.headers.some(([n]) => n.toLowerCase().includes('private')));
  });
});

describe('Python helpers', () => {
  test('Python patterns on the bounded matcher: match, fullmatch, \\A \\Z, $ before a final newline, inline flags', () => {
    const t = (
      p: string,
      s: string,
      f: 'python-match' | 'python-fullmatch' | 'python-search' = 'python-match',
    ) => {
      const re = originMatcher(p, f);
      assert.ok(re.ok, p);
      return re.test(s);
    };
    assert.equal(t('abc', 'abcd'), true);
    assert.equal(t('abc', 'xabc'), false);
    assert.equal(t('abc', 'xabc', 'python-search'), true);
    assert.equal(t('abc', 'abcd', 'python-fullmatch'), false);
    // A backreference is refused by the linear-time engine: unreadable, never run elsewhere.
    assert.equal(originMatcher('(?P<x>a)(?P=x)', 'python-match').ok, false);
    assert.equal(t('\\Aa\\Z', 'a'), true);
    assert.equal(t('a\\Z', 'a\n'), false);
    assert.equal(t('a$', 'a\n'), true);
    assert.equal(t('(?i)^HTTPS://A', 'https://a'), true);
    assert.equal(t('[]a]', ']'), true);
  });

  test('pythonUrlsplit: scheme lowercased, netloc kept, ValueError cases', () => {
    assert.deepEqual(pythonUrlsplit('HTTPS://App.example.com:8443/x'), {
      scheme: 'https',
      netloc: 'App.example.com:8443',
    });
    assert.deepEqual(pythonUrlsplit('null'), { scheme: '', netloc: '' });
    assert.deepEqual(pythonUrlsplit('localhost:3000'), { scheme: 'localhost', netloc: '' });
    assert.deepEqual(pythonUrlsplit('http://[::1]:8000'), { scheme: 'http', netloc: '[::1]:8000' });
    assert.equal(pythonUrlsplit('http://[::1'), undefined);
    assert.equal(pythonUrlsplit('http://[127.0.0.1]'), undefined);
  });
});

describe('preview()', () => {
  const req = (over: Partial<CorsRequest>): CorsRequest => ({
    url: 'http://127.0.0.1:8000/api/items',
    origin: 'https://app.example.com',
    method: 'GET',
    headers: [],
    credentials: 'omit',
    ...over,
  });
  const p = policy({ origins: allowlist('https://app.example.com'), credentials: true });

  test('modelFor picks django-cors-headers for Django policies', () => {
    assert.equal(modelFor(p), djangoCorsHeaders);
  });

  test('a simple request: no preflight, the actual response and an allowing verdict', () => {
    const r = preview(p, djangoCorsHeaders, req({ credentials: 'include' }));
    assert.deepEqual(r.preflight, { needed: false });
    assert.deepEqual(r.actual, {
      status: 200,
      headers: [
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ],
    });
    assert.equal(r.verdict.allowed, true);
  });

  test('a passing preflight, then the actual request', () => {
    const r = preview(
      p,
      djangoCorsHeaders,
      req({ method: 'PUT', headers: [['Content-Type', 'application/json']] }),
    );
    assert.equal(r.preflight.needed, true);
    assert.ok(r.preflight.needed && r.preflight.status === 200);
    assert.ok(r.actual);
    assert.equal(r.verdict.allowed, true);
    assert.equal(r.verdict.preflightCacheSeconds, 7200);
  });

  test('a failing preflight: the actual request is never sent', () => {
    const r = preview(
      p,
      djangoCorsHeaders,
      req({ method: 'PUT', headers: [['X-Session-Token', 't']] }),
    );
    assert.equal(r.actual, null);
    assert.equal(r.verdict.allowed, false);
    assert.equal(r.verdict.stage, 'preflight');
    assert.match(r.verdict.reasons[0], /x-session-token/);
  });

  test('a disallowed origin: the preflight answers 200 without ACAO, and the browser blocks', () => {
    const r = preview(
      p,
      djangoCorsHeaders,
      req({ origin: 'https://evil.example', method: 'DELETE' }),
    );
    assert.deepEqual(r.preflight, {
      needed: true,
      status: 200,
      headers: [
        ...PREFLIGHT_BODY,
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Credentials', 'true'],
      ],
    });
    assert.equal(r.verdict.allowed, false);
  });

  test('a forbidden method: nothing is sent', () => {
    const r = preview(p, djangoCorsHeaders, req({ method: 'TRACE' }));
    assert.deepEqual(r.preflight, { needed: false });
    assert.equal(r.actual, null);
    assert.equal(r.verdict.allowed, false);
  });
});
