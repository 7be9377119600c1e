/**
 * A server that answers with escape sequences in its reason phrase and header values, and with
 * more header lines than Node reads by default: the probe keeps every line (or says it did not),
 * and the text output shows the bytes instead of letting the terminal run them.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { probe, probeReport } from '../../../server/src/probe';
import { formatProbeText } from '../../../server/src/cli/format-probe';
import { terminalSafe } from '../../../server/src/cli/terminal-safe';

const APP = 'https://app.example.com';
const PADDING = 2100;

/** Answers every request with a 200 whose reason phrase and a header carry escapes, then 2,100 headers, then ACAO. */
function startHostileServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => {
      const lines = ['HTTP/1.1 200 OK\x1b]0;pwned\x07\x1b[2J', 'X-Note: a\x9b31mred'];
      for (let i = 0; i < PADDING; i++) lines.push(`X-Pad-${i}: 1`);
      lines.push(
        `Access-Control-Allow-Origin: ${APP}`,
        'Content-Length: 0',
        'Connection: close',
        '',
        '',
      );
      socket.end(new Uint8Array(Buffer.from(lines.join('\r\n'), 'latin1')));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

describe('probe: a hostile or unusual server', () => {
  let hostile: { url: string; close: () => Promise<void> };
  before(async () => {
    hostile = await startHostileServer();
  });
  after(() => hostile.close());

  test('an Access-Control-Allow-Origin after 2,000 header lines is read', async () => {
    const result = await probe({ url: hostile.url, origin: APP });
    assert.equal(result.actual?.headers.length, PADDING + 4);
    assert.equal(result.verdict?.allowed, true);
    assert.ok(!result.notes.some((n) => /header lines or more/.test(n)));
  });

  test('a response over the header limit says so in a note', async () => {
    const result = await probe(
      { url: hostile.url, origin: APP },
      { timeoutMs: 5000, maxBodyBytes: 1024, maxHeaders: 100 },
    );
    // Node hands headers over in batches, so a few more than the limit may be read.
    const read = result.actual?.headers.length ?? 0;
    assert.ok(read >= 100 && read < PADDING, String(read));
    assert.ok(
      result.notes.includes(
        `The GET response has ${read} header lines or more: only the first ${read} were read, so a CORS header after them is not seen.`,
      ),
      result.notes.join('\n'),
    );
  });

  test('the text output escapes the reason phrase and header values', async () => {
    const text = formatProbeText(await probeReport({ url: hostile.url, origin: APP }));
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    assert.match(text, /-> 200 OK\\x1b\]0;pwned\\x07\\x1b\[2J/);
    assert.match(text, /X-Note: a\\x9b31mred/);
  });
});

describe('probe --sweep timing', () => {
  let hostile: { url: string; close: () => Promise<void> };
  before(async () => {
    hostile = await startHostileServer();
  });
  after(() => hostile.close());

  test('totalMs covers the probe and the sweep', async () => {
    const started = performance.now();
    const report = await probeReport({ url: hostile.url, origin: APP }, { sweep: true });
    const wall = performance.now() - started;
    const { totalMs, probeMs, sweepMs } = report.timing;
    assert.ok(report.sweep?.length);
    assert.ok(probeMs !== undefined && sweepMs !== undefined);
    assert.ok(
      totalMs >= probeMs + sweepMs - 1 && totalMs <= wall + 1,
      JSON.stringify({ ...report.timing, wall }),
    );
  });
});

describe('terminalSafe', () => {
  test('shows controls, DEL, C1 and bidi overrides as escapes; leaves other text alone', () => {
    assert.equal(
      terminalSafe('a\x1b[31mb\tc\r\nd\x7f\u009b\u202eé✓'),
      'a\\x1b[31mb\\tc\\r\\nd\\x7f\\x9b\\u202eé✓',
    );
  });
});
