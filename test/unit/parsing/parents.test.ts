import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Node } from 'web-tree-sitter';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { analyzeFile } from '../../../server/src/cli/analyze-file';
import { defaultSettings } from '../../../server/src/analysis/settings';
import { DocumentTrees } from '../../../server/src/parsing/document-trees';
import { grammarFor } from '../../../server/src/parsing/languages';
import { ancestors, closest, parentOf } from '../../../server/src/parsing/parents';
import { parseText } from '../../../server/src/parsing/parser';
import { deepShapes } from '../../support/deep-nesting';

/** Every node below `root` (anonymous ones included), in document order. */
function allNodes(root: Node): Node[] {
  const out: Node[] = [];
  const cursor = root.walk();
  for (let more = true; more;) {
    out.push(cursor.currentNode);
    if (cursor.gotoFirstChild()) continue;
    while (!(more = cursor.gotoNextSibling()) && cursor.gotoParent());
  }
  cursor.delete();
  return out;
}

/** A small deterministic generator, so a failing order can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Nodes in a seeded random order: the index must not depend on the order of the questions. */
function shuffled(nodes: Node[], seed: number): Node[] {
  const next = random(seed);
  const out = [...nodes];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** What `node.parent` says, read before any spy is installed. */
const nativeParent = Object.getOwnPropertyDescriptor(Node.prototype, 'parent')!.get!;

/** Asserts that `parentOf` gives every node the parent `node.parent` gives, same node. */
function assertSameParents(nodes: Node[]): void {
  for (const node of nodes) {
    const ours = parentOf(node);
    const theirs = nativeParent.call(node) as Node | null;
    assert.equal(ours?.id ?? null, theirs?.id ?? null, `${node.type} at ${node.startIndex}`);
    assert.equal(ours?.startIndex, theirs?.startIndex);
    assert.equal(ours?.endIndex, theirs?.endIndex);
    assert.equal(ours?.type, theirs?.type);
  }
}

/**
 * Counts, while `work` runs, the questions asked of tree-sitter that search down from a node:
 * `node.parent` (from the root) and `childWithDescendant` (one level).
 */
async function countSearches(
  work: () => Promise<void>,
): Promise<{ parent: number; child: number }> {
  const counts = { parent: 0, child: 0 };
  const proto = Node.prototype as unknown as Record<string, unknown>;
  const childWithDescendant = proto.childWithDescendant as (this: Node, d: Node) => Node | null;
  Object.defineProperty(Node.prototype, 'parent', {
    configurable: true,
    get(this: Node) {
      counts.parent++;
      return nativeParent.call(this) as Node | null;
    },
  });
  proto.childWithDescendant = function (this: Node, d: Node) {
    counts.child++;
    return childWithDescendant.call(this, d);
  };
  try {
    await work();
  } finally {
    Object.defineProperty(Node.prototype, 'parent', { configurable: true, get: nativeParent });
    proto.childWithDescendant = childWithDescendant;
  }
  return counts;
}

const fixtureFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter(
      (file) => grammarFor(file) && !file.includes('node_modules') && fs.statSync(file).isFile(),
    );

describe('parentOf (a node parent without a search from the root)', () => {
  it('gives every node of every example file the parent tree-sitter gives, in any order', async () => {
    const files = fixtureFiles('examples');
    assert.ok(files.length > 15);
    for (const [k, file] of files.entries()) {
      const tree = await parseText(grammarFor(file)!, fs.readFileSync(file, 'utf8'));
      for (const root of tree.roots) assertSameParents(shuffled(allNodes(root), k));
      tree.delete();
    }
  });

  it('gives every node of deeply nested files its parent, with searches linear in the depth', async () => {
    for (const [name, shape] of Object.entries(deepShapes)) {
      const text = shape.text(1500);
      const tree = await parseText(grammarFor(shape.file)!, text);
      const nodes = tree.roots.flatMap(allNodes);
      // Every node's ancestors, deepest nodes first.
      const searches = await countSearches(async () => {
        for (const node of [...nodes].reverse()) for (const up of ancestors(node)) void up;
      });
      assert.equal(searches.parent, 0, name);
      // At most one level's search per node: a search per level and node would be ~depth².
      assert.ok(searches.child <= nodes.length, `${name}: ${searches.child} searches`);
      assertSameParents(shuffled(nodes, 7));
      tree.delete();
    }
  });

  it('closest finds the nearest ancestor that passes, never the node itself', async () => {
    const text = 'function f() { return g(() => h(1)); }\n';
    const tree = await parseText('javascript', text);
    const one = tree.root.descendantForIndex(text.indexOf('1'))!;
    assert.equal(one.text, '1');
    assert.equal(closest(one, (n) => n.type === 'call_expression')?.text, 'h(1)');
    assert.equal(closest(one, (n) => n.type === 'function_declaration')?.startIndex, 0);
    const call = closest(one, (n) => n.type === 'call_expression')!;
    assert.equal(closest(call, (n) => n.type === 'call_expression')?.text, 'g(() => h(1))');
    assert.equal(
      closest(one, (n) => n.type === 'class_declaration'),
      null,
    );
    assert.equal(parentOf(tree.root), null);
    tree.delete();
  });

  it('forgets a tree moved by an edit: parents come back at their new positions', async () => {
    // A long Python module is parsed in segments; an edit in the first moves the later ones.
    const trees = new DocumentTrees();
    const body = 'X = {"a": [1, 2]}\n'.repeat(400);
    const text = `A = 1\n${body}CORS_ALLOWED_ORIGINS = ["https://a.example"]\n`;
    let tree = await trees.update('file:///settings.py', 'python', text);
    assert.ok(tree.roots.length > 1, 'parsed in segments');
    const lastRoot = tree.roots.at(-1)!;
    const before = allNodes(lastRoot);
    assertSameParents(before);
    tree = await trees.update('file:///settings.py', 'python', `# moved\n${text}`);
    assert.equal(
      tree.roots.at(-1)!.tree,
      lastRoot.tree,
      'the last segment was moved, not reparsed',
    );
    const url = tree.roots.at(-1)!.descendantForIndex(text.indexOf('https') + 8)!;
    assert.equal(parentOf(url)?.startIndex, text.indexOf('"https') + 8);
    assertSameParents(allNodes(tree.roots.at(-1)!));
    trees.dispose();
  });
});

describe('extractors ask no parent of tree-sitter (issue 16: quadratic in the nesting)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-parents-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, shape] of Object.entries(deepShapes))
    it(`${name}: no node.parent while the file is checked`, async () => {
      const file = path.join(dir, name.replace(/\W+/g, '-'), shape.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, shape.text(1500));
      const settings = { ...defaultSettings, analysisBudgetMs: 1e9 };
      let result: Awaited<ReturnType<typeof analyzeFile>> | undefined;
      const searches = await countSearches(async () => {
        result = await analyzeFile(file, new DiskReader(), settings);
      });
      assert.ok(result && 'analysis' in result, name);
      assert.equal(searches.parent, 0, `${name}: ${searches.parent} searches from the root`);
      assert.ok(searches.child <= 64 * 1500, `${name}: ${searches.child} one-level searches`);
    });
});
