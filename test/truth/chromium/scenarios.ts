/**
 * The scenario matrix for the Chromium truth test: one cross-origin `fetch()` each, with the
 * preflight and actual responses the target server gives. Every scenario has its own URL path,
 * so Chromium's preflight cache never carries a result from one scenario to another.
 */
import type { CorsRequest, HeaderList, HttpResponse } from '../../../server/src/fetch';

/** One row of the matrix. */
export interface Scenario {
  id: string;
  /** What the row is about, for the failure report. */
  label: string;
  /** Matrix group, for the agreement table. */
  group: string;
  request: CorsRequest;
  preflight: HttpResponse;
  actual: HttpResponse;
  /** Fetch it a second time after the first round, to see whether Chromium cached the preflight. */
  repeat?: boolean;
}

/** Header names the matrix puts in responses besides the CORS ones, so exposure is observable. */
const PLAIN_RESPONSE_HEADERS: HeaderList = [
  ['Cache-Control', 'no-store'],
  ['Content-Language', 'en'],
  ['Content-Type', 'text/plain'],
  ['Expires', '0'],
  ['Last-Modified', 'Mon, 01 Jan 2024 00:00:00 GMT'],
  ['Pragma', 'no-cache'],
  ['X-Exposed', '1'],
  ['X-Other', '2'],
  ['Set-Cookie', 'k=v'],
];

type Credentials = CorsRequest['credentials'];

/** Builds the whole matrix for a page on `origin` fetching from `targetBase` (`http://127.0.0.1:PORT`). */
export function generateScenarios(origin: string, targetBase: string): Scenario[] {
  const out: Scenario[] = [];
  const add = (
    group: string,
    label: string,
    req: { method: string; headers?: HeaderList; credentials?: Credentials },
    preflight: HttpResponse,
    actual: HttpResponse,
    repeat = false,
  ): void => {
    const id = String(out.length + 1);
    out.push({
      id,
      label,
      group,
      request: {
        url: `${targetBase}/s/${id}?g=${group}`,
        origin,
        method: req.method,
        headers: req.headers ?? [],
        credentials: req.credentials ?? 'omit',
      },
      preflight,
      actual,
      ...(repeat ? { repeat } : {}),
    });
  };

  const other = 'http://127.0.0.1:1';
  const acaoVariants: [string, HeaderList][] = [
    ['no ACAO', []],
    ['ACAO *', [['Access-Control-Allow-Origin', '*']]],
    ['ACAO exact', [['Access-Control-Allow-Origin', origin]]],
    ['ACAO trailing slash', [['Access-Control-Allow-Origin', `${origin}/`]]],
    ['ACAO other case', [['Access-Control-Allow-Origin', origin.toUpperCase()]]],
    ['ACAO null', [['Access-Control-Allow-Origin', 'null']]],
    ['ACAO two values', [['Access-Control-Allow-Origin', `${origin}, ${other}`]]],
    [
      'ACAO two lines same',
      [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Origin', origin],
      ],
    ],
    [
      'ACAO two lines',
      [
        ['Access-Control-Allow-Origin', other],
        ['Access-Control-Allow-Origin', origin],
      ],
    ],
    ['ACAO invalid', [['Access-Control-Allow-Origin', 'not an origin']]],
    ['ACAO no port', [['Access-Control-Allow-Origin', 'http://127.0.0.1']]],
  ];
  const acacVariants: [string, HeaderList][] = [
    ['no ACAC', []],
    ['ACAC true', [['Access-Control-Allow-Credentials', 'true']]],
    ['ACAC True', [['Access-Control-Allow-Credentials', 'True']]],
    ['ACAC false', [['Access-Control-Allow-Credentials', 'false']]],
  ];
  const allCredentials: Credentials[] = ['omit', 'include'];

  // CORS check on the actual response of a request that needs no preflight.
  for (const [an, ah] of acaoVariants)
    for (const [cn, ch] of acacVariants)
      for (const credentials of [...allCredentials, 'same-origin'] as Credentials[])
        add(
          'cors-check',
          `GET, ${an}, ${cn}, ${credentials}`,
          { method: 'GET', credentials },
          ok([]),
          ok([...ah, ...ch]),
        );

  // The same CORS check, on the preflight response (the actual response would pass).
  const passing = (credentials: Credentials): HeaderList =>
    credentials === 'include'
      ? [
          ['Access-Control-Allow-Origin', origin],
          ['Access-Control-Allow-Credentials', 'true'],
        ]
      : [['Access-Control-Allow-Origin', '*']];
  for (const [an, ah] of acaoVariants)
    for (const [cn, ch] of acacVariants)
      for (const credentials of allCredentials)
        add(
          'preflight-cors-check',
          `PUT, preflight ${an}, ${cn}, ${credentials}`,
          { method: 'PUT', credentials },
          ok([...ah, ...ch, ['Access-Control-Allow-Methods', 'PUT']]),
          ok(passing(credentials)),
        );

  // Access-Control-Allow-Methods parsing and method matching.
  const methods = ['PUT', 'put', 'DELETE', 'PATCH', 'patch', 'Patch'];
  const acamVariants: [string, string | undefined][] = [
    ['no ACAM', undefined],
    ['ACAM *', '*'],
    ['ACAM list', 'PUT, DELETE, PATCH'],
    ['ACAM odd spacing lower', ' put ,\tdelete ,patch'],
    ['ACAM safelisted only', 'GET,POST'],
    ['ACAM PATCH', 'PATCH'],
    ['ACAM patch', 'patch'],
    ['ACAM empty items', 'PUT,,DELETE, ,PATCH,'],
    ['ACAM not a token', 'PUT DELETE'],
    ['ACAM quoted', '"PUT"'],
  ];
  for (const method of methods)
    for (const [mn, acam] of acamVariants)
      for (const credentials of allCredentials) {
        const h = passing(credentials);
        add(
          'preflight-methods',
          `${method}, ${mn}, ${credentials}`,
          { method, credentials },
          ok(acam === undefined ? h : [...h, ['Access-Control-Allow-Methods', acam]]),
          ok(h),
        );
      }

  // A misspelt name (misspelt-cors-header's claim): the browser reads it as no ACAM at all.
  for (const method of ['PUT', 'DELETE'])
    for (const credentials of allCredentials) {
      const h = passing(credentials);
      add(
        'preflight-methods',
        `${method}, ACAM misspelt Access-Control-Allow-Method, ${credentials}`,
        { method, credentials },
        ok([...h, ['Access-Control-Allow-Method', 'PUT, DELETE']]),
        ok(h),
      );
    }

  // Access-Control-Allow-Headers parsing and matching.
  const headerSets: [string, HeaderList][] = [
    ['X-Custom', [['X-Custom', '1']]],
    ['Authorization', [['Authorization', 'Bearer t']]],
    [
      'Authorization + X-Custom',
      [
        ['Authorization', 'Bearer t'],
        ['X-Custom', '1'],
      ],
    ],
    ['Content-Type json', [['Content-Type', 'application/json']]],
    // A response header sent on a request (cors-header-on-request's claim): a custom header.
    ['ACAO as a request header', [['Access-Control-Allow-Origin', '*']]],
    [
      'X-B then X-A',
      [
        ['X-B', '1'],
        ['X-A', '1'],
      ],
    ],
    [
      'X-A, X-B, X-C',
      [
        ['X-A', '1'],
        ['X-B', '1'],
        ['X-C', '1'],
      ],
    ],
  ];
  const acahVariants: [string, string[]][] = [
    ['no ACAH', []],
    ['ACAH *', ['*']],
    ['ACAH x-custom', ['x-custom']],
    ['ACAH mixed case odd spacing', [' X-Custom ,\tAUTHORIZATION,content-TYPE , x-a']],
    ['ACAH *, authorization', ['*, authorization']],
    ['ACAH two lines', ['x-custom', 'authorization, x-a, x-b']],
    ['ACAH not a token', ['x-custom x-a']],
    ['ACAH empty items', [',x-custom,,authorization,content-type,x-a,x-b,']],
    ['ACAH x-a only', ['x-a']],
  ];
  for (const [hn, headers] of headerSets)
    for (const [an, acah] of acahVariants)
      for (const credentials of allCredentials) {
        const h = passing(credentials);
        add(
          'preflight-headers',
          `POST ${hn}, ${an}, ${credentials}`,
          { method: 'POST', headers, credentials },
          ok([...h, ...acah.map((v): [string, string] => ['Access-Control-Allow-Headers', v])]),
          ok(h),
        );
      }

  // Which request headers need a preflight; the preflight allows everything, so the actual
  // request shows what fetch() sent.
  const pad = (prefix: string, length: number): string =>
    prefix + 'a'.repeat(length - prefix.length);
  const requestHeaderEdges: [string, HeaderList][] = [
    ['Accept 128 bytes', [['Accept', pad('text/', 128)]]],
    ['Accept 129 bytes', [['Accept', pad('text/', 129)]]],
    ['Accept with quote', [['Accept', 'text/"html"']]],
    ['Accept with @', [['Accept', 'a@b']]],
    [
      'Accept twice, combined 141 bytes',
      [
        ['Accept', pad('a/', 70)],
        ['Accept', pad('b/', 69)],
      ],
    ],
    ['Accept-Language plain', [['Accept-Language', 'en-US,en;q=0.9']]],
    ['Accept-Language underscore', [['Accept-Language', 'en_US']]],
    ['Accept-Language slash', [['Accept-Language', 'en/US']]],
    ['Content-Language star', [['Content-Language', '*']]],
    ['Content-Language colon', [['Content-Language', 'de:ch']]],
    ['Content-Type text/plain', [['Content-Type', 'text/plain']]],
    ['Content-Type text/plain;charset=utf-8', [['Content-Type', 'text/plain;charset=utf-8']]],
    ['Content-Type Text/Plain', [['Content-Type', 'Text/Plain']]],
    ['Content-Type spaces around ;', [['Content-Type', 'text/plain ; charset=utf-8']]],
    ['Content-Type trailing ;', [['Content-Type', 'text/plain;']]],
    ['Content-Type space inside', [['Content-Type', 'text /plain']]],
    ['Content-Type quoted param', [['Content-Type', 'text/plain; charset="utf-8"']]],
    ['Content-Type application/json', [['Content-Type', 'application/json']]],
    ['Content-Type multipart', [['Content-Type', 'multipart/form-data; boundary=x']]],
    ['Content-Type urlencoded', [['Content-Type', 'application/x-www-form-urlencoded']]],
    ['Content-Type two types', [['Content-Type', 'text/plain, application/json']]],
    ['Content-Type 128 bytes', [['Content-Type', pad('text/plain;a=', 128)]]],
    ['Content-Type 129 bytes', [['Content-Type', pad('text/plain;a=', 129)]]],
    ['Range bytes=0-1', [['Range', 'bytes=0-1']]],
    ['Range bytes=0-', [['Range', 'bytes=0-']]],
    ['Range bytes=-5', [['Range', 'bytes=-5']]],
    ['Range bytes=5-1', [['Range', 'bytes=5-1']]],
    ['Range with spaces', [['Range', 'bytes = 0-1']]],
    ['Range two ranges', [['Range', 'bytes=0-1,3-4']]],
    ['Range Bytes=', [['Range', 'Bytes=0-1']]],
    ['X-Custom', [['X-Custom', 'v']]],
    ['Cookie', [['Cookie', 'a=b']]],
    ['Origin', [['Origin', 'http://evil.example']]],
    ['Host', [['Host', 'evil.example']]],
    ['Sec-Custom', [['Sec-Custom', '1']]],
    ['Proxy-Custom', [['Proxy-Custom', '1']]],
    ['User-Agent', [['User-Agent', 'me']]],
    ['DNT', [['DNT', '1']]],
    ['Set-Cookie', [['Set-Cookie', 'a=b']]],
    ['Via', [['Via', '1.1 x']]],
    ['Keep-Alive', [['Keep-Alive', 'timeout=1']]],
    ['X-HTTP-Method-Override TRACE', [['X-HTTP-Method-Override', 'TRACE']]],
    ['X-HTTP-Method-Override PUT', [['X-HTTP-Method-Override', 'PUT']]],
    [
      'all four safelisted at 128',
      [
        ['Accept', pad('a/', 128)],
        ['Accept-Language', pad('en', 128)],
        ['Content-Language', pad('de', 128)],
        ['Content-Type', pad('text/plain;a=', 128)],
      ],
    ],
  ];
  for (const [hn, headers] of requestHeaderEdges)
    for (const method of ['GET', 'HEAD', 'POST'])
      add(
        'request-headers',
        `${method} ${hn}`,
        {
          method,
          headers:
            method === 'POST'
              ? headers
              : headers.filter(([n]) => n.toLowerCase() !== 'content-type'),
        },
        ok([
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Methods', '*'],
          ['Access-Control-Allow-Headers', '*'],
        ]),
        ok([['Access-Control-Allow-Origin', '*']]),
      );

  // Preflight status codes, with and without a passing CORS check on the preflight.
  for (const status of [200, 204, 299, 301, 302, 304, 400, 403, 404, 500])
    for (const [an, ah] of [acaoVariants[0], acaoVariants[1]] as [string, HeaderList][])
      for (const credentials of allCredentials) {
        const location: HeaderList = [301, 302].includes(status)
          ? [['Location', '/elsewhere']]
          : [];
        add(
          'preflight-status',
          `DELETE, preflight ${status}, ${an}, ${credentials}`,
          { method: 'DELETE', credentials },
          { status, headers: [...ah, ...location, ['Access-Control-Allow-Methods', 'DELETE']] },
          ok(passing(credentials)),
        );
      }
  add(
    'preflight-status',
    'DELETE, preflight 301 without Location',
    { method: 'DELETE' },
    {
      status: 301,
      headers: [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Methods', 'DELETE'],
      ],
    },
    ok([['Access-Control-Allow-Origin', '*']]),
  );

  // The actual response's status does not matter to the CORS check.
  for (const status of [201, 404, 500])
    for (const [an, ah] of [acaoVariants[0], acaoVariants[1]] as [string, HeaderList][])
      add('actual-status', `GET, actual ${status}, ${an}`, { method: 'GET' }, ok([]), {
        status,
        headers: ah,
      });

  // Access-Control-Expose-Headers.
  const acehVariants: [string, string[]][] = [
    ['no ACEH', []],
    ['ACEH X-Exposed', ['X-Exposed']],
    ['ACEH two, odd case', ['x-exposed, X-OTHER']],
    ['ACEH *', ['*']],
    ['ACEH *, x-other', ['*, x-other']],
    ['ACEH empty item', ['X-Exposed,,X-Other']],
    ['ACEH trailing comma', ['X-Exposed,']],
    ['ACEH leading comma', [',X-Exposed']],
    ['ACEH not a token', ['x exposed']],
    ['ACEH padded', ['\tX-Exposed , x-other ']],
    ['ACEH two lines', ['X-Exposed', 'X-Other']],
    ['ACEH set-cookie', ['Set-Cookie, X-Other']],
    ['ACEH Date', ['date']],
  ];
  for (const [en, aceh] of acehVariants)
    for (const credentials of allCredentials)
      add(
        'expose',
        `GET, ${en}, ${credentials}`,
        { method: 'GET', credentials },
        ok([]),
        ok([
          ...passing(credentials),
          ...PLAIN_RESPONSE_HEADERS,
          ...aceh.map((v): [string, string] => ['Access-Control-Expose-Headers', v]),
        ]),
      );

  // Preflight cache lifetime: fetched twice, a cached preflight is not sent again.
  // (Positive values stay at 5 s or more so the second fetch always lands inside the lifetime.)
  const maxAgeVariants: (string | undefined)[] = [
    undefined,
    '0',
    '-1',
    '-0',
    '600',
    '99999',
    'abc',
    '5, 6',
    '+10',
    '1.5',
    '',
  ];
  for (const maxAge of maxAgeVariants)
    for (const credentials of allCredentials) {
      const h = passing(credentials);
      add(
        'preflight-cache',
        `PUT twice, max-age ${maxAge ?? 'absent'}, ${credentials}`,
        { method: 'PUT', headers: [['X-Custom', '1']], credentials },
        ok([
          ...h,
          ['Access-Control-Allow-Methods', 'PUT'],
          ['Access-Control-Allow-Headers', 'x-custom'],
          ...(maxAge === undefined ? [] : [['Access-Control-Max-Age', maxAge] as [string, string]]),
        ]),
        ok(h),
        true,
      );
    }

  // Methods fetch() refuses outright.
  for (const method of ['TRACE', 'connect', 'Track'])
    add(
      'forbidden-method',
      method,
      { method },
      ok([['Access-Control-Allow-Origin', '*']]),
      ok([['Access-Control-Allow-Origin', '*']]),
    );

  return out;
}

function ok(headers: HeaderList): HttpResponse {
  return { status: 200, headers };
}
