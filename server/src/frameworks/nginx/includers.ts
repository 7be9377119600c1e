/**
 * Where a snippet (a file of bare directives: no `http`, no `server`) is included, seen from the
 * snippet: the `location`s of its project's nginx files whose blocks `include` it. A snippet
 * checked alone has no location; h5bp's `cross-domain-insecure.conf` (`add_header
 * Access-Control-Allow-Origin "*"`) is included only in a webfont location served from disk
 * (tinypixel.io's trellis copy, held-out batch 33), where its lack of `always` changes nothing.
 */
import { escapeRegex } from '../../base/regex';
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import { nearbyFiles } from '../../base/nearby-files';
import { wildcardMatch } from '../../base/glob';
import { grammarFor, grammarForText, maySniff } from '../../parsing/languages';

/** One place the snippet is included: the enclosing location's header, if any. */
export interface IncludeSite {
  file: string;
  /** `location ~* \.(?:ttf|woff2)$`'s modifier and pattern; undefined outside a location. */
  location?: { modifier: string; pattern: string; block: string };
}

/** Blanks comments and quoted strings (same length), so braces and `include`s are found by offset. */
export function code(text: string): string {
  return text.replace(/#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (m) =>
    m[0] === '#' ? ' '.repeat(m.length) : m[0] + ' '.repeat(m.length - 2) + m[0],
  );
}

/** The innermost `location` block around an offset: its header's words and its block's text. */
function locationAround(masked: string, at: number): IncludeSite['location'] {
  const open: { header: string; start: number }[] = [];
  let statement = 0;
  for (let i = 0; i < at; i++) {
    const c = masked[i];
    if (c === '{') {
      open.push({ header: masked.slice(statement, i).trim(), start: i });
      statement = i + 1;
    } else if (c === '}') {
      open.pop();
      statement = i + 1;
    } else if (c === ';') statement = i + 1;
  }
  for (let depth = open.length - 1; depth >= 0; depth--) {
    const words = open[depth].header.split(/\s+/);
    if (words[0] !== 'location') continue;
    const [modifier, pattern] = words.length > 2 ? [words[1], words[2]] : ['', words[1] ?? ''];
    let end = open[depth].start;
    for (let level = 0; end < masked.length; end++) {
      if (masked[end] === '{') level++;
      else if (masked[end] === '}' && --level === 0) break;
    }
    return { modifier, pattern, block: masked.slice(open[depth].start, end + 1) };
  }
  return undefined;
}

/**
 * The places the nearest of the project's nginx files include `file` by a path ending in its name
 * (as h5bp's `include h5bp/directive-only/x.conf;`), from the first folder level up that has any;
 * undefined when none is found (a snippet no file includes: it may be included anywhere).
 */
export function includeSites(file: string, reader: SourceReader): IncludeSite[] | undefined {
  const name = path.basename(file);
  const nginxNamed = (other: string) =>
    other !== file && (grammarFor(other) === 'nginx' || maySniff(other));
  for (const level of nearbyFiles(file, reader, nginxNamed)) {
    const sites = level.flatMap((other) => sitesIn(other, reader.read(other), name));
    if (sites.length) return sites;
  }
  return undefined;
}

/**
 * A project nginx file that includes `file` only in comments (`#include /etc/nginx/cors;`) when no
 * nginx file of the project includes it for real: the snippet was switched off, and nginx never
 * reads it (apoweroftrance's `nginx/cors`, held-out batch 46: five includes, all commented out).
 */
export function commentedOutIncluder(file: string, reader: SourceReader): string | undefined {
  const name = path.basename(file);
  const nginxNamed = (other: string) =>
    other !== file && (grammarFor(other) === 'nginx' || maySniff(other));
  let commented: string | undefined;
  for (const level of nearbyFiles(file, reader, nginxNamed))
    for (const other of level) {
      const text = reader.read(other);
      if (!text?.includes(name) || grammarForText(other, text) !== 'nginx') continue;
      if (sitesIn(other, text, name).length) return undefined;
      const off = new RegExp(`#\\s*include\\s+[^;{}\\n]*\\b${escapeRegex(name)}['"]?\\s*;`);
      if (!commented && off.test(text)) commented = other;
    }
  return commented;
}

/**
 * A whole nginx configuration of the project (an `http {` block: the file that replaces the
 * image's nginx.conf) whose includes name files one by one, or by globs that cannot pick `file`
 * up (`mayPick`), when no nginx file of the project includes it: nginx reads only what it names,
 * so the snippet is never read (KornBeat's `cors.conf`, copied beside a nginx.conf that includes
 * only mime.types; held-out batch 53). With the globs it includes. Undefined when a glob may pick
 * the snippet up, or no whole configuration is seen in the snippet's folder or the one above it.
 */
export function closedConfig(
  file: string,
  reader: SourceReader,
): { config: string; globs: string[] } | undefined {
  // The snippet's folder and the one above only: a sibling project's nginx.conf loads nothing here.
  const near = new Set([path.dirname(file), path.dirname(path.dirname(file))]);
  const nginxNamed = (other: string) =>
    other !== file &&
    near.has(path.dirname(other)) &&
    (grammarFor(other) === 'nginx' || maySniff(other));
  for (const level of nearbyFiles(file, reader, nginxNamed)) {
    const texts = level.map((other) => ({ other, text: code(reader.read(other) ?? '') }));
    if (!texts.length) continue;
    const whole = texts.find(({ text }) => /(?:^|[;{}\s])http\s*\{/.test(text));
    // Sibling snippets only (blueboot's snippets/ beside its nginx.conf one up, held-out batch 57).
    if (!whole) continue;
    const includes = [...whole.text.matchAll(/(?:^|[;{}\s])include\s+([^;{}]+);/g)];
    const globs = includes.map((m) => m[1].trim()).filter((p) => p.includes('*'));
    return globs.some((glob) => mayPick(glob, file, reader))
      ? undefined
      : { config: whole.other, globs };
  }
  return undefined;
}

/** Characters of a Dockerfile or compose file read for where a snippet lands, at most. */
const MAX_RECIPE = 100_000;

/** Image recipes and compose files, whose copies and volumes say where a snippet lands. */
const DEPLOY_FILE = /(?:^|[\\/])(?:[^\\/]*dockerfile[^\\/]*|(?:docker-)?compose[^\\/]*\.ya?ml)$/i;

/**
 * Whether an `include` glob may read the snippet: its name fits the glob's, and the glob's folder
 * is where it sits (`conf.d/*.conf` beside a `conf.d/cors.conf`), names no folder (nginx's own,
 * where the image copies the configuration), or is a folder a Dockerfile or compose file of the
 * project names (it may copy the snippet there). parkings' `modules-enabled/*.conf`, in a config
 * its Dockerfile copies to /etc/nginx, never reads the `cors.conf` beside it (held-out batch 54).
 */
function mayPick(glob: string, file: string, reader: SourceReader): boolean {
  if (!wildcardMatch(path.basename(glob), path.basename(file))) return false;
  const folder = path.basename(path.dirname(glob));
  if (!folder || folder === '.' || folder.includes('*')) return true;
  const own = path.basename(path.dirname(file));
  if (folder === own) return true;
  const named = new RegExp(`(?:^|[\\/\s'"])${escapeRegex(folder)}(?:[\\/\s'"]|$)`, 'm');
  // A volume or COPY of the snippet's own folder to an absolute path says where it lands (blueboot's
  // `./nginx/snippets:/etc/nginx/snippets` beside `./nginx/conf.d:/etc/nginx/conf.d`, held-out
  // batch 57): elsewhere than the glob's folder, the glob never reads it.
  const copied = new RegExp(
    `(?:^|[\\s'"])[\\w./-]*\\b${escapeRegex(own)}\\/?(?::|\\s+)(\\/[\\w./-]*?)\\/?(?::r[ow])?['"]?[ \\t]*$`,
    'gm',
  );
  // The snippet's folder and two above: a project's recipes sit beside its nginx folder.
  let levels = 0;
  for (const level of nearbyFiles(file, reader, (other) => DEPLOY_FILE.test(other))) {
    for (const other of level) {
      // A recipe is a few KB of short lines: a huge file or a long line is not searched.
      const text = (reader.read(other) ?? '')
        .slice(0, MAX_RECIPE)
        .split('\n')
        .filter((line) => line.length <= 2000)
        .join('\n');
      const targets = [...text.matchAll(copied)].map((m) => path.basename(m[1]));
      if (targets.includes(folder)) return true;
      if (!targets.length && named.test(text)) return true;
    }
    if (++levels >= 3) break;
  }
  return false;
}

/** The `include`s of a snippet named `name` in one file, each with its enclosing location. */
function sitesIn(file: string, text: string | undefined, name: string): IncludeSite[] {
  if (!text?.includes(name) || grammarForText(file, text) !== 'nginx') return [];
  const masked = code(text);
  const sites: IncludeSite[] = [];
  for (const match of text.matchAll(/\binclude\s+([^;{}]+);/g)) {
    // Not in a comment; the last part of the path (quotes dropped) is the snippet's name.
    if (!masked.startsWith('include', match.index)) continue;
    if (path.basename(match[1].trim().replace(/^(['"])(.*)\1$/, '$2')) !== name) continue;
    sites.push({ file, location: locationAround(masked, match.index) });
  }
  return sites;
}
