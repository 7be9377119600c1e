/**
 * The sweep against real CORS libraries on 127.0.0.1, each set up strictly and carelessly: the
 * careless setup's attacker origins are found with their exact risk, the strict one is not
 * flagged, and the trusted origin passes on both. An agreement table is printed at the end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { probeReport, type Risk } from '../../../server/src/probe';
import { requireNginx, startExpress, startNginx } from './other-servers';
import { requirePython, startFlask, startStarlette, type RunningServer } from './python-servers';

const APP = 'https://app.example.com';

interface Setup {
  start(): Promise<RunningServer>;
  /** Every origin the sweep must grade above `none`, with its risk; all others must be `none`. */
  risky: Record<string, Risk>;
}

const reflectAll: Record<string, Risk> = {
  'https://cors-lens-attacker.test': 'high',
  null: 'high',
  'https://app.example.com.attacker.test': 'high',
  'https://attackerapp.example.com': 'high',
  'https://attackerexample.com': 'high',
  'https://appxexample.com': 'high',
  'https://app.examplexcom': 'high',
  'https://app.example.com_.attacker.test': 'high',
  'https://app.example.com-.attacker.test': 'high',
  'https://app.example.com!.attacker.test': 'high',
  'https://app.example.com~.attacker.test': 'high',
  'https://app.example.com`.attacker.test': 'high',
  'https://app.example.com}.attacker.test': 'high',
  'https://app.example.com%60.attacker.test': 'high',
  'https://attacker.app.example.com': 'medium',
  'http://app.example.com': 'medium',
};

const setups: Record<string, Setup> = {
  'express+cors strict': {
    start: () => startExpress({ origin: [APP], credentials: true }),
    risky: {},
  },
  'express+cors origin: true': {
    start: () => startExpress({ origin: true, credentials: true }),
    risky: reflectAll,
  },
  'flask-cors strict': {
    start: () => startFlask({ origins: [APP], supports_credentials: true }),
    risky: {},
  },
  // Flask-CORS 3.0 echoes the request's Origin for '*' when credentials are supported.
  'flask-cors * + credentials': {
    start: () => startFlask({ supports_credentials: true }),
    risky: reflectAll,
  },
  'starlette strict': {
    start: () => startStarlette({ allow_origins: [APP], allow_credentials: true }),
    risky: {},
  },
  // An unescaped dot: Starlette fullmatches, so only the one-character swap gets in.
  'starlette regex app.example.com': {
    start: () =>
      startStarlette({ allow_origin_regex: 'https://app.example.com', allow_credentials: true }),
    risky: { 'https://appxexample.com': 'high', 'https://app.examplexcom': 'high' },
  },
  'nginx exact =': {
    start: () =>
      startNginx(
        `      set $cors "";\n      if ($http_origin = "${APP}") { set $cors $http_origin; }\n      add_header Access-Control-Allow-Origin $cors always;\n      add_header Access-Control-Allow-Credentials true always;`,
      ),
    risky: {},
  },
  // Unanchored, dot unescaped: every trick around the trusted host gets in; unrelated origins do not.
  'nginx unanchored ~* example.com': {
    start: () =>
      startNginx(
        `      set $cors "";\n      if ($http_origin ~* "example.com") { set $cors $http_origin; }\n      add_header Access-Control-Allow-Origin $cors always;\n      add_header Access-Control-Allow-Credentials true always;`,
      ),
    risky: Object.fromEntries(
      Object.entries(reflectAll).filter(
        ([origin]) => origin !== 'null' && origin !== 'https://cors-lens-attacker.test',
      ),
    ),
  },
};

describe('sweep against real CORS libraries', () => {
  const servers = new Map<string, RunningServer>();
  const table: string[] = [];
  before(async () => {
    requirePython(
      ['flask_cors', 'starlette', 'uvicorn'],
      'python3-flask-cors python3-starlette python3-uvicorn',
    );
    requireNginx();
    await Promise.all(
      Object.entries(setups).map(async ([name, setup]) => servers.set(name, await setup.start())),
    );
  });
  after(() => {
    for (const server of servers.values()) server.stop();
    console.log(
      ['setup                              trusted  risky found/expected  agree', ...table].join(
        '\n',
      ),
    );
  });

  for (const [name, setup] of Object.entries(setups)) {
    test(name, async () => {
      const report = await probeReport(
        { url: `${servers.get(name)!.base}/api/items`, origin: APP, credentials: true },
        { sweep: true },
      );
      const found = Object.fromEntries(
        (report.sweep ?? []).filter((r) => r.risk !== 'none').map((r) => [r.origin, r.risk]),
      );
      const sorted = (o: object) => JSON.stringify(Object.entries(o).sort());
      const agree = sorted(found) === sorted(setup.risky) && report.verdict?.allowed === true;
      table.push(
        `${name.padEnd(35)}${report.verdict?.allowed ? 'allowed' : 'BLOCKED'}  ${String(Object.keys(found).length).padStart(2)}/${String(Object.keys(setup.risky).length).padEnd(18)}${agree ? 'yes' : 'NO'}`,
      );
      assert.equal(report.verdict?.allowed, true, 'the trusted origin passes');
      assert.deepEqual(found, setup.risky);
    });
  }
});
