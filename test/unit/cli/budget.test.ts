/** `check --budget-ms`: a file over its budget is a finding, never a silent miss. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cli, scratch } from './cli-helpers';

const settings =
  'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOW_ALL_ORIGINS = True\n';

describe('cors-lens check --budget-ms', () => {
  test('a file over budget is reported as such, and its setup is not claimed as checked', () => {
    const dir = scratch({ 'settings.py': { text: settings } });
    const run = cli(['check', 'settings.py', '--budget-ms', '0'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^settings\.py:1:1 {2}warning {2}CORS Lens stopped reading this file after its 0 ms budget .*\[analysis-over-budget\]\n1 problem \(1 warning\); 1 file checked, 0 with a CORS setup modelled\.\n$/,
    );
  });

  test('the default budget reads an ordinary settings file', () => {
    const dir = scratch({ 'settings.py': { text: settings } });
    const run = cli(['check', 'settings.py'], dir);
    assert.doesNotMatch(run.stdout, /analysis-over-budget/);
    assert.match(run.stdout, /\[allow-all-origins\]/);
  });

  test('a budget that is not a number is a usage error', () => {
    const run = cli(['check', '.', '--budget-ms', 'soon'], scratch({}));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--budget-ms must be a number/);
  });
});
