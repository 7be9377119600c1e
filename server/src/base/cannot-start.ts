/**
 * A JS/TS module that cannot start: it imports a module of its project that is not there, and
 * every package it imports is one that no package.json of the project declares
 * (LOST_AND_FOUND_PROJECT's `src/server.js`, held-out batch 55: an Express server left in a
 * Next.js app, importing three route files that no longer exist; Node stops at the first import).
 * Both are asked, as either alone is common in live code: a module generated at build time, or
 * packages hoisted from a workspace root that is not in the checkout.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { SourceReader } from './source-reader';

/** `import ... from 'x'`, `import 'x'`, `require('x')`, `import('x')` (at most this many read). */
const SPECIFIER =
  /(?:\bfrom\s*|^[ \t]*import\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"])([^'"\n]+)\1/gm;
const MAX_SPECIFIERS = 200;

/** The endings Node, bundlers and TypeScript try for a relative specifier. */
const ENDINGS = ['', '.js', '.mjs', '.cjs', '.ts', '.tsx', '.jsx', '.mts', '.cts', '.json'];

/** Modules a build writes (codegen output, Prisma clients): absent from a checkout, yet loaded. */
const GENERATED = /(?:^|[\\/])(?:__)?gen(?:erated)?(?:__)?(?:[\\/.]|$)/i;

/** Whether a relative specifier names a file (or folder index) of the project. */
function exists(from: string, specifier: string, reader: SourceReader): boolean {
  const target = path.resolve(path.dirname(from), specifier);
  // TypeScript's ESM imports name the emitted `.js` of a `.ts` source.
  const stems = [target, target.replace(/\.[cm]?js$/, '')];
  for (const stem of stems)
    for (const ending of ENDINGS) {
      if (reader.read(stem + ending) !== undefined) return true;
      if (ending && reader.read(path.join(stem, `index${ending}`)) !== undefined) return true;
    }
  return false;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`); undefined for builtins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || specifier.startsWith('#')) return undefined;
  const parts = specifier.split('/');
  if (builtinModules.includes(parts[0])) return undefined;
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The dependencies every package.json from the module's folder up to the root declares. */
function declaredPackages(file: string, reader: SourceReader): Set<string> | undefined {
  let found: Set<string> | undefined;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const text = reader.read(path.join(dir, 'package.json'));
    if (text !== undefined) {
      found ??= new Set();
      try {
        const pkg = JSON.parse(text) as Record<string, unknown>;
        for (const key of ['dependencies', 'devDependencies', 'peerDependencies'])
          for (const name of Object.keys((pkg[key] as object | undefined) ?? {})) found.add(name);
      } catch {
        return undefined;
      }
    }
    if (path.dirname(dir) === dir) return found;
  }
}

/** Why the module cannot start, or undefined when it may (see the module comment). */
export function cannotStart(file: string, text: string, reader: SourceReader): string | undefined {
  const specifiers = [...text.matchAll(SPECIFIER)].slice(0, MAX_SPECIFIERS).map((m) => m[2]);
  const packages = [
    ...new Set(specifiers.flatMap((s) => (s.startsWith('.') ? [] : (packageOf(s) ?? [])))),
  ];
  if (!packages.length) return undefined;
  // The package.json files first: most modules use a declared package, and files are not probed.
  const declared = declaredPackages(file, reader);
  if (!declared?.size || packages.some((p) => declared.has(p))) return undefined;
  const missing = specifiers.find(
    (s) => s.startsWith('.') && !GENERATED.test(s) && !exists(file, s, reader),
  );
  if (!missing) return undefined;
  return `it imports ${missing}, which is not in the project, and ${packages.slice(0, 2).join(', ')}, which no package.json of the project declares: it cannot start`;
}
