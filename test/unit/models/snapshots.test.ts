/**
 * Every framework's model against the extractor fixtures: for each
 * `test/fixtures/extract/<framework-id>/<case>/`, the responses the file's policies get for a small
 * fixed matrix of browser requests, through `preview()` and the policy's model as the CLI's
 * preview runs them, must equal `responses.snap` (UPDATE_SNAPSHOTS=1 rewrites it). The truth
 * suites (test/truth/) prove each model against its real library; these snapshots show what that
 * means for real-shaped setups, and catch a model or extractor change that alters an answer.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { coveredPath } from '../../../server/src/checks/support/attacker';
import { originMatcher } from '../../../server/src/base/regex';
import type { CorsRequest, HeaderList } from '../../../server/src/fetch/types';
import { modelFor } from '../../../server/src/frameworks';
import type { Policy } from '../../../server/src/policy/types';
import { modelLabel } from '../../../server/src/replay/library-model';
import { preview } from '../../../server/src/replay/replay';
import { withSessionCookie } from '../../../server/src/replay/session-cookie';
import {
  extractCase,
  extractCases,
  extractRoot,
  type ExtractCase,
} from '../../support/extract-fixture';

const EVIL = 'https://evil.example';

/** The origins asked: one the policy allows (if it names one), an attacker's, and `null`. */
function originsFor(c: ExtractCase, policy: Policy): string[] {
  const allowed =
    c.allowedOrigin ?? policy.origins.exact.find((e) => /^https?:\/\/[^*]+$/.test(e.value))?.value;
  return [...(allowed && allowed !== EVIL ? [allowed] : []), EVIL, 'null'];
}

const REQUESTS: { label: string; method: string; headers: HeaderList }[] = [
  { label: 'GET', method: 'GET', headers: [] },
  {
    label: 'PUT json + X-Custom',
    method: 'PUT',
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Custom', '1'],
    ],
  },
];

/** The 1-based line of an offset in a file. */
const lineOf = (file: string, offset: number) =>
  readFileSync(file, 'utf8').slice(0, offset).split('\n').length;

/** The case's first sample path the policy's path filter covers (as the library matches it), else the checks' pick. */
function pathFor(c: ExtractCase, policy: Policy): string {
  if (policy.samplePath) return policy.samplePath;
  const filter =
    typeof policy.urlRegex === 'string'
      ? originMatcher(policy.urlRegex, 'python-match')
      : undefined;
  return c.samplePaths.find((p) => filter?.ok && filter.test(p)) ?? coveredPath(policy);
}

const headerLines = (headers: HeaderList) =>
  headers.map(([name, value]) => `    ${name}: ${value}`);

/** One policy's answers to the matrix, each as the preflight and the actual response's lines. */
function renderResponses(c: ExtractCase, policy: Policy, index: number, count: number): string {
  const model = modelFor(policy);
  const at = policy.at
    ? ` at ${path.relative(c.dir, policy.at.file) || path.basename(policy.at.file)}:${lineOf(policy.at.file, policy.at.start)}`
    : '';
  const samplePath = pathFor(c, policy);
  const out = [
    `=== policy ${index + 1}/${count}: ${policy.framework}${at}, model ${modelLabel(model, policy)}, path ${samplePath}`,
  ];
  for (const origin of originsFor(c, policy)) {
    for (const request of REQUESTS) {
      for (const credentials of ['omit', 'include'] as const) {
        const req: CorsRequest = {
          url: `http://api.test${samplePath}`,
          origin,
          method: request.method,
          headers: request.headers,
          credentials,
        };
        // A credentialed request from a signed-in user carries their cookie, as the CLI's preview assumes.
        const result = preview(
          policy,
          credentials === 'include' ? withSessionCookie(model) : model,
          req,
        );
        out.push(
          `--- ${request.label} from ${origin}${credentials === 'include' ? ', credentials' : ''}`,
        );
        if (result.preflight.needed)
          out.push(
            `  preflight: ${result.preflight.status}`,
            ...headerLines(result.preflight.headers),
          );
        out.push(
          result.actual ? `  actual: ${result.actual.status}` : '  actual: not sent',
          ...(result.actual ? headerLines(result.actual.headers) : []),
        );
        out.push(
          `  browser: ${result.verdict.allowed ? 'allowed' : `blocked at ${result.verdict.stage}: ${result.verdict.reasons[0] ?? ''}`}`,
        );
      }
    }
  }
  return out.join('\n');
}

describe('model snapshots over the extractor fixtures', () => {
  for (const c of extractCases()) {
    it(`${c.framework}/${c.name}: responses match responses.snap`, async () => {
      const { policies } = await extractCase(c);
      const snapshot = policies.length
        ? policies.map((p, i) => renderResponses(c, p, i, policies.length)).join('\n\n') + '\n'
        : 'no policies\n';
      const snap = path.join(c.dir, 'responses.snap');
      if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(snap, snapshot);
      assert.ok(
        existsSync(snap),
        `missing ${path.relative(extractRoot, snap)} (run with UPDATE_SNAPSHOTS=1 and review it)`,
      );
      assert.equal(snapshot, readFileSync(snap, 'utf8'));
    });
  }
});
