/**
 * Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with a fresh
 * profile, and a batch runner that performs many `fetch()` calls inside one page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { HeaderList } from '../../../server/src/fetch';

/** Where CI installs Chromium (test/install-system.sh). */
export const CHROMIUM_PATH = process.env.CORS_LENS_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A launched browser with one page and every console message it printed. */
export interface TruthBrowser {
  page: Page;
  version: string;
  console: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh user-data-dir; throws a clear error when it is not installed.
 * `recordHar`: write a HAR of every request there when the browser closes.
 */
export async function launchChromium(
  options: { recordHar?: { path: string } } = {},
): Promise<TruthBrowser & { context: BrowserContext }> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. The browser truth test needs it: ` +
        'install Debian\'s "chromium" package (test/install-system.sh does), or set CORS_LENS_CHROMIUM.',
    );
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: ARGS,
    headless: true,
    ...(options.recordHar ? { recordHar: options.recordHar } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const messages: string[] = [];
  page.on('console', (m) => messages.push(m.text()));
  const version = context.browser()?.version() ?? 'unknown';
  return {
    context,
    page,
    version,
    console: messages,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** One `fetch()` to run in the page. */
export interface FetchCall {
  id: string;
  url: string;
  method: string;
  headers: HeaderList;
  credentials: 'omit' | 'same-origin' | 'include';
  body?: string;
  /** Fetch again right after the first response, to exercise the preflight cache. */
  repeat?: boolean;
}

/** What script saw for one call. */
export interface FetchOutcome {
  id: string;
  /** fetch() resolved. */
  ok: boolean;
  /** The rejection message when it did not. */
  error?: string;
  /** `[...response.headers.keys()]` when it resolved. */
  readableHeaders: string[];
  /** For a repeated call: whether the second fetch() resolved too. */
  repeatOk?: boolean;
}

/**
 * The page-side runner, kept as plain JavaScript text: a function passed to `page.evaluate` would
 * be transformed by tsx (esbuild's `__name` helper), which does not exist in the page.
 * NOTE: https://github.com/evanw/esbuild/issues/2605
 */
const PAGE_RUNNER = `async ({ calls, concurrency }) => {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const call = calls[next++];
      try {
        const init = { method: call.method, headers: call.headers, credentials: call.credentials };
        if (call.body !== undefined) init.body = call.body;
        const response = await fetch(call.url, init);
        await response.text();
        const result = { id: call.id, ok: true, readableHeaders: [...response.headers.keys()] };
        if (call.repeat) result.repeatOk = await fetch(call.url, init).then((r) => r.text()).then(() => true, () => false);
        results.push(result);
      } catch (e) {
        results.push({ id: call.id, ok: false, error: String(e), readableHeaders: [] });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}`;

/** Runs `calls` in the page, `concurrency` at a time, and returns what script saw for each. */
export async function runFetches(
  page: Page,
  calls: FetchCall[],
  concurrency = 12,
): Promise<FetchOutcome[]> {
  const results: unknown = await page.evaluate(
    `(${PAGE_RUNNER})(${JSON.stringify({ calls, concurrency })})`,
  );
  return results as FetchOutcome[];
}
