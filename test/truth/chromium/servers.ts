/**
 * Two servers on 127.0.0.1: the page's origin (port A, node:http, a blank page) and the target
 * (port B, a different origin), which answers `/s/<id>` with the scenario's preflight or actual
 * response and records what arrived. The target speaks HTTP/1.1 itself over node:net: node's
 * HTTP parser rejects methods it does not know (fetch sends `patch` as written, lowercase) and
 * node:http adds response headers of its own, while here every byte sent is the scenario's.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { HeaderList, HttpResponse } from '../../../server/src/fetch';
import type { Scenario } from './scenarios';

/** What the target server saw for one scenario. */
export interface Arrivals {
  /** The last preflight that arrived. */
  preflight?: { method: string; headers: HeaderList };
  /** How many preflights arrived. */
  preflights?: number;
  actual?: { method: string; headers: HeaderList };
}

const BODY = 'ok';

/**
 * The response exactly as it goes on the wire: the scenario's header lines plus the framing
 * lines set here so node adds none of its own (no Date, Keep-Alive or chunked encoding).
 */
export function wireResponse(response: HttpResponse, method: string): HttpResponse {
  const length = method === 'OPTIONS' ? 0 : Buffer.byteLength(BODY);
  return {
    status: response.status,
    headers: [
      ...response.headers,
      ['Content-Length', String(length)],
      ['Connection', 'keep-alive'],
    ],
  };
}

/** The running servers. */
export interface TruthServers {
  pageOrigin: string;
  targetBase: string;
  arrivals: Map<string, Arrivals>;
  /** Scenarios the target answers for, by id; set after the ports are known. */
  scenarios: Map<string, Scenario>;
  close(): Promise<void>;
}

/** One parsed request head, or undefined while incomplete. */
interface RawRequest {
  method: string;
  target: string;
  headers: HeaderList;
  bodyLength: number;
  headLength: number;
}

/** Parses the head at the start of `data` (bytes as a latin1 string). */
function parseHead(data: string): RawRequest | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [requestLine = '', ...lines] = data.slice(0, end).split('\r\n');
  const [method = '', target = ''] = requestLine.split(' ');
  const headers: HeaderList = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const length = headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1];
  return { method, target, headers, bodyLength: Number(length ?? 0), headLength: end + 4 };
}

/** The response's bytes, as a latin1 string. */
function serialize(response: HttpResponse, body: string): string {
  const head = [`HTTP/1.1 ${response.status} ${http.STATUS_CODES[response.status] ?? 'Status'}`];
  for (const [name, value] of response.headers) head.push(`${name}: ${value}`);
  return head.join('\r\n') + '\r\n\r\n' + body;
}

function listen<S extends net.Server>(server: S): Promise<S> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Starts both servers on free ports. */
export async function startServers(): Promise<TruthServers> {
  const arrivals = new Map<string, Arrivals>();
  const scenarios = new Map<string, Scenario>();

  const page = await listen(
    http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>cors truth</title>');
    }),
  );

  const answer = (req: RawRequest): string => {
    const match = /^\/s\/(\d+)(?:\?|$)/.exec(req.target);
    const scenario = match?.[1] === undefined ? undefined : scenarios.get(match[1]);
    if (!scenario) return serialize({ status: 404, headers: [['Content-Length', '0']] }, '');
    const seen = arrivals.get(scenario.id) ?? {};
    const record = { method: req.method, headers: req.headers };
    // An OPTIONS that carries Access-Control-Request-Method is the preflight.
    const isPreflight =
      req.method === 'OPTIONS' &&
      req.headers.some(([n]) => n.toLowerCase() === 'access-control-request-method');
    if (isPreflight) {
      seen.preflight = record;
      seen.preflights = (seen.preflights ?? 0) + 1;
    } else seen.actual = record;
    arrivals.set(scenario.id, seen);
    const response = wireResponse(
      isPreflight ? scenario.preflight : scenario.actual,
      isPreflight ? 'OPTIONS' : req.method,
    );
    const bodyless =
      isPreflight || req.method === 'HEAD' || response.status === 204 || response.status === 304;
    return serialize(response, bodyless ? '' : BODY);
  };

  const sockets = new Set<net.Socket>();
  const target = await listen(
    net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      let data = '';
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1');
        for (
          let req = parseHead(data);
          req && data.length >= req.headLength + req.bodyLength;
          req = parseHead(data)
        ) {
          data = data.slice(req.headLength + req.bodyLength);
          socket.write(answer(req), 'latin1');
        }
      });
    }),
  );

  const port = (s: net.Server): number => (s.address() as AddressInfo).port;
  return {
    pageOrigin: `http://127.0.0.1:${port(page)}`,
    targetBase: `http://127.0.0.1:${port(target)}`,
    arrivals,
    scenarios,
    close: async () => {
      page.closeAllConnections();
      await new Promise<void>((resolve) => page.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    },
  };
}
