/**
 * Browser truth for a claim two checks make: a browser sends an internationalised host in its
 * ASCII (punycode) form, so an allowlist entry written with the Unicode host never matches
 * (`malformed-origin`), and models are asked only with ASCII origins. Real headless Chromium
 * loads a page from `http://bücher.localhost:PORT` (Chromium resolves `*.localhost` to the
 * loopback address) and fetches a server on 127.0.0.1, which records the Origin it received.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { originProblem } from '../../server/src/checks/support/origin';
import { launchChromium, type TruthBrowser } from './chromium/browser';

describe('Chromium truth: the Origin of an internationalised host', () => {
  let browser: TruthBrowser | undefined;
  let server: http.Server | undefined;
  const origins: (string | undefined)[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/echo') origins.push(req.headers.origin);
      res.writeHead(200, {
        'content-type': 'text/html',
        'access-control-allow-origin': '*',
      });
      res.end(req.url === '/echo' ? 'ok' : '<!doctype html><title>page</title>');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('is sent in punycode, the form malformed-origin offers', async () => {
    const { port } = server!.address() as AddressInfo;
    const written = `http://bücher.localhost:${port}`;
    await browser!.page.goto(`${written}/`);
    const read = await browser!.page.evaluate(
      `fetch('http://127.0.0.1:${port}/echo').then((r) => r.text())`,
    );
    assert.equal(read, 'ok');
    assert.deepEqual(origins, [`http://xn--bcher-kva.localhost:${port}`]);
    assert.equal(originProblem(written)?.normalized, origins[0]);
  });
});
