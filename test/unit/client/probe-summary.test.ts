/** The probe report's summary line and its sweep links grouped by cause. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupLinks, probeSummary } from '../../../client/src/probe-summary';
import type { ProbeAnswer, ProbeSourceLink } from '../../../server/src/lsp/probe-protocol';
import type { SweepRow } from '../../../server/src/probe';

const at = (message: string, line = 11): ProbeSourceLink => ({
  message,
  uri: 'file:///w/settings.py',
  line,
  character: 0,
  label: `settings.py:${line + 1}`,
});
const row = (origin: string, risk: SweepRow['risk']): SweepRow => ({
  origin,
  kind: 'arbitrary',
  description: 'an arbitrary origin',
  status: 200,
  allowOrigin: origin,
  allowCredentials: 'true',
  readableWithCredentials: risk === 'high',
  readableWithoutCredentials: true,
  risk,
});
const because = 'gets in because CORS_ALLOW_ALL_ORIGINS allows every origin';
const origins = Array.from({ length: 14 }, (_, i) => `https://attacker${i}.test`);
const answer = {
  verdict: { allowed: true, stage: 'actual', reasons: [], warnings: [], readableHeaders: [] },
  sweep: [...origins.map((o) => row(o, 'high')), row('http://app.example.com', 'medium')],
  links: [
    at('Allowed: CORS_ALLOW_ALL_ORIGINS allows every origin'),
    ...origins.map((o) => at(`Sweep: ${o} (high risk) ${because}`)),
    at(`Sweep: http://app.example.com (medium risk) ${because}`),
  ],
} as unknown as ProbeAnswer;

test('one line: the verdict for your origin and what the sweep found', () => {
  assert.deepEqual(probeSummary(answer), {
    text: 'Allowed for your origin — 14 attacker origins can read credentialed responses: high risk (1 more at medium risk)',
    level: 'high',
  });
  assert.deepEqual(probeSummary({ ...answer, sweep: undefined }), {
    text: 'Allowed for your origin',
    level: 'allowed',
  });
  assert.equal(
    probeSummary({ ...answer, sweep: [row('https://x.test', 'none')] }).text,
    'Allowed for your origin — no attacker origin of the sweep can read responses',
  );
});

test('sweep links are grouped by line and cause; the verdict keeps its own', () => {
  const { own, groups, byOrigin } = groupLinks(answer.links);
  assert.equal(own.length, 1);
  assert.equal(groups.length, 1);
  assert.equal(groups[0].cause, because);
  assert.equal(groups[0].origins.length, 15);
  assert.equal(byOrigin.get('https://attacker3.test'), groups[0]);
});
