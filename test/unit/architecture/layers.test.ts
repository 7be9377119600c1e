/**
 * The layer map of ARCHITECTURE.md, enforced: every relative import in `server/src` and
 * `client/src` is read, mapped to its top-level folder (a framework's folder counts as its own
 * layer) and checked against the allowed edges below. Any cycle between top-level folders needs
 * an edge both ways, and no pair here allows that, so this also fails on every cycle.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const repo = path.join(__dirname, '../../..');
const src = path.join(repo, 'server/src');

/**
 * What each layer of `server/src` may import, lowest first (ARCHITECTURE.md, "Layers"). A layer
 * also imports itself. `frameworks/*` is every framework folder; `frameworks/index.ts` (the
 * registry) and `frameworks/descriptor.ts` are layers of their own.
 */
export const ALLOWED: Record<string, readonly string[]> = {
  base: [],
  policy: ['base'],
  fetch: ['base'],
  environment: ['base'],
  parsing: ['base'],
  replay: ['base', 'policy', 'fetch'],
  lang: ['base', 'environment', 'policy', 'fetch', 'parsing'],
  workspace: ['base', 'environment', 'policy', 'fetch', 'parsing', 'lang'],
  checks: ['base', 'environment', 'policy', 'fetch', 'parsing', 'lang', 'replay', 'workspace'],
  'frameworks/descriptor': ['base', 'policy', 'parsing', 'checks'],
  'frameworks/*': [
    'base',
    'environment',
    'policy',
    'fetch',
    'parsing',
    'lang',
    'replay',
    'workspace',
    'checks',
    'frameworks/descriptor',
  ],
  'frameworks/index': [
    'base',
    'policy',
    'parsing',
    'replay',
    'frameworks/descriptor',
    'frameworks/*',
  ],
  analysis: [
    'base',
    'environment',
    'policy',
    'fetch',
    'parsing',
    'lang',
    'replay',
    'workspace',
    'checks',
    'frameworks/index',
  ],
  probe: [
    'base',
    'environment',
    'policy',
    'fetch',
    'parsing',
    'replay',
    'checks',
    'frameworks/index',
    'analysis',
  ],
  explain: [
    'base',
    'environment',
    'policy',
    'fetch',
    'parsing',
    'replay',
    'workspace',
    'checks',
    'frameworks/index',
    'analysis',
    'probe',
  ],
  lsp: [
    'base',
    'environment',
    'policy',
    'fetch',
    'parsing',
    'replay',
    'workspace',
    'checks',
    'frameworks/index',
    'analysis',
    'probe',
    'explain',
  ],
  cli: [
    'base',
    'environment',
    'policy',
    'fetch',
    'parsing',
    'replay',
    'workspace',
    'checks',
    'frameworks/index',
    'analysis',
    'probe',
    'explain',
    'package.json',
  ],
};

/**
 * The one framework that builds on another: hand-set headers in Express apps are replayed through
 * Express's own middleware stack, which the `cors` package's folder models.
 */
export const FRAMEWORK_BASES: Record<string, readonly string[]> = {
  'node-handset': ['express-cors'],
};

/** What the VS Code client may import from the server: the messages both sides share. */
const CLIENT_MAY_IMPORT = [
  /^server\/src\/lsp\/(protocol|probe-protocol|explain-protocol)\.ts$/,
  /^server\/src\/(analysis\/preview-report|probe\/index|probe\/sweep|parsing\/languages)\.(ts|json)$/,
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

/** The relative imports of a file, resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:from|import|require)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g),
  ].map((m) => m[1]);
  return specs.map((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
      try {
        if (statSync(candidate).isFile()) return path.relative(repo, candidate);
      } catch {
        // try the next form
      }
    }
    return path.relative(repo, base);
  });
}

/** The layer of a path under server/src (`frameworks/*` for a framework's folder). */
function layerOf(repoPath: string): { layer: string; framework?: string } {
  const inside = path.relative('server/src', repoPath).split(path.sep);
  if (inside[0] === '..')
    return { layer: inside.includes('package.json') ? 'package.json' : repoPath };
  if (inside[0] !== 'frameworks') return { layer: inside[0] };
  if (inside.length === 2) return { layer: `frameworks/${inside[1].replace(/\.ts$/, '')}` };
  return { layer: 'frameworks/*', framework: inside[1] };
}

/** Every import of server/src that the map forbids, as `from → to`. */
export function forbiddenEdges(): string[] {
  const out: string[] = [];
  for (const file of walk(src)) {
    const from = layerOf(path.relative(repo, file));
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      if (from.layer === to.layer && from.framework === to.framework) continue;
      const allowed =
        ALLOWED[from.layer]?.includes(to.layer) ||
        (from.framework && to.framework && FRAMEWORK_BASES[from.framework]?.includes(to.framework));
      if (!allowed) out.push(`${path.relative(repo, file)} → ${target}`);
    }
  }
  return out;
}

describe('architecture: the layer map', () => {
  it('every top-level folder of server/src has a place in the map', () => {
    const folders = readdirSync(src).filter((name) => statSync(path.join(src, name)).isDirectory());
    for (const folder of folders)
      assert.ok(
        folder === 'frameworks' || folder in ALLOWED,
        `${folder} is not in ARCHITECTURE.md's layer map`,
      );
  });

  it('server/src imports only along allowed edges (so no cycle between folders)', () => {
    assert.deepEqual(forbiddenEdges(), []);
  });

  it('the map itself has no cycle: each layer imports only layers listed before it', () => {
    const order = Object.keys(ALLOWED);
    for (const [layer, targets] of Object.entries(ALLOWED)) {
      for (const target of targets)
        if (target !== 'package.json')
          assert.ok(order.indexOf(target) < order.indexOf(layer), `${layer} → ${target} points up`);
    }
  });

  it('a framework builds on another only where FRAMEWORK_BASES says so, and never in a circle', () => {
    for (const [framework, bases] of Object.entries(FRAMEWORK_BASES))
      for (const base of bases) assert.ok(!FRAMEWORK_BASES[base]?.includes(framework));
  });

  it('the client imports only the messages shared with the server', () => {
    const client = walk(path.join(repo, 'client/src'));
    const bad = client.flatMap((file) =>
      importsOf(file)
        .filter(
          (target) =>
            target.startsWith('server/') &&
            !CLIENT_MAY_IMPORT.some((allowed) => allowed.test(target)),
        )
        .map((target) => `${path.relative(repo, file)} → ${target}`),
    );
    assert.deepEqual(bad, []);
  });

  it('ARCHITECTURE.md lists the same layers in the same order', () => {
    const doc = readFileSync(path.join(repo, 'ARCHITECTURE.md'), 'utf8');
    const table = [...doc.matchAll(/^\| `([\w/*-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(
      table.filter((name) => name in ALLOWED),
      Object.keys(ALLOWED),
    );
  });
});
