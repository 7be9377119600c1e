/**
 * Small node:http and node:net servers on 127.0.0.1 for the probe's edge cases: each records the
 * requests it got, so a test can assert what the probe sent (and that it sent nothing more).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A request as the server received it: raw header lines in order. */
export interface Seen {
  method: string;
  url: string;
  headers: [string, string][];
}

/** A running test server. */
export interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

const TRUSTED = 'https://app.example.com';
const TEN_MB = 10 * 1024 * 1024;

/** Answers by path: see each branch. Everything else 404. */
function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const origin = req.headers.origin;
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/strict') {
    // Allows only https://app.example.com, with credentials and x-session-token.
    res.setHeader('Vary', 'Origin');
    if (origin === TRUSTED) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT');
        res.setHeader('Access-Control-Allow-Headers', 'content-type, x-session-token');
      }
    }
    res.end(req.method === 'OPTIONS' ? '' : 'ok');
  } else if (path === '/reflect') {
    // The classic mistake: any Origin echoed, with credentials.
    if (origin) res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.end('ok');
  } else if (path === '/star') {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.end('ok');
  } else if (path === '/duplicate') {
    // Two layers (say nginx and the app) each add the header.
    res.writeHead(200, [
      ['Access-Control-Allow-Origin', TRUSTED],
      ['Access-Control-Allow-Origin', TRUSTED],
      ['Content-Type', 'text/plain'],
    ]);
    res.end('ok');
  } else if (path === '/redirect') {
    res.writeHead(302, {
      Location: 'http://elsewhere.invalid/login',
      'Access-Control-Allow-Origin': '*',
    });
    res.end();
  } else if (path === '/big') {
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Length': String(TEN_MB) });
    const chunk = Buffer.alloc(1024 * 1024, 120);
    let sent = 0;
    const pump = () => {
      while (sent < TEN_MB) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => undefined);
    pump();
  } else if (path === '/hang') {
    // Never answers.
  } else if (path === '/slow-body') {
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*' });
    res.write('partial');
  } else {
    res.statusCode = 404;
    res.end();
  }
}

/** The edge-case HTTP server. */
export function startEdgeServer(): Promise<TestServer> {
  const seen: Seen[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers });
    route(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return listen(server, seen, sockets);
}

/** A TCP listener that answers every connection with bytes that are not HTTP. */
export function startGarbageServer(): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x13, 0x37, 0x0a, 0x0d, 0x0a]));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return listen(server, [], sockets);
}

function listen(server: net.Server, seen: Seen[], sockets: Set<net.Socket>): Promise<TestServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        seen,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A port that nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
