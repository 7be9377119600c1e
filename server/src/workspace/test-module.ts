/**
 * Test modules: files a test runner loads, never the app. Their requests run in Node, not a page
 * (frontend calls), and the CORS headers they name are a test's: read back from a response to
 * assert on, or set on a throwaway server, never the app's setup (`cors-setup-not-modelled`).
 */

/**
 * A test by its name: `*.test.ts`, `*.spec.js`, `*_test.py`, `*_spec.rb`, `test_*.py`,
 * `conftest.py`, or in a `__tests__` folder at any depth.
 */
const TEST_NAME =
  /(?:^|[\\/])__tests__[\\/]|[._-](?:test|spec)\.[a-z]+$|(?:^|[\\/])(?:test_[^\\/]*\.py|conftest\.py)$/i;
/** A PHPUnit test class (`ThumbFetchTest.php`), case-sensitively: not `latest.php`. */
const PHPUNIT_CLASS = /[a-z\d]Tests?\.php$/;
/** In a test folder of its own (`tests/cors.py`, `spec/api.rb`). */
const IN_TEST_FOLDER = /(?:^|[\\/])(?:tests?|spec)[\\/][^\\/]+$/i;
/** Under a test folder, any depth down (`test/server/lib/docapi/hooks.ts`). */
const UNDER_TEST_FOLDER = /(?:^|[\\/])(?:tests?|spec)[\\/]/i;
/**
 * Code a test runner runs: a suite or case (`describe('...'`, `it('...'`, `def test_`), an
 * assertion (`expect(`, `assert.equal(`, `self.assertEqual(`, `assert x`, `assert_equal`,
 * `$this->assert`), or a test or assertion library imported.
 */
const TEST_CODE = new RegExp(
  [
    String.raw`(?<![\w$.])(?:describe|it|test|suite)\s*\(\s*['"\`]`,
    String.raw`\bexpect\s*\(`,
    String.raw`\bassert(?:\.\w+)?\s*\(`,
    String.raw`\b(?:from\s*|require\s*\(\s*)['"](?:node:)?(?:assert|test|chai|chai-http|vitest|mocha|ava|tap|supertest|@jest\/globals)(?:\/strict)?['"]`,
    String.raw`^[ \t]*(?:import|from)[ \t]+(?:pytest|unittest)\b`,
    String.raw`^[ \t]*(?:async[ \t]+)?def[ \t]+test_`,
    String.raw`\bself\.assert[A-Z]\w*\s*\(`,
    String.raw`^[ \t]*assert[ \t]`,
    String.raw`\bRSpec\b|^[ \t]*describe[ \t]+\S|\bMinitest\b|\bTest::Unit\b|\bassert_\w+`,
    String.raw`\bextends\s+TestCase\b|\$this->assert`,
  ].join('|'),
  'm',
);

/**
 * Whether a file is a test module: by its name, by its own folder (`tests/`, `test/`, `spec/`),
 * or under such a folder further up when its code is a test's (a folder named `test` higher up
 * may hold the whole project, or this project's fixtures, so the code must say so).
 */
export function isTestModule(file: string, text: string): boolean {
  if (TEST_NAME.test(file) || PHPUNIT_CLASS.test(file) || IN_TEST_FOLDER.test(file)) return true;
  return UNDER_TEST_FOLDER.test(file) && TEST_CODE.test(text);
}

/** Whether a text is a test's code (a suite, an assertion, a test library imported). */
export const testCode = (text: string): boolean => TEST_CODE.test(text);
