/** `check`'s text output quotes analysed files: their control characters are shown, never sent to the terminal raw. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cli, scratch } from './cli-helpers';

describe('cors-lens check: text output is terminal-safe', () => {
  test('an escape sequence inside an origin is printed as \\x1b', () => {
    const dir = scratch({
      'settings.py': {
        text: 'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com\x1b]0;x\x07\x1b[2J"]\n',
      },
    });
    const run = cli(['check', 'settings.py'], dir);
    assert.match(run.stdout, /\[malformed-origin\]/);
    assert.doesNotMatch(run.stdout + run.stderr, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    assert.match(run.stdout, /\\x1b\]0;x\\x07\\x1b\[2J/);
  });
});
