/**
 * Serves a fetch handler (a Worker's `export default { fetch }`, a service worker's `fetch`
 * listener, `Deno.serve`, `Bun.serve`) on node:http at 127.0.0.1 with Node's own fetch API
 * (undici's Request, Response, Headers), and prints `PORT n`. workerd, Deno and Bun cannot run
 * here; what they add of their own is no CORS header, so the handler's Response is the truth.
 * A handler that throws or returns no Response is answered 500, as the platforms do.
 */
import { createServer } from 'node:http';
import { Readable } from 'node:stream';

export async function serveFetch(moduleUrl) {
  let handler;
  // The platforms' registration calls, caught before the module runs them.
  globalThis.addEventListener = (type, listener) => {
    if (type !== 'fetch') return;
    handler = (request) =>
      new Promise((resolve, reject) => {
        try {
          listener({
            request,
            respondWith: (answer) => Promise.resolve(answer).then(resolve, reject),
          });
        } catch (error) {
          reject(error);
        }
      });
  };
  globalThis.Deno = {
    serve: (...args) =>
      (handler =
        args.find((a) => typeof a === 'function') ?? args.find((a) => a?.handler)?.handler),
  };
  globalThis.Bun = { serve: (options) => (handler = options.fetch) };
  const module = await import(moduleUrl);
  handler ??= module.default?.fetch?.bind(module.default);
  if (typeof handler !== 'function') throw new Error(`no fetch handler in ${moduleUrl}`);

  const server = createServer(async (req, res) => {
    try {
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: 'half',
      });
      const response = await handler(request, {}, { waitUntil() {}, passThroughOnException() {} });
      if (!(response instanceof Response)) throw new Error('the handler returned no Response');
      res.statusCode = response.status;
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
}
