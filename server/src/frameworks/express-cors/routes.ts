/**
 * An app's routes, read once per file and shared by every `cors()` policy of the app, indexed by
 * the literal segments of their path. Each policy used to carry the whole stack (its mounts merged
 * with every route): a file of thousands of routes, each with its own `cors()`, was quadratic in
 * time and memory. Lookups return a superset of the routes that can match, in registration order;
 * callers still match each one with `expressPathMatches`, so answers are the same as a full scan.
 */
import { createHash } from 'node:crypto';
import { expressPathMatches, type ExpressPath } from '../../lang/javascript/express-path';
import type { Policy } from '../../policy/types';
import { factsOf } from '../../policy/types';
import type { ExpressLayer } from './facts';

/** Characters that make a path segment more than literal text in path-to-regexp 8. */
const SPECIAL = /[\\:*{}()[\]?+!]/;
/** Plain ASCII: Express matches case-insensitively, and re2's folding maps `ſ` to `s`, `K` to `k`. */
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The segments of a path in lower case, without one leading `/` and any trailing ones (a route
 * also matches with a trailing slash, a mount at `/` covers everything).
 */
function segmentsOf(path: string): string[] {
  const inner = path.replace(/^\//, '').replace(/\/+$/, '').toLowerCase();
  return inner === '' ? [] : inner.split('/');
}

/** A concrete path's segments; none for one that is not plain ASCII (it is matched against all). */
const concreteSegments = (path: string): string[] | undefined =>
  ASCII.test(path) ? segmentsOf(path) : undefined;

/**
 * The literal segments a route or mount path starts with, and whether that is all of it: every
 * path it matches starts with those segments.
 */
function literalPrefix(path: ExpressPath): { segments: string[]; whole: boolean } {
  if (path.kind !== 'string') return { segments: [], whole: false };
  const all = segmentsOf(path.value);
  const literal = all.findIndex((s) => SPECIAL.test(s) || !ASCII.test(s));
  return literal < 0
    ? { segments: all, whole: true }
    : { segments: all.slice(0, literal), whole: false };
}

/** A path a route answers, to test whether a mount covers it (parameters filled in). */
export const samplePath = (route: ExpressLayer): string | undefined =>
  route.path.kind === 'string'
    ? route.path.value
        .replace(/:(\w+)/g, 'x')
        .replace(/\*\w+/g, 'x')
        .replace(/[{}]/g, '')
    : undefined;

/** Two lists in registration order as one. */
function merged(a: readonly ExpressLayer[], b: readonly ExpressLayer[]): ExpressLayer[] {
  if (!b.length) return [...a];
  if (!a.length) return [...b];
  const out: ExpressLayer[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length)
    out.push(j >= b.length || (i < a.length && a[i].at < b[j].at) ? a[i++] : b[j++]);
  return out;
}

/** Lists of distinct layers, as one in registration order. */
const mergedAll = (lists: readonly (readonly ExpressLayer[])[]): ExpressLayer[] =>
  lists.flat().sort((a, b) => a.at - b.at);

/** Layers by path segments. */
class SegmentTrie {
  private readonly children = new Map<string, SegmentTrie>();
  /** Layers whose path is exactly these segments. */
  readonly here: ExpressLayer[] = [];
  /** Layers whose path starts with these segments and goes on with a pattern. */
  readonly below: ExpressLayer[] = [];

  /** The child of `segment`, made when missing. */
  child(segment: string): SegmentTrie {
    let next = this.children.get(segment);
    if (!next) this.children.set(segment, (next = new SegmentTrie()));
    return next;
  }

  /** The nodes from here along `segments`, as far as they exist. */
  path(segments: readonly string[]): SegmentTrie[] {
    const nodes: SegmentTrie[] = [this];
    for (const segment of segments) {
      const next = nodes[nodes.length - 1].children.get(segment);
      if (!next) break;
      nodes.push(next);
    }
    return nodes;
  }

  /** Every layer at or under this node. */
  subtree(): ExpressLayer[][] {
    // A loop, not recursion: a path may have thousands of segments.
    const lists: ExpressLayer[][] = [];
    const pending: SegmentTrie[] = [this];
    for (let node = pending.pop(); node; node = pending.pop()) {
      lists.push(node.here, node.below);
      pending.push(...node.children.values());
    }
    return lists;
  }
}

/** One app's routes in registration order, indexed for lookups by request path and by mount. */
export class ExpressRoutes {
  /** Every route, in registration order. */
  readonly all: ExpressLayer[] = [];
  /** Routes by their path's literal segments. */
  private readonly byPath = new SegmentTrie();
  /** Routes by their sample path's segments (what a mount is tested against). */
  private readonly bySample = new SegmentTrie();
  /** Routes whose sample path is not plain ASCII: tested against every mount. */
  private readonly anySample: ExpressLayer[] = [];
  private digest?: string;

  /** Adds a route registered after every route added so far. */
  add(route: ExpressLayer): void {
    this.all.push(route);
    const { segments, whole } = literalPrefix(route.path);
    const node = segments.reduce((n, segment) => n.child(segment), this.byPath);
    (whole ? node.here : node.below).push(route);
    const sample = samplePath(route);
    if (sample === undefined) return;
    const sampleSegments = concreteSegments(sample);
    if (sampleSegments)
      sampleSegments.reduce((n, segment) => n.child(segment), this.bySample).here.push(route);
    else this.anySample.push(route);
  }

  /** The routes that may match `pathname` (a superset, in registration order). */
  candidates(pathname: string): ExpressLayer[] {
    const segments = concreteSegments(pathname);
    if (!segments) return [...this.all];
    const nodes = this.byPath.path(segments);
    const lists = nodes.map((n) => n.below);
    if (nodes.length === segments.length + 1) lists.push(nodes[nodes.length - 1].here);
    return mergedAll(lists);
  }

  /** The routes registered before a prefix `mount` that it covers, in registration order. */
  coveredBy(mount: ExpressLayer): ExpressLayer[] {
    const { segments } = literalPrefix(mount.path);
    const nodes = this.bySample.path(segments);
    const lists = nodes.length === segments.length + 1 ? nodes[nodes.length - 1].subtree() : [];
    const covered: ExpressLayer[] = [];
    for (const route of mergedAll([...lists, this.anySample])) {
      if (route.at >= mount.at) break;
      const sample = samplePath(route);
      if (sample !== undefined && expressPathMatches(mount.path, sample, true)) covered.push(route);
    }
    return covered;
  }

  /**
   * What `JSON.stringify` writes for the routes (the language server compares an app's facts as
   * text): a digest computed once, since every policy of the app holds this same object.
   */
  toJSON(): string {
    this.digest ??= createHash('sha256').update(JSON.stringify(this.all)).digest('hex');
    return this.digest;
  }
}

/** The index of `routes`, given in registration order. */
export function routesOf(routes: ExpressLayer[]): ExpressRoutes {
  const index = new ExpressRoutes();
  for (const route of routes) index.add(route);
  return index;
}

/** A policy's own `cors()` layers and the app's routes, in registration order (`at`). */
export const stackOf = (mounts: readonly ExpressLayer[], routes: readonly ExpressLayer[]) =>
  merged(mounts, routes);

/**
 * Sample paths of the routes a policy's `cors()` layers run for: registered at or after a layer
 * (its own route too) and matched by its path, in registration order, once each.
 */
export function coveredRoutes(policy: Policy): string[] {
  const facts = factsOf(policy, 'express-cors');
  if (!facts) return [];
  const out = new Set<string>();
  for (const route of facts.routes.all) {
    const sample = samplePath(route);
    if (
      sample !== undefined &&
      facts.mounts.some((m) => route.at >= m.at && expressPathMatches(m.path, sample, m.prefix))
    )
      out.add(sample);
  }
  return [...out];
}
