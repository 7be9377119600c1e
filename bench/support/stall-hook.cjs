// Preloaded into the language server by bench/lsp-responsive.ts (node --require): appends to
// CORS_LENS_STALL_FILE, one JSON line each, every time the LSP thread's event loop was blocked for
// more than 20 ms (a 5 ms timer that fired late), so the bench can tell how long a publish held it.
const { isMainThread } = require('node:worker_threads');
const { appendFileSync } = require('node:fs');

if (isMainThread && process.env.CORS_LENS_STALL_FILE) {
  const tick = 5;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const blocked = now - last - tick;
    last = now;
    if (blocked > 20)
      appendFileSync(
        process.env.CORS_LENS_STALL_FILE,
        `${JSON.stringify({ at: now, ms: blocked })}\n`,
      );
  }, tick).unref();
}
