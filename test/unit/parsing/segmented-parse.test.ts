import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Node, Parser } from 'web-tree-sitter';
import { walk } from '../../../server/src/analysis/walk';
import { createParser } from '../../../server/src/parsing/parser';
import { SegmentedParse } from '../../../server/src/parsing/segmented-parse';
import type { SourceTree } from '../../../server/src/parsing/source-tree';
import { statements } from '../../support/tree-shape';

const root = path.join(__dirname, '../../..');

/** Every Python file of the fixtures and examples that parses clean on its own, concatenated. */
function realPython(parser: Parser): string {
  return [...walk(path.join(root, 'test/fixtures')), ...walk(path.join(root, 'examples'))]
    .filter((file) => file.endsWith('.py'))
    .map((file) => readFileSync(file, 'utf8'))
    .filter((text) => {
      const tree = parser.parse(text)!;
      const clean = !tree.rootNode.hasError;
      tree.delete();
      return clean;
    })
    .map((text) => (text.endsWith('\n') ? text : `${text}\n`))
    .join('');
}

/** Lines at column 0 that must not start a segment, or that look like statements inside a construct. */
const TRICKY = `# café ☕ 😀 before a boundary
if DEBUG:
    X = 1
else:
    X = 2
try:
    import local
except ImportError:
    local = None
finally:
    done = True
DOC = """
NOT_A_SETTING = 1
@decorator_in_a_string
"""
ORIGINS = [
"https://a.example",
CONSTANT,
]
TOTAL = 1 + \\
TWO
@app.route("/x")
def view():
    return "😀"
class Config:
    A = 1
`;

describe('SegmentedParse (Python modules in segments of whole statements)', () => {
  let parser: Parser;
  let base: string;
  before(async () => {
    parser = await createParser('python');
    base = realPython(parser) + TRICKY.repeat(12);
  });
  after(() => parser.delete());

  /** Asserts the segmented parse says what one parse of the whole text says. */
  const assertSameAsWhole = (tree: SourceTree, text: string, label: string): boolean => {
    const whole = parser.parse(text)!;
    try {
      assert.equal(tree.hasError, whole.rootNode.hasError, `${label}: syntax error agrees`);
      if (!whole.rootNode.hasError)
        assert.deepEqual(
          statements(tree.topLevel()),
          statements(whole.rootNode.children as Node[]),
          label,
        );
      return !whole.rootNode.hasError;
    } finally {
      whole.delete();
    }
  };

  it('a long module is parsed in several segments that hold exactly its statements', () => {
    const parse = SegmentedParse.parse(parser, 'python', base);
    assert.ok(base.split('\n').length > 1500, 'the module is long');
    assert.ok(parse.count >= 8, `segments: ${parse.count}`);
    assert.equal(assertSameAsWhole(parse.tree, base, 'fresh'), true);
    parse.delete();
  });

  it('finds the node at any offset, in whichever segment holds it, as a whole parse does', () => {
    const parse = SegmentedParse.parse(parser, 'python', base);
    const whole = parser.parse(base)!;
    try {
      assert.ok(parse.count >= 8);
      // Every 97th offset, and each segment's first and last character.
      const offsets = Array.from({ length: Math.floor(base.length / 97) }, (_, i) => i * 97);
      for (const root of parse.tree.roots) offsets.push(root.startIndex, root.endIndex - 1);
      for (const offset of offsets) {
        const found = parse.tree.descendantForIndex(offset, offset + 1);
        const expected = whole.rootNode.descendantForIndex(offset, offset + 1)!;
        // The module root differs (a segment's against the whole file's); any other node agrees.
        if (expected.type === 'module') continue;
        assert.deepEqual(
          [found?.type, found?.startIndex, found?.endIndex],
          [expected.type, expected.startIndex, expected.endIndex],
          `offset ${offset}`,
        );
      }
    } finally {
      whole.delete();
      parse.delete();
    }
  });

  it('reads the ancestors of any offset in one descent, as climbing by parent finds them', () => {
    // Unicode before the offsets too: the cursor and the nodes must count alike.
    const text = `${TRICKY}\n${base}`;
    const parse = SegmentedParse.parse(parser, 'python', text);
    try {
      const offsets = Array.from({ length: Math.floor(text.length / 89) }, (_, i) => i * 89);
      for (const root of parse.tree.roots) offsets.push(root.startIndex, root.endIndex - 1);
      const key = (n: Node) => `${n.type}@${n.startIndex}-${n.endIndex}`;
      for (const offset of offsets) {
        const climbed: Node[] = [];
        for (let n = parse.tree.descendantForIndex(offset, offset + 1); n; n = n.parent)
          climbed.unshift(n);
        assert.deepEqual(
          parse.tree.ancestorsAt(offset).map(key),
          climbed.map(key),
          `offset ${offset}`,
        );
      }
    } finally {
      parse.delete();
    }
  });

  it('CRLF line endings: the same statements, rows and columns as a whole parse, across edits', () => {
    const crlf = base.replace(/\n/g, '\r\n');
    const parse = SegmentedParse.parse(parser, 'python', crlf);
    assert.ok(parse.count >= 8);
    assert.equal(assertSameAsWhole(parse.tree, crlf, 'crlf'), true);
    const at = parse.tree.roots[3].children[0]!.startIndex;
    const edited = `${crlf.slice(0, at)}NEW = "é😀"\r\n${crlf.slice(at)}`;
    parse.update(parser, edited);
    assert.equal(assertSameAsWhole(parse.tree, edited, 'crlf edited'), true);
    parse.delete();
  });

  it('never starts a segment at else/except/finally, inside a string or brackets, or after a decorator', () => {
    const text = TRICKY.repeat(40);
    const parse = SegmentedParse.parse(parser, 'python', text);
    assert.ok(parse.count > 1);
    for (const root of parse.tree.roots) {
      const first = root.children[0]!;
      assert.ok(
        [
          'comment',
          'if_statement',
          'try_statement',
          'expression_statement',
          'decorated_definition',
          'class_definition',
        ].includes(first.type),
        first.type,
      );
      assert.equal(root.hasError, false);
    }
    assert.equal(assertSameAsWhole(parse.tree, text, 'tricky'), true);
    parse.delete();
  });

  it('a string continued by a backslash, its lines at column 0, is not cut where the recovery looks clean', () => {
    // Seen in crcmod's tests: the segment cut inside the string ends with a clean-looking
    // statement after tree-sitter's recovery, and the next one ends in the string's other end.
    const method = `class CrcTest:\n    """Doc"""\n\n    msg = b'abc'\n\n    def test(self):\n        """Doc"""\n        crc = Crc(1)\n\n        rep = \\\n'''poly = 0x104C11DB7\nreverse = True\ninit = 0xFFFFFFFF\nxor = 0\nvalue = 0xFFFFFFFF'''\n        self.check(str(crc), rep)\n`;
    const text = `${'A = 1\n'.repeat(137)}${method}${'B = 2\n'.repeat(300)}`;
    const parse = SegmentedParse.parse(parser, 'python', text);
    assert.equal(assertSameAsWhole(parse.tree, text, 'string across the cut'), true);
    assert.ok(parse.count > 1);
    parse.delete();
  });

  it('after 400 edits (breaking ones undone later) it always agrees with a parse of the whole text', () => {
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
    const lineStarts = (text: string) => [
      0,
      ...[...text.matchAll(/\n/g)].map((m) => m.index + 1).filter((i) => i < text.length),
    ];
    const parse = SegmentedParse.parse(parser, 'python', base);
    let text = base;
    const history: string[] = [];
    let lastClean = base;
    let clean = 0;
    let merged = 0;
    for (let i = 0; i < 400; i++) {
      const roll = next();
      history.push(text);
      if (roll < 0.1 && history.length > 5) {
        // Undo a few steps at once: one edit that spans what they changed.
        text = history[history.length - 1 - Math.floor(next() * 5)];
      } else if (roll < 0.3) {
        text = lastClean;
      } else if (roll < 0.6) {
        const at = pick(lineStarts(text));
        text =
          text.slice(0, at) +
          pick([
            'NEW_SETTING = [1, 2]\n',
            'from .base import *\n',
            '\n',
            'def f():\n    return 1\n',
            '    indented = 1\n',
            'else:\n    pass\n',
          ]) +
          text.slice(at);
      } else if (roll < 0.75) {
        const starts = lineStarts(text);
        const k = Math.floor(next() * (starts.length - 1));
        text = text.slice(0, starts[k]) + text.slice(starts[k + 1]);
      } else {
        const at = Math.floor(next() * text.length);
        text =
          text.slice(0, at) +
          pick(['x', '1', '[', ']', '"', '"""', '(', ':', ' ', '\n', '😀', '\\']) +
          text.slice(at);
      }
      const before = parse.count;
      parse.update(parser, text);
      // Fewer segments after one edit: a broken one joined its neighbours (the fixtures' total
      // size sets how many there are, so no fixed count says it).
      if (parse.count < before) merged++;
      if (assertSameAsWhole(parse.tree, text, `edit ${i}`)) {
        clean++;
        lastClean = text;
      }
    }
    // The run visits clean texts and broken ones, and comes back to many segments after merging.
    assert.ok(clean >= 100, `clean texts: ${clean}`);
    assert.ok(merged > 0, 'some edit merged segments');
    parse.delete();
  });

  it('a bracket left open at the end of a segment joins it with the next one', () => {
    // Whether the error reaches the segment's end is tree-sitter's error recovery's call, and it
    // depends on what follows; so every boundary of the real text is tried, and most must join.
    const first = SegmentedParse.parse(parser, 'python', base);
    const boundaries = first.tree.roots.slice(0, -1).map((tree) => {
      const statements = tree.children.filter((c) => c && !c.isExtra);
      return statements[statements.length - 1]!.endIndex;
    });
    first.delete();
    let joined = 0;
    for (const at of boundaries) {
      const parse = SegmentedParse.parse(parser, 'python', base);
      const before = parse.count;
      const open = `${base.slice(0, at)}\nBROKEN = [${base.slice(at)}`;
      parse.update(parser, open);
      if (parse.count < before) joined++;
      assert.equal(assertSameAsWhole(parse.tree, open, 'open bracket'), false);
      const closed = `${base.slice(0, at)}\nBROKEN = []${base.slice(at)}`;
      parse.update(parser, closed);
      assert.equal(assertSameAsWhole(parse.tree, closed, 'closed bracket'), true);
      parse.delete();
    }
    assert.ok(joined * 2 > boundaries.length, `joined at ${joined} of ${boundaries.length}`);
  });

  it('a segment that has doubled (600 lines pasted) is split again', () => {
    const parse = SegmentedParse.parse(parser, 'python', base);
    const before = parse.count;
    const at = parse.tree.roots[2].children[0]!.startIndex;
    const pasted = `${base.slice(0, at)}${'PASTED = {"a": 1}\n'.repeat(600)}${base.slice(at)}`;
    parse.update(parser, pasted);
    assert.ok(parse.count >= before + 3, `segments: ${parse.count}, ${before} before`);
    assert.equal(assertSameAsWhole(parse.tree, pasted, 'pasted'), true);
    parse.delete();
  });

  it('an error inside one statement stays in its segment', () => {
    const parse = SegmentedParse.parse(parser, 'python', base);
    const before = parse.count;
    const at = parse.tree.roots[2].children[0]!.startIndex;
    const typing = `${base.slice(0, at)}CORS_ALLOWED_ORIGINS = ["https://a.ex, "https://b.example"]\n${base.slice(at)}`;
    parse.update(parser, typing);
    assert.equal(parse.count, before);
    assert.equal(assertSameAsWhole(parse.tree, typing, 'unclosed string on its line'), false);
    parse.delete();
  });

  it('a segment whose first line comes to continue the statement before joins that segment', () => {
    // The second segment starts at `B = 2`, right after the body of `f`.
    const text = `${'A = 1\n'.repeat(149)}def f():\n    return 1\n${'B = 2\n'.repeat(300)}`;
    const parse = SegmentedParse.parse(parser, 'python', text);
    const second = parse.tree.roots[1].startIndex;
    assert.equal(text.slice(second, second + 5), 'B = 2');
    for (const prefix of ['    ', 'else:\n    pass\n']) {
      const edited = text.slice(0, second) + prefix + text.slice(second);
      const fresh = SegmentedParse.parse(parser, 'python', text);
      fresh.update(parser, edited);
      assert.equal(
        assertSameAsWhole(fresh.tree, edited, JSON.stringify(prefix)),
        prefix === '    ',
      );
      fresh.delete();
    }
    parse.delete();
  });

  it('a text broken everywhere (JavaScript saved as .py) is parsed whole after a few joins, not once per join', () => {
    let parses = 0;
    const counting = Object.create(parser) as Parser;
    counting.parse = (...args: Parameters<Parser['parse']>) => {
      parses++;
      return parser.parse(...args);
    };
    const broken = 'const a = () => { return 1; };\n'.repeat(8000);
    const parse = SegmentedParse.parse(counting, 'python', broken);
    assert.equal(parse.count, 1);
    assert.equal(assertSameAsWhole(parse.tree, broken, 'broken everywhere'), false);
    // The pieces and joins made before the joins ran out, then one whole parse: without the
    // limit, each of the ~53 pieces joins the ones before, ~105 parses of growing texts.
    assert.ok(parses < 25, `parses: ${parses}`);
    // Once it parses clean it is split again.
    const fixed = 'A = 1\n'.repeat(8000);
    parse.update(counting, fixed);
    assert.ok(parse.count > 10, `segments: ${parse.count}`);
    assert.equal(assertSameAsWhole(parse.tree, fixed, 'fixed'), true);
    parse.delete();
  });

  it('other grammars and short modules are one tree', async () => {
    const js = await createParser('javascript');
    const parse = SegmentedParse.parse(js, 'javascript', 'const a = 1;\n'.repeat(2000));
    assert.equal(parse.count, 1);
    assert.equal(parse.tree.root.type, 'program');
    parse.delete();
    js.delete();
    const short = SegmentedParse.parse(parser, 'python', 'A = 1\n'.repeat(100));
    assert.equal(short.count, 1);
    short.delete();
  });
});
