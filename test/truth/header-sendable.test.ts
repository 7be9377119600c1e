/**
 * Browser truth for the frontend checks' `sendable`: a `fetch` whose header name is not an HTTP
 * token, or whose value holds NUL, CR, LF or a character over U+00FF, throws a TypeError before
 * any request goes out, so no check replays such a call against a server model. Real headless
 * Chromium makes each call from a page on 127.0.0.1 to a server on another port, which answers
 * preflights for any header and records every request that reaches it.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sendable } from '../../server/src/checks/support/frontend';
import { launchChromium, type TruthBrowser } from './chromium/browser';

/** Header pairs on both sides of the line: token names, Latin-1 values, control characters. */
const CASES: [string, string][] = [
  ['X-Trace', 'plain'],
  ['X-Trace', 'caf\u00e9'],
  ['X-Trace', 'tab\tinside'],
  ['X-Trace', '\u00ff'],
  ['X-Trace', '\u0100'],
  ['X-Trace', 'line\u2028separator'],
  ['X-Trace', 'nul\u0000'],
  ['X-Trace', 'cr\rlf'],
  ['X-Trace', 'lf\nonly'],
  ["X-Odd!#$%&'*+.^_`|~", 'token characters'],
  ['X Trace', 'space in the name'],
  ['X-Trace:', 'colon in the name'],
  ['X-Tr\u00e4ce', 'Latin-1 in the name'],
  ['X-\u2028', 'separator in the name'],
  ['', 'empty name'],
];

describe('Chromium truth: which request headers fetch sends', () => {
  let browser: TruthBrowser | undefined;
  let api: http.Server | undefined;
  let page: http.Server | undefined;
  const reached = new Set<string>();

  before(async () => {
    api = http.createServer((req, res) => {
      reached.add(new URL(req.url ?? '/', 'http://x').searchParams.get('case') ?? '');
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'POST',
      });
      res.end();
    });
    page = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>page</title>');
    });
    for (const server of [api, page])
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    for (const server of [api, page]) {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }
  });

  it('refuses before sending exactly the calls sendable() leaves out', async () => {
    const apiPort = (api!.address() as AddressInfo).port;
    const pagePort = (page!.address() as AddressInfo).port;
    await browser!.page.goto(`http://127.0.0.1:${pagePort}/`);
    const outcomes = (await browser!.page.evaluate(
      `Promise.all(${JSON.stringify(CASES)}.map(([name, value], i) =>
        fetch('http://localhost:${apiPort}/echo?case=' + i, { method: 'POST', headers: [[name, value]] })
          .then(() => 'sent', (e) => e.name)))`,
    )) as string[];
    const browserSays = CASES.map((_, i) => ({
      case: i,
      thrown: outcomes[i] === 'TypeError',
      reached: reached.has(String(i)),
    }));
    const modelSays = CASES.map(([name, value], i) => {
      const sent = sendable({ headers: [[name, value]] });
      return { case: i, thrown: !sent, reached: sent };
    });
    assert.deepEqual(browserSays, modelSays);
    // Both answers occur: the cases do test the line.
    assert.ok(modelSays.some((c) => c.thrown) && modelSays.some((c) => !c.thrown));
  });
});
