// In a multiline regex `^` matches at every line start, and `\s` matches newlines too: `^\s*X`
// runs `\s*` from each line start across every blank line below it before X fails, quadratic in
// a file of blank lines and outside any analysis budget (fuzz input 2043:5170, 46 s on 200,000
// blank lines). A line's indent is `^[ \t]*`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';

const ROOT = path.join(__dirname, '../../..');

/** `^` followed by `\s`, written in a regex literal or (escaped) in a string. */
const LINE_START_SPACE = /\^(?:\\\\|\\)s/;

/** The multiline patterns of one source file that begin a line with `\s`, as `file:line`. */
function offenders(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(path.join(ROOT, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: string[] = [];
  const report = (node: ts.Node) =>
    found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const flags = node.text.slice(node.text.lastIndexOf('/') + 1);
      if (flags.includes('m') && LINE_START_SPACE.test(node.text)) report(node);
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      node.expression.getText() === 'RegExp' &&
      node.arguments?.length === 2
    ) {
      const [pattern, flags] = node.arguments;
      if (
        ts.isStringLiteralLike(flags) &&
        flags.text.includes('m') &&
        LINE_START_SPACE.test(pattern.getText())
      )
        report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('no multiline regex of the server begins a line with \\s (a line indent is [ \\t])', () => {
  const files = execFileSync('git', ['ls-files', 'server/src/*.ts', 'cli/*.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  assert.ok(files.length > 100, `found ${files.length} files`);
  assert.deepEqual(files.flatMap(offenders), []);
});

test('the rule sees a multiline ^\\s in a literal and in new RegExp, not in a one-line pattern', () => {
  const probe = path.join('test/fixtures/architecture/multiline-regex.ts');
  assert.deepEqual(offenders(probe), [`${probe}:2`, `${probe}:3`]);
});
