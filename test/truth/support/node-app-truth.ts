/**
 * Shared by the truth suites of Node servers (Express + `cors`, hand-set headers): every fixture
 * `test/fixtures/truth/<suite>/<case>/app.{js,mjs}` is extracted by the real extractor, answered
 * by the model (python-truth's compareMatrix: preview() picks the policy covering each path) and
 * served by the real packages from node_modules (`node app.js`, PORT=0; the app prints
 * `PORT n`) on 127.0.0.1, and every exchange is compared line by line (see responseDifference).
 * A suite for one Express major serves each case as a project pinned to it (express-project.ts),
 * and may also ask the model with the other major, to show that the exchanges tell them apart.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeTree } from '../../../server/src/analysis/analyze';
import { DiskReader } from '../../../server/src/base/disk-reader';
import type { SourceReader } from '../../../server/src/base/source-reader';
import { grammarFor } from '../../../server/src/parsing/languages';
import { defaultSettings } from '../../../server/src/analysis/settings';
import { parseText } from '../../../server/src/parsing/parser';
import type { Policy } from '../../../server/src/policy/types';
// The wire helpers are language-neutral; they live with the Python suites that came first.
import { compareMatrix, rawRequests, type Outcome } from './python-truth';
import type { HttpRequest } from '../../../server/src/fetch';
import {
  agreementTable,
  assertAgreement,
  serveCases,
  startServer,
  type RealServer,
} from './real-server';
import {
  EXPRESS_PACKAGES,
  expressProject,
  pinnedManifest,
  type ExpressProject,
} from './express-project';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs `node app` with PORT=0 and resolves once it prints `PORT n`. */
const startApp = (app: string, timeoutMs?: number): Promise<RealServer> =>
  startServer(process.execPath, [app], app, timeoutMs, { PORT: '0' });

const COMMON_ORIGINS = ['https://app.example.com', 'https://evil.example', 'null'];

/** The app file of a case folder. */
const appFile = (dir: string): string =>
  ['app.js', 'app.mjs', 'app.cjs'].map((f) => path.join(dir, f)).find((f) => existsSync(f)) ??
  path.join(dir, 'app.js');

async function policiesOf(file: string, reader: SourceReader): Promise<Policy[]> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText(grammarFor(file) ?? 'javascript', text);
  try {
    return (await analyzeTree(file, text, tree, reader, defaultSettings)).policies;
  } finally {
    tree.delete();
  }
}

/** The disk, except that the app's package.json pins Express to `major`. */
function pinnedReader(app: string, major: number): SourceReader {
  const disk = new DiskReader();
  const manifest = path.join(path.dirname(app), 'package.json');
  const pinned = pinnedManifest(major);
  return { read: (file) => (file === manifest ? pinned : disk.read(file)) };
}

async function runCase(
  file: string,
  framework: Policy['framework'],
  port: number,
  extraOrigins: string[],
  extraRaw?: (origin: string) => HttpRequest[],
  reader: SourceReader = new DiskReader(),
): Promise<Outcome> {
  const policies = (await policiesOf(file, reader)).filter((p) => p.framework === framework);
  assert.ok(policies.length > 0, `the extractor found no ${framework} policy in ${file}`);
  return compareMatrix(port, policies, [...COMMON_ORIGINS, ...extraOrigins], undefined, {
    raw: extraRaw && ((origin) => [...rawRequests(origin), ...extraRaw(origin)]),
  });
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
  /** Requests sent as they are to every case, after the shared raw ones (a router's own edges). */
  extraRaw?: (origin: string) => HttpRequest[];
  /**
   * The file of a case the extractor reads, when it is not the app the suite runs (a fetch
   * handler's module, which a shared adapter serves).
   */
  modelFile?: string;
  /** How long one app may take to print its port (Nest loads hundreds of modules). */
  startTimeoutMs?: number;
  /** Serve every case as a project of its own that runs one Express major (express-project.ts). */
  express?: {
    /** The major a case's project pins when the case has no package.json. */
    major: number;
    /** A fixture folder of cases for this major only (each with a package.json that says so). */
    only?: string;
    /** A major the model is also told, wrongly: some exchanges must then disagree. */
    control?: number;
  };
}): void {
  const truth = path.join(ROOT, 'test/fixtures/truth');
  const folders = new Map(
    [options.suite, options.express?.only]
      .filter((s): s is string => s !== undefined)
      .flatMap((suite) =>
        readdirSync(path.join(truth, suite))
          .sort()
          .map((c) => [suite === options.suite ? c : `${suite}/${c}`, path.join(truth, suite, c)]),
      ),
  );
  const cases = [...folders.keys()];
  const express = options.express;
  describe(options.title, () => {
    const missing = missingPackages(options.packages);
    const projects = new Map<string, ExpressProject>();
    /** The app a case runs: in its fixture folder, or in its project when the suite pins a major. */
    const appOf = (name: string): string => projects.get(name)?.app ?? appFile(folders.get(name)!);
    const { servers, outcomes } = serveCases(
      cases,
      (c) => {
        if (express) {
          const linked = options.packages.filter(
            (p) => !Object.values(EXPRESS_PACKAGES).includes(p),
          );
          const dir = folders.get(c)!;
          projects.set(c, expressProject(dir, path.basename(appFile(dir)), express.major, linked));
        }
        return startApp(appOf(c), options.startTimeoutMs);
      },
      { missing },
    );
    const controls = new Map<string, Outcome>();
    let controlMs = 0;
    after(() => {
      for (const project of projects.values()) project.remove();
    });

    test(`${options.packages.join(' and ')} are installed`, () =>
      assert.equal(missing, undefined, missing));

    assert.ok(
      cases.length >= options.minCases,
      `expected at least ${options.minCases} truth fixtures in ${[...new Set([...folders.values()].map((d) => path.dirname(d)))].join(', ')}`,
    );
    for (const name of cases) {
      test(
        name,
        { skip: missing ? 'packages missing (see the failing install test)' : false },
        async () => {
          const server = servers.get(name);
          assert.ok(server, `no server for ${name}`);
          const app = appOf(name);
          const origins = options.extraOrigins?.[name] ?? [];
          if (express)
            assert.equal(projects.get(name)?.major, express.major, `${name} runs another major`);
          const modelled = options.modelFile
            ? path.join(path.dirname(app), options.modelFile)
            : app;
          const outcome = await runCase(
            modelled,
            options.framework,
            server.port,
            origins,
            options.extraRaw,
          );
          outcomes.set(name, outcome);
          if (express?.control !== undefined) {
            const begun = Date.now();
            const reader = pinnedReader(app, express.control);
            controls.set(
              name,
              await runCase(
                modelled,
                options.framework,
                server.port,
                origins,
                options.extraRaw,
                reader,
              ),
            );
            controlMs += Date.now() - begun;
          }
          assertAgreement(outcome);
        },
      );
    }

    const control = express?.control;
    if (express && control !== undefined)
      test(
        `the model told Express ${control} disagrees with real Express ${express.major}`,
        { skip: missing ? 'packages missing (see the failing install test)' : false },
        () => {
          const wrong = [...controls.values()].reduce((n, o) => n + o.failures.length, 0);
          console.log(
            `\nthe model told Express ${control}, against real Express ${express.major}\n${agreementTable(controls, controlMs / 1000)}`,
          );
          assert.ok(wrong > 0, 'no exchange tells the majors apart: the suite could not fail');
        },
      );
  });
}
