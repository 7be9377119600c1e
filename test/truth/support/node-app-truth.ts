/**
 * Shared by the truth suites of Node servers (Express + `cors`, hand-set headers): every fixture
 * `test/fixtures/truth/<suite>/<case>/app.{js,mjs}` is extracted by the real extractor, answered
 * by the model (python-truth's compareMatrix: preview() picks the policy covering each path) and
 * served by the real packages from node_modules (`node app.js`, PORT=0; the app prints
 * `PORT n`) on 127.0.0.1, and every exchange is compared line by line (see responseDifference).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeTree } from '../../../server/src/analysis/analyze';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { grammarFor } from '../../../server/src/parsing/languages';
import { defaultSettings } from '../../../server/src/analysis/settings';
import { parseText } from '../../../server/src/parsing/parser';
import type { Policy } from '../../../server/src/policy/types';
// The wire helpers are language-neutral; they live with the Python suites that came first.
import { compareMatrix, type Outcome } from './python-truth';
import { serveCases, startServer, type RealServer } from './real-server';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs `node app` with PORT=0 and resolves once it prints `PORT n`. */
const startApp = (app: string, timeoutMs?: number): Promise<RealServer> =>
  startServer(process.execPath, [app], app, timeoutMs, { PORT: '0' });

const COMMON_ORIGINS = ['https://app.example.com', 'https://evil.example', 'null'];

/** The app file of a case folder. */
const appFile = (dir: string): string =>
  ['app.js', 'app.mjs', 'app.cjs'].map((f) => path.join(dir, f)).find((f) => existsSync(f)) ??
  path.join(dir, 'app.js');

async function policiesOf(file: string): Promise<Policy[]> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText(grammarFor(file) ?? 'javascript', text);
  try {
    return (await analyzeTree(file, text, tree, new DiskReader(), defaultSettings)).policies;
  } finally {
    tree.delete();
  }
}

async function runCase(
  file: string,
  framework: Policy['framework'],
  port: number,
  extraOrigins: string[],
): Promise<Outcome> {
  const policies = (await policiesOf(file)).filter((p) => p.framework === framework);
  assert.ok(policies.length > 0, `the extractor found no ${framework} policy in ${file}`);
  return compareMatrix(port, policies, [...COMMON_ORIGINS, ...extraOrigins]);
}

/** Why the npm packages cannot run, or undefined when they can. */
function missingPackages(packages: string[]): string | undefined {
  for (const pkg of packages) {
    // Packages whose `exports` hide package.json (hono) are found on disk.
    if (existsSync(path.join(ROOT, 'node_modules', pkg, 'package.json'))) continue;
    try {
      require.resolve(`${pkg}/package.json`, { paths: [ROOT] });
    } catch {
      // Some packages (@apollo/server) export no package.json: their entry point shows they are there.
      if (!existsSync(path.join(ROOT, 'node_modules', pkg, 'package.json')))
        return `the npm package ${pkg} is not installed (run npm ci)`;
    }
  }
  return undefined;
}

/** Registers one truth suite over `test/fixtures/truth/<suite>/*`. */
export function nodeAppTruthSuite(options: {
  title: string;
  suite: string;
  framework: Policy['framework'];
  packages: string[];
  minCases: number;
  extraOrigins?: Record<string, string[]>;
  /** How long one app may take to print its port (Nest loads hundreds of modules). */
  startTimeoutMs?: number;
}): void {
  const fixtures = path.join(ROOT, 'test/fixtures/truth', options.suite);
  const cases = readdirSync(fixtures).sort();
  describe(options.title, () => {
    const missing = missingPackages(options.packages);
    const { servers, outcomes } = serveCases(
      cases,
      (c) => startApp(appFile(path.join(fixtures, c)), options.startTimeoutMs),
      { missing },
    );

    test(`${options.packages.join(' and ')} are installed`, () =>
      assert.equal(missing, undefined, missing));

    assert.ok(
      cases.length >= options.minCases,
      `expected at least ${options.minCases} truth fixtures in ${fixtures}`,
    );
    for (const name of cases) {
      test(
        name,
        { skip: missing ? 'packages missing (see the failing install test)' : false },
        async () => {
          const server = servers.get(name);
          assert.ok(server, `no server for ${name}`);
          const outcome = await runCase(
            appFile(path.join(fixtures, name)),
            options.framework,
            server.port,
            options.extraOrigins?.[name] ?? [],
          );
          outcomes.set(name, outcome);
          assert.equal(
            outcome.failures.length,
            0,
            `${outcome.failures.length} of ${outcome.exchanges} exchanges disagree:\n${outcome.failures.slice(0, 8).join('\n')}`,
          );
        },
      );
    }
  });
}
