/** The prompts' typed values and the status bar's words (client/src, pure parts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { originProblem, pickItems } from '../../../client/src/prompt-values';
import { statusText } from '../../../client/src/status-text';

const origins = [{ value: 'http://localhost:3000', description: 'allowlisted' }];

describe('typed origins', () => {
  test('scheme://host[:port] and null are origins; a path, a slash or no scheme are not', () => {
    for (const ok of ['https://app.example.com', 'http://localhost:5173', 'null'])
      assert.equal(originProblem(ok), undefined, ok);
    assert.match(
      originProblem('https://app.example.com/')!,
      /did you mean https:\/\/app\.example\.com\?/,
    );
    assert.match(
      originProblem('http://localhost:5173/api')!,
      /did you mean http:\/\/localhost:5173\?/,
    );
    for (const bad of ['app.example.com', 'localhost:3000', 'https://', ''])
      assert.match(originProblem(bad)!, /scheme:\/\/host\[:port\]/, bad);
  });

  test('a valid typed origin is offered first, as typed, and accepted as is', () => {
    const rows = pickItems(origins, 'https://staging.example.com', originProblem);
    assert.deepEqual(rows[0], {
      value: 'https://staging.example.com',
      description: 'as typed',
      typed: true,
    });
    assert.equal(rows.length, 2);
  });

  test('an invalid one shows its problem first; a prefix of an offered origin is filtering', () => {
    const [row] = pickItems(origins, 'https://app.example.com/', originProblem);
    assert.equal(row.typed, true);
    assert.match(row.problem!, /did you mean/);
    assert.deepEqual(pickItems(origins, 'http://loc', originProblem), [
      { ...origins[0], typed: false },
      { value: 'http://loc', description: 'as typed', typed: true },
    ]);
    assert.deepEqual(pickItems(origins, 'http://localhost:', originProblem), [
      { ...origins[0], typed: false },
    ]);
  });

  test('an offered value typed again (any case) is the offered row alone', () => {
    assert.equal(pickItems(origins, 'http://localhost:3000', originProblem).length, 1);
    assert.equal(pickItems([{ value: 'POST' }], 'post', () => undefined).length, 1);
  });
});

describe('status bar', () => {
  test('findings, a clean setup, or no setup', () => {
    assert.equal(statusText(3, true), '$(warning) CORS Lens: 3 findings');
    assert.equal(statusText(1, true), '$(warning) CORS Lens: 1 finding');
    assert.equal(statusText(0, true), '$(check) CORS Lens: no findings');
    assert.equal(statusText(0, false), 'CORS Lens: no CORS setup here');
  });
});
