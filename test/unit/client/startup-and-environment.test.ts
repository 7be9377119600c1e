/**
 * The pure parts of the status bar's environment item and of the first-squiggle breakdown
 * (client/src/environment-text.ts, client/src/startup-text.ts): the words, the choices, and the
 * output lines the e2e reads back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  environmentChoices,
  environmentText,
  environmentTooltip,
} from '../../../client/src/environment-text';
import { breakdown, markLine, readMarks } from '../../../client/src/startup-text';

describe('environment item', () => {
  test('names the environment, or the code as written', () => {
    assert.equal(environmentText('production'), '$(server-environment) CORS Lens env: production');
    assert.equal(environmentText(''), '$(server-environment) CORS Lens env: as written');
    assert.match(environmentTooltip(''), /every environment variable unset/);
    assert.match(environmentTooltip('staging'), /in staging: its env files/);
  });

  test("offers the server's environments, else the defaults and the user's, once each", () => {
    assert.deepEqual(environmentChoices(['development', 'production', 'staging'], ['qa']), [
      'development',
      'production',
      'staging',
    ]);
    assert.deepEqual(environmentChoices(undefined, ['staging', 'production']), [
      'development',
      'production',
      'staging',
    ]);
    assert.deepEqual(environmentChoices([], []), ['development', 'production']);
  });
});

describe('first-squiggle breakdown', () => {
  test('the lines the output shows are read back as they were written', () => {
    const marks = [
      { phase: 'activate', at: 1_000 },
      { phase: 'grammars-loaded', at: 1_900, detail: 'python, javascript' },
      { phase: 'server-ready', at: 1_700 },
      { phase: 'first-diagnostics', at: 2_300, detail: 'web/server.js' },
    ];
    const output = ['[Info] something else', ...marks.map(markLine), 'more'].join('\n');
    assert.deepEqual(readMarks(output), marks);
  });

  test('each phase from the first, and the step from the one before, in time order', () => {
    assert.equal(
      breakdown([
        { phase: 'activate', at: 1_000 },
        { phase: 'first-diagnostics', at: 2_300 },
        { phase: 'server-ready', at: 1_700 },
      ]),
      'activate +0 ms · server-ready +700 ms (+700) · first-diagnostics +1300 ms (+600)',
    );
    assert.equal(breakdown([]), '');
  });
});
