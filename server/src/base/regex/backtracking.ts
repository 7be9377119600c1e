/**
 * Static detection of catastrophic backtracking in users' regexes, so the tool can tell them
 * their server (Python re, Ruby, Node, PCRE: all backtracking engines) can be stalled by one
 * request, and never try such a pattern on a backtracking engine itself.
 *
 * The pattern becomes a Glushkov automaton whose edges keep their multiplicity (how many ways
 * the backtracking engine can take them: `(a+)+` has two ways from `a` to `a`). Then, as in
 * Weideman et al., "Analyzing Matching Time Behavior of Backtracking Regular Expression
 * Matchers by Using Ambiguity of NFA" (2016):
 *  - exponential: two different paths from a state back to itself on the same word (a strongly
 *    connected part of the pair automaton that holds a diagonal pair and an off-diagonal pair,
 *    or a doubled edge);
 *  - polynomial: states p != q with p->p, p->q and q->q on the same word (triple automaton).
 * A finding is kept only when an attack string exists: prefix + pump×N + a suffix that makes
 * the whole match fail (checked with the linear-time matcher), since only failure makes the
 * engine try every path. Bounded repeats are capped (they cannot pump without an outer loop).
 * Characters are a finite alphabet: ASCII plus a few non-ASCII representatives.
 */
import { RE2JS } from 're2js';
import { parsePattern, type Node, type RegexFlavor } from './parse';
import { compileOrigin } from './translate';

/** A pattern that makes backtracking engines take exponential or polynomial time. */
export interface BacktrackingRisk {
  kind: 'exponential' | 'polynomial';
  /** The sub-pattern responsible, as written. */
  part: string;
  /** An input that makes a backtracking engine blow up: prefix + pump×N + suffix. */
  attack: string;
  prefix: string;
  pump: string;
  suffix: string;
}

const ALPHABET: number[] = [...Array.from({ length: 128 }, (_, k) => k), 0xa0, 0xe9, 0x663, 0x3042];
const ALL = (1n << BigInt(ALPHABET.length)) - 1n;
/** Preferred representatives when a step can be any of several characters. */
const PREFERENCE = [...'abcdefghijklmnopqrstuvwxyz0123456789.-_:/ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map(
  (c) => ALPHABET.indexOf(c.charCodeAt(0)),
);
const setCache = new Map<string, bigint>();

/** The alphabet symbols one consuming atom accepts. */
function atomSet(re2: string): bigint {
  const cached = setCache.get(re2);
  if (cached !== undefined) return cached;
  const re = RE2JS.compile(`\\A(?:${re2})\\z`);
  let bits = 0n;
  ALPHABET.forEach((cp, k) => {
    if (re.testExact(String.fromCodePoint(cp))) bits |= 1n << BigInt(k);
  });
  setCache.set(re2, bits);
  return bits;
}

/** One character from a set, preferring readable ones. */
function pick(bits: bigint): string {
  for (const k of PREFERENCE)
    if (k >= 0 && bits & (1n << BigInt(k))) return String.fromCodePoint(ALPHABET[k]);
  for (let k = 0; k < ALPHABET.length; k++)
    if (bits & (1n << BigInt(k))) return String.fromCodePoint(ALPHABET[k]);
  return '';
}

type Mult = Map<number, number>;
interface Frag {
  first: Mult;
  last: Mult;
  nul: number;
}
interface Edge {
  to: number;
  mult: number;
  /** The constructs that added this edge (a concatenation or a loop). */
  by: Node[];
}

const cap = (n: number): number => Math.min(n, 2);
function addInto(into: Mult, from: Mult, times = 1): void {
  if (times === 0) return;
  for (const [p, m] of from) into.set(p, cap((into.get(p) ?? 0) + m * times));
}

/** The Glushkov automaton of a pattern, with edge multiplicities. Position 0 is the start. */
class Automaton {
  sets: bigint[] = [ALL];
  ancestors: Node[][] = [[]];
  edges: Map<number, Edge>[] = [new Map()];
  finals = new Set<number>();

  constructor(
    root: Node,
    unanchored: boolean,
    private readonly mergeCharAlts: boolean,
  ) {
    const f = this.build(root, []);
    if (unanchored) this.link(new Map([[0, 1]]), new Map([[0, 1]]), root);
    this.link(new Map([[0, 1]]), f.first, root);
    for (const p of f.last.keys()) this.finals.add(p);
    if (f.nul) this.finals.add(0);
  }

  private link(from: Mult, to: Mult, by: Node): void {
    for (const [p, mp] of from) {
      for (const [q, mq] of to) {
        const e = this.edges[p].get(q);
        if (e) {
          e.mult = cap(e.mult + mp * mq);
          e.by.push(by);
        } else this.edges[p].set(q, { to: q, mult: cap(mp * mq), by: [by] });
      }
    }
  }

  private build(node: Node, path: Node[]): Frag {
    const here = [...path, node];
    switch (node.type) {
      case 'char': {
        const p = this.sets.length;
        this.sets.push(atomSet(node.re2));
        this.ancestors.push(here);
        this.edges.push(new Map());
        return { first: new Map([[p, 1]]), last: new Map([[p, 1]]), nul: 0 };
      }
      case 'assert':
        return { first: new Map(), last: new Map(), nul: 1 };
      case 'concat':
        return this.sequence(
          node.items.map((item) => () => this.build(item, here)),
          node,
        );
      case 'alt': {
        // CPython's sre_parse turns `a|b|\\d` (single characters, no negated set) into one set: no
        // choice left. Identical branches (`a|a`) are hoisted first and stay ambiguous.
        const texts = node.branches.map((b) => (b.type === 'char' ? b.re2 : undefined));
        const mergeable =
          texts.every((t) => t !== undefined && !t.includes('[^') && !t.includes('(?s:')) &&
          new Set(texts).size > 1;
        if (this.mergeCharAlts && mergeable) {
          const p = this.sets.length;
          this.sets.push(
            node.branches.reduce((bits, b) => bits | (b.type === 'char' ? atomSet(b.re2) : 0n), 0n),
          );
          this.ancestors.push(here);
          this.edges.push(new Map());
          return { first: new Map([[p, 1]]), last: new Map([[p, 1]]), nul: 0 };
        }
        const out: Frag = { first: new Map(), last: new Map(), nul: 0 };
        for (const b of node.branches) {
          const f = this.build(b, here);
          addInto(out.first, f.first);
          addInto(out.last, f.last);
          out.nul = cap(out.nul + f.nul);
        }
        return out;
      }
      case 'repeat': {
        // Bounded counts only change lengths; cap them so the automaton stays small.
        const exact = node.min === node.max;
        const min = exact ? Math.min(node.min, 3) : Math.min(node.min, 2);
        const max = node.max === Infinity ? Infinity : exact ? min : Math.min(node.max, min + 2);
        const parts: (() => Frag)[] = [];
        for (let k = 0; k < Math.max(min - (max === Infinity ? 1 : 0), 0); k++)
          parts.push(() => this.build(node.body, here));
        if (max === Infinity)
          parts.push(() => this.loop(this.build(node.body, here), node, min === 0));
        else if (max > min) parts.push(() => this.optionalChain(node, here, max - min));
        return this.sequence(parts, node);
      }
    }
  }

  /** `B*` (or `B+`): last(B) links back to first(B). */
  private loop(f: Frag, by: Node, star: boolean): Frag {
    this.link(f.last, f.first, by);
    return { first: f.first, last: f.last, nul: star ? 1 : f.nul };
  }

  /** `(B(B(B)?)?)?`: how counted repeats backtrack (fewer iterations, not a choice of which). */
  private optionalChain(node: Node & { type: 'repeat' }, here: Node[], count: number): Frag {
    const body = this.build(node.body, here);
    const rest = count > 1 ? this.optionalChain(node, here, count - 1) : undefined;
    const f = rest ? this.sequence([() => body, () => rest], node) : body;
    return { first: f.first, last: f.last, nul: cap(f.nul + 1) };
  }

  private sequence(parts: (() => Frag)[], by: Node): Frag {
    const acc: Frag = { first: new Map(), last: new Map(), nul: 1 };
    for (const part of parts) {
      const f = part();
      this.link(acc.last, f.first, by);
      const first = new Map(acc.first);
      addInto(first, f.first, acc.nul);
      const last = new Map(f.last);
      addInto(last, acc.last, f.nul);
      acc.first = first;
      acc.last = last;
      acc.nul = cap(acc.nul * f.nul);
    }
    return acc;
  }

  get size(): number {
    return this.sets.length;
  }
}

/** Whether every match must begin at the start of the text (so the search loop adds nothing). */
function anchoredAtStart(node: Node): boolean {
  switch (node.type) {
    case 'assert':
      // Ruby's `^` is a line anchor; origins carry no newline, so it anchors as well.
      return node.kind === 'start' || node.kind === 'line-start';
    case 'alt':
      return node.branches.every(anchoredAtStart);
    case 'concat':
      for (const item of node.items) {
        if (anchoredAtStart(item)) return true;
        if (item.type !== 'assert') return false;
      }
      return false;
    default:
      return false;
  }
}

interface Step {
  node: number;
  char: string;
}

/**
 * Shortest nonempty word from `from` to a node `goal` accepts, over the graph `next` (optionally
 * kept `within` a set).
 */
function bfs(
  from: number,
  goal: (n: number) => boolean,
  next: (n: number) => Iterable<[number, bigint]>,
  within?: (n: number) => boolean,
  budget = 400_000,
): Step[] | undefined {
  const parent = new Map<number, { prev: number; char: string }>();
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    if (parent.size > budget) return undefined;
    for (const [m, bits] of next(queue[head])) {
      if ((within && !within(m)) || parent.has(m)) continue;
      parent.set(m, { prev: queue[head], char: pick(bits) });
      if (goal(m)) {
        const steps: Step[] = [];
        let at = m;
        do {
          const p = parent.get(at);
          if (!p) break;
          steps.unshift({ node: at, char: p.char });
          at = p.prev;
        } while (at !== from);
        return steps;
      }
      queue.push(m);
    }
  }
  return undefined;
}

const word = (steps: Step[]): string => steps.map((s) => s.char).join('');

/** The nearest common ancestor of positions, and the slice of the source it covers. */
function partOf(src: string, a: Automaton, positions: number[], preferLoop: boolean): string {
  const lists = positions.filter((p) => p > 0).map((p) => a.ancestors[p]);
  if (!lists.length) return src;
  let depth = 0;
  while (lists.every((l) => depth < l.length && l[depth] === lists[0][depth])) depth++;
  if (depth === 0) return src;
  if (preferLoop) {
    for (let d = depth - 1; d >= 0; d--) {
      const n = lists[0][d];
      if (n.type === 'repeat' && n.max === Infinity) return src.slice(n.start, n.end);
    }
  }
  const lca = lists[0][depth - 1];
  if (lca.type === 'concat' && lists.every((l) => l.length > depth)) {
    const children = lists.map((l) => l[depth]);
    return src.slice(
      Math.min(...children.map((c) => c.start)),
      Math.max(...children.map((c) => c.end)),
    );
  }
  return src.slice(lca.start, lca.end);
}

/**
 * Whether `pattern`, run by `flavor`'s own backtracking engine, can be made to take exponential
 * or polynomial time, with the responsible part and an attack string; null when no such input
 * exists as far as the analysis sees, or when the pattern cannot be parsed.
 */
export function backtrackingRisk(
  pattern: string,
  flavor: RegexFlavor,
  flags = '',
): BacktrackingRisk | null {
  let tree: Node;
  try {
    tree = parsePattern(pattern, flavor, flags);
  } catch {
    return null;
  }
  const anchored =
    flavor === 'python-match' ||
    flavor === 'python-fullmatch' ||
    (flavor === 'js' && flags.includes('y')) ||
    anchoredAtStart(tree);
  const a = new Automaton(tree, !anchored, flavor.startsWith('python'));
  if (a.size > 400) return null;
  const matcher = compileOrigin(pattern, flavor, flags);
  const matches = (s: string): boolean => (matcher.ok ? matcher.test(s) : false);
  const n = a.size;

  /** A suffix after prefix + pump×k that makes the whole match fail for every k tried. */
  const failingSuffix = (prefix: string, pump: string, state: number): string | undefined => {
    const exit = bfs(
      state,
      (m) => a.finals.has(m),
      (m) =>
        [...a.edges[m].values()].map((e): [number, bigint] => [
          e.to,
          e.to === 0 ? ALL : a.sets[e.to],
        ]),
    );
    const out = exit ? word(exit) : '';
    const candidates = [`${out}!`, `${out.slice(0, -1)}!`, '!', '\u0000', ' !', '\n!', '@!', '!!'];
    if (!matcher.ok) return candidates[0];
    return candidates.find((s) =>
      [0, 1, 2, 3, 5, 8].every((k) => !matches(prefix + pump.repeat(k) + s)),
    );
  };

  // Pair automaton: (x, y) -> (x', y') when both edges read a common character.
  const pairNext = (id: number): [number, bigint][] => {
    const x = Math.floor(id / n);
    const y = id % n;
    const out: [number, bigint][] = [];
    for (const ex of a.edges[x].values()) {
      for (const ey of a.edges[y].values()) {
        const bits = (ex.to === 0 ? ALL : a.sets[ex.to]) & (ey.to === 0 ? ALL : a.sets[ey.to]);
        if (bits) out.push([ex.to * n + ey.to, bits]);
      }
    }
    return out;
  };
  const exponential = (): BacktrackingRisk | null => {
    // Reachable pairs from the start, then their strongly connected components (iterative Tarjan).
    const nodes: number[] = [];
    const adj = new Map<number, [number, bigint][]>();
    const queue = [0];
    adj.set(0, []);
    for (let h = 0; h < queue.length; h++) {
      const next = pairNext(queue[h]);
      adj.set(queue[h], next);
      nodes.push(queue[h]);
      for (const [m] of next)
        if (!adj.has(m)) {
          adj.set(m, []);
          queue.push(m);
        }
      if (queue.length > 200_000) return null;
    }
    const comp = tarjan(nodes, (v) => (adj.get(v) ?? []).map(([m]) => m));
    const members = new Map<number, number[]>();
    for (const v of nodes) {
      const c = comp.get(v) ?? -1;
      members.set(c, [...(members.get(c) ?? []), v]);
    }
    for (const list of members.values()) {
      const diag = list.filter((v) => Math.floor(v / n) === v % n);
      if (!diag.length || list.length < 1) continue;
      const inComp = (m: number): boolean => comp.get(m) === comp.get(list[0]);
      const next = (v: number): [number, bigint][] => adj.get(v) ?? [];
      const witnesses: { pump: Step[]; d: number; part: string }[] = [];
      if (list.some((v) => Math.floor(v / n) !== v % n)) {
        // The shortest pump: from a diagonal pair to the nearest off-diagonal one and back.
        let best: { pump: Step[]; d: number } | undefined;
        for (const d of diag.slice(0, 32)) {
          const there = bfs(d, (m) => Math.floor(m / n) !== m % n, next, inComp);
          const back = there && bfs(there[there.length - 1].node, (m) => m === d, next, inComp);
          if (there && back && (!best || there.length + back.length < best.pump.length))
            best = { pump: [...there, ...back], d };
        }
        if (best) {
          const states = best.pump.flatMap((s) => [Math.floor(s.node / n), s.node % n]);
          witnesses.push({ ...best, part: partOf(pattern, a, states, true) });
        }
      }
      for (const d of diag) {
        const x = Math.floor(d / n);
        for (const e of a.edges[x].values()) {
          const to = e.to * n + e.to;
          if (e.mult < 2 || !inComp(to)) continue;
          const back = bfs(to, (m) => m === d, next, inComp);
          if (!back) continue;
          const outer = [...e.by].sort((p, q) => q.end - q.start - (p.end - p.start))[0];
          witnesses.push({
            pump: [{ node: to, char: pick(e.to === 0 ? ALL : a.sets[e.to]) }, ...back],
            d,
            part: pattern.slice(outer.start, outer.end),
          });
        }
      }
      for (const w of witnesses) {
        const pre =
          w.d === 0
            ? []
            : bfs(
                0,
                (m) => m === w.d,
                (v) => adj.get(v) ?? [],
              );
        if (!pre) continue;
        const prefix = word(pre);
        const pump = word(w.pump);
        const suffix = failingSuffix(prefix, pump, Math.floor(w.d / n));
        if (suffix === undefined) continue;
        const reps = Math.max(Math.ceil(30 / Math.max(pump.length, 1)), 1);
        return {
          kind: 'exponential',
          part: w.part,
          attack: prefix + pump.repeat(reps) + suffix,
          prefix,
          pump,
          suffix,
        };
      }
    }
    return null;
  };

  const polynomial = (): BacktrackingRisk | null => {
    // States on a cycle, and what each reaches.
    const stateComp = tarjan(
      Array.from({ length: n }, (_, k) => k),
      (v) => [...a.edges[v].keys()],
    );
    const onCycle = (v: number): boolean =>
      [...a.edges[v].keys()].some((w) => stateComp.get(w) === stateComp.get(v));
    const loops = Array.from({ length: n }, (_, k) => k).filter(onCycle);
    const reach = (from: number): Set<number> => {
      const seen = new Set<number>();
      const stack = [from];
      while (stack.length)
        for (const w of a.edges[stack.pop() ?? 0].keys())
          if (!seen.has(w)) {
            seen.add(w);
            stack.push(w);
          }
      return seen;
    };
    const labelOf = (to: number): bigint => (to === 0 ? ALL : a.sets[to]);
    let budget = 300_000;
    for (const p of loops) {
      const reachable = reach(p);
      for (const q of loops) {
        if (q === p || !reachable.has(q) || stateComp.get(q) === stateComp.get(p)) continue;
        const key = (x: number, y: number, z: number): number => (x * n + y) * n + z;
        const next = (id: number): [number, bigint][] => {
          const z = id % n;
          const y = Math.floor(id / n) % n;
          const x = Math.floor(id / n / n);
          const out: [number, bigint][] = [];
          for (const ex of a.edges[x].values())
            for (const ey of a.edges[y].values()) {
              const xy = labelOf(ex.to) & labelOf(ey.to);
              if (!xy) continue;
              for (const ez of a.edges[z].values()) {
                const bits = xy & labelOf(ez.to);
                if (bits) out.push([key(ex.to, ey.to, ez.to), bits]);
              }
            }
          return out;
        };
        const goal = key(p, q, q);
        const path = bfs(
          key(p, p, q),
          (m) => m === goal,
          next,
          undefined,
          Math.min(budget, 50_000),
        );
        budget -= 5_000;
        if (budget < 0) return null;
        if (!path) continue;
        const pre = p === 0 ? [] : bfs(0, (m) => m === p * n + p, pairNext);
        if (!pre) continue;
        const prefix = word(pre);
        const pump = word(path);
        const suffix = failingSuffix(prefix, pump, q);
        if (suffix === undefined) continue;
        const reps = Math.max(Math.ceil(10_000 / Math.max(pump.length, 1)), 1);
        const part = p === 0 ? partOf(pattern, a, [q], true) : partOf(pattern, a, [p, q], false);
        return {
          kind: 'polynomial',
          part,
          attack: prefix + pump.repeat(reps) + suffix,
          prefix,
          pump,
          suffix,
        };
      }
    }
    return null;
  };

  return exponential() ?? polynomial();
}

/** Strongly connected components (iterative Tarjan): node -> component id. */
function tarjan(nodes: number[], succ: (v: number) => number[]): Map<number, number> {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const comp = new Map<number, number>();
  const stack: number[] = [];
  const onStack = new Set<number>();
  let counter = 0;
  let comps = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { v: number; it: number[]; k: number }[] = [{ v: root, it: succ(root), k: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      if (top.k < top.it.length) {
        const w = top.it[top.k++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, it: succ(w), k: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v) ?? 0, index.get(w) ?? 0));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent) ?? 0, low.get(top.v) ?? 0));
      }
      if (low.get(top.v) === index.get(top.v)) {
        for (;;) {
          const w = stack.pop() ?? top.v;
          onStack.delete(w);
          comp.set(w, comps);
          if (w === top.v) break;
        }
        comps++;
      }
    }
  }
  return comp;
}
