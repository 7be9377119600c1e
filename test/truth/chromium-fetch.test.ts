/**
 * Browser truth: every scenario of the matrix (test/truth/chromium/scenarios.ts) runs as a real
 * cross-origin fetch() in headless Chromium, and the evaluator in server/src/fetch must agree with
 * what the browser did on every dimension: whether a preflight went out and what it asked, whether
 * the actual request went out and with which headers, whether script saw the response, which
 * response headers script could read, and the console message. A disagreement fails the test:
 * the browser is right. No Chromium is a failure too (CI installs it), never a skip.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  launchChromium,
  runFetches,
  type FetchCall,
  type FetchOutcome,
  type TruthBrowser,
} from './chromium/browser';
import { compare, DIMENSIONS, type Check } from './chromium/compare';
import { generateScenarios, type Scenario } from './chromium/scenarios';
import { startServers, type TruthServers } from './chromium/servers';

interface Row {
  scenario: Scenario;
  checks: Check[];
}

let browser: TruthBrowser | undefined;
let servers: TruthServers | undefined;
let rows: Row[] = [];

function toCall(s: Scenario): FetchCall {
  const hasContentType = s.request.headers.some(([n]) => n.toLowerCase() === 'content-type');
  const bodyless = ['GET', 'HEAD'].includes(s.request.method.toUpperCase());
  return {
    id: s.id,
    url: s.request.url,
    method: s.request.method,
    headers: s.request.headers,
    credentials: s.request.credentials,
    ...(hasContentType && !bodyless ? { body: 'x' } : {}),
    ...(s.repeat ? { repeat: true } : {}),
  };
}

describe('Chromium truth: WHATWG Fetch CORS evaluator', () => {
  before(async () => {
    const started = Date.now();
    browser = await launchChromium();
    servers = await startServers();
    await browser.page.goto(`${servers.pageOrigin}/`);
    const scenarios = generateScenarios(servers.pageOrigin, servers.targetBase);
    for (const s of scenarios) servers.scenarios.set(s.id, s);

    const outcomes = new Map<string, FetchOutcome>();
    for (const o of await runFetches(browser.page, scenarios.map(toCall))) outcomes.set(o.id, o);
    // Console messages arrive over the DevTools protocol after the promises settle.
    await new Promise((r) => setTimeout(r, 500));

    const consoleMessages = browser.console;
    rows = scenarios.map((scenario) => ({
      scenario,
      checks: compare(
        scenario,
        servers?.arrivals.get(scenario.id) ?? {},
        outcomes.get(scenario.id),
        consoleMessages,
      ),
    }));
    printTable(browser.version, rows, Date.now() - started);
  });

  after(async () => {
    await browser?.close();
    await servers?.close();
  });

  it('runs at least 300 scenarios', () => {
    assert.ok(rows.length >= 300, `only ${rows.length} scenarios`);
  });

  for (const dimension of DIMENSIONS) {
    it(`agrees with Chromium on: ${dimension}`, () => {
      const checked = rows.flatMap((r) =>
        r.checks.filter((c) => c.dimension === dimension).map((c) => ({ r, c })),
      );
      assert.ok(checked.length > 0, `no scenario exercised ${dimension}`);
      const wrong = checked.filter(({ c }) => !c.agree);
      const report = wrong
        .slice(0, 15)
        .map(
          ({ r, c }) =>
            `#${r.scenario.id} ${r.scenario.label}\n  predicted: ${JSON.stringify(c.expected)}\n  chromium:  ${JSON.stringify(c.actual)}`,
        )
        .join('\n');
      assert.equal(
        wrong.length,
        0,
        `${wrong.length} of ${checked.length} disagree on ${dimension}:\n${report}`,
      );
    });
  }
});

function printTable(version: string, rows: Row[], ms: number): void {
  const lines = [`Chromium ${version}: ${rows.length} scenarios in ${(ms / 1000).toFixed(1)} s`];
  lines.push(
    `${'dimension'.padEnd(28)}${'checked'.padStart(8)}${'agree'.padStart(8)}${'%'.padStart(8)}`,
  );
  for (const d of DIMENSIONS) {
    const cs = rows.flatMap((r) => r.checks.filter((c) => c.dimension === d));
    const agree = cs.filter((c) => c.agree).length;
    lines.push(
      `${d.padEnd(28)}${String(cs.length).padStart(8)}${String(agree).padStart(8)}${pct(agree, cs.length).padStart(8)}`,
    );
  }
  const groups = [...new Set(rows.map((r) => r.scenario.group))];
  lines.push(`${'group'.padEnd(28)}${'rows'.padStart(8)}${'agree'.padStart(8)}${'%'.padStart(8)}`);
  for (const g of groups) {
    const rs = rows.filter((r) => r.scenario.group === g);
    const agree = rs.filter((r) => r.checks.every((c) => c.agree)).length;
    lines.push(
      `${g.padEnd(28)}${String(rs.length).padStart(8)}${String(agree).padStart(8)}${pct(agree, rs.length).padStart(8)}`,
    );
  }
  const all = rows.filter((r) => r.checks.every((c) => c.agree)).length;
  lines.push(
    `${'all scenarios'.padEnd(28)}${String(rows.length).padStart(8)}${String(all).padStart(8)}${pct(all, rows.length).padStart(8)}`,
  );
  console.log(lines.join('\n'));
}

function pct(a: number, n: number): string {
  return n === 0 ? '-' : ((100 * a) / n).toFixed(1);
}
