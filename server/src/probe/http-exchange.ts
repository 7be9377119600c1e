/**
 * One HTTP request to the probed server with node:http/https: no agent (no pooled sockets, no
 * cookies), a deadline for the whole exchange, a bounded body read, redirects reported and never
 * followed. Every failure becomes a {@link ProbeError} with a sentence a user can act on.
 */
import http from 'node:http';
import https from 'node:https';
import type { HeaderList, HttpRequest } from '../fetch/types';
import {
  MAX_RESPONSE_HEADERS,
  type Exchange,
  type ProbeError,
  type ProbeErrorKind,
  type ProbeLimits,
} from './types';

/** Bytes of response headers read; a larger header block fails as `not-http` with its own sentence. */
const MAX_HEADER_BYTES = 64 * 1024;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Node's header object, which keeps repeated request headers as arrays (sent as separate lines). */
function outgoingHeaders(headers: HeaderList): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of headers) {
    const prev = out[name];
    out[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}

/** `res.rawHeaders` as `[name, value]` pairs: wire order, wire case, duplicates kept. */
function rawHeaderList(raw: string[]): HeaderList {
  const out: HeaderList = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

/** What a node error code means for the user. */
function kindOf(error: NodeJS.ErrnoException): ProbeErrorKind {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code.startsWith('HPE_')) return 'not-http';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  if (code === 'EPROTO' || /CERT|SSL|TLS|SELF_SIGNED|VERIFY/i.test(code)) return 'tls';
  return 'other';
}

/** A sentence for each kind of failure, naming the host and port asked. */
export function describeError(
  kind: ProbeErrorKind,
  target: URL,
  detail: string,
  timeoutMs: number,
): string {
  const where = target.host;
  switch (kind) {
    case 'refused':
      return `Connection refused by ${where}: is the dev server running on that port?`;
    case 'dns':
      return `Cannot resolve the host ${target.hostname}.`;
    case 'not-http':
      if (/overflow/i.test(detail))
        return `${where} answered with more than ${MAX_HEADER_BYTES / 1024} KiB of response headers, more than the probe reads.`;
      return `${where} answered, but not with HTTP (${detail}). Is this the right port and scheme?`;
    case 'reset':
      return `${where} closed the connection without answering.`;
    case 'tls':
      if (/wrong version number|packet length too long/.test(detail))
        return `${where} does not speak TLS: is it a plain http:// server?`;
      return `TLS failed with ${where}: ${detail}.`;
    case 'timeout':
      return `No answer from ${where} within ${timeoutMs / 1000} s.`;
    case 'aborted':
      return 'The probe was cancelled.';
    case 'other':
      return `Cannot reach ${where}: ${detail}.`;
  }
}

/**
 * Sends `req` to `target`'s scheme, host and port (the path comes from `req`) and reads the
 * response: status, raw header lines, and up to `limits.maxBodyBytes` of body, then closes the
 * socket. Resolves with the exchange or the error; never rejects.
 */
export function sendExchange(
  target: URL,
  req: HttpRequest,
  limits: ProbeLimits,
  signal?: AbortSignal,
): Promise<Exchange | { error: ProbeError }> {
  const client = target.protocol === 'https:' ? https : http;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Exchange | { error: ProbeError }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      request?.destroy();
      resolve(result);
    };
    const fail = (kind: ProbeErrorKind, detail = '') =>
      finish({ error: { kind, message: describeError(kind, target, detail, limits.timeoutMs) } });
    let request: http.ClientRequest | undefined;
    const maxHeaders = limits.maxHeaders ?? MAX_RESPONSE_HEADERS;
    const options: https.RequestOptions = {
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || undefined,
      method: req.method,
      path: req.path,
      headers: outgoingHeaders(req.headers),
      agent: false,
      // Node's default (16 KiB) bounds header size; an endless header block is "not HTTP".
      maxHeaderSize: MAX_HEADER_BYTES,
    };
    // Until the headers arrive a timeout is a failure; after, it only cuts the body short.
    let onTimeout = () => fail('timeout');
    const onResponse = (res: http.IncomingMessage) => {
      const headersMs = elapsed();
      const headers = rawHeaderList(res.rawHeaders);
      // Node keeps about `maxHeadersCount` lines (it hands them over in batches) and drops the rest
      // silently: reaching the limit is reported, so a CORS header after it is not missed unawares.
      const headersTruncatedAt = headers.length >= maxHeaders ? headers.length : undefined;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      let redirect: Exchange['redirect'];
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        const resolved = safeResolve(location, target);
        redirect = {
          location: resolved ?? location,
          sameOrigin: resolved !== undefined && new URL(resolved).origin === target.origin,
        };
      }
      let bodyBytes = 0;
      const done = (bodyTruncated: boolean) =>
        finish({
          sent: req,
          status,
          statusText: res.statusMessage ?? '',
          headers,
          bodyBytes,
          bodyTruncated,
          redirect,
          timing: { headersMs, totalMs: elapsed() },
          ...(headersTruncatedAt === undefined ? {} : { headersTruncatedAt }),
        });
      onTimeout = () => done(true);
      res.on('data', (chunk: Buffer) => {
        bodyBytes += chunk.length;
        if (bodyBytes > limits.maxBodyBytes) {
          bodyBytes = limits.maxBodyBytes;
          done(true);
        }
      });
      res.on('end', () => done(false));
      // A body cut short after the headers still leaves a usable CORS answer.
      res.on('error', () => done(true));
      res.on('aborted', () => done(true));
    };
    const timer = setTimeout(() => onTimeout(), limits.timeoutMs);
    const onAbort = () => fail('aborted');
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    try {
      request = client.request(options, onResponse);
      request.maxHeadersCount = maxHeaders;
    } catch (error) {
      // Node refuses a header value with control characters before anything is sent.
      fail(
        'other',
        `the request cannot be sent (${error instanceof Error ? error.message : String(error)})`,
      );
      return;
    }
    // OpenSSL messages carry a source path and a newline: keep the first line's words.
    request.on('error', (error: NodeJS.ErrnoException) =>
      fail(kindOf(error), error.message.split('\n')[0].replace(/:\.\.\/deps\/.*$/, '')),
    );
    request.end();
  });
}

function safeResolve(location: string, base: URL): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}
