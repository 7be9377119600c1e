import path from 'node:path';

/**
 * The major version of Express the project of `file` installs: the lockfile's resolved version,
 * else the range in the nearest package.json (`^4.18.2`, `4.x`, `~5.0.0`); undefined when neither
 * says (the checks then assume the current major, 5). `read` returns '' for a missing file.
 */
export function expressMajor(file: string, read: (file: string) => string): number | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = read(path.join(dir, 'package.json'));
    if (manifest)
      return lockedMajor(read(path.join(dir, 'package-lock.json'))) ?? declaredMajor(manifest);
    if (dir === path.dirname(dir)) return undefined;
  }
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** `packages["node_modules/express"].version` of an npm lockfile (v2/v3). */
function lockedMajor(lockfile: string): number | undefined {
  const lock = parse(lockfile) as { packages?: Record<string, { version?: string }> } | undefined;
  return majorOf(lock?.packages?.['node_modules/express']?.version);
}

/** The major of the `express` range a package.json declares in any dependency list. */
function declaredMajor(manifest: string): number | undefined {
  const pkg = parse(manifest) as Record<string, Record<string, string> | undefined> | undefined;
  for (const list of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const range = pkg?.[list]?.express;
    if (typeof range === 'string') return majorOf(range);
  }
  return undefined;
}

/**
 * The first major a version or simple range names (`^4.18.2`, `~4`, `4.x`, `>=5.0.0`); undefined
 * for `*`, tags, URLs.
 */
const majorOf = (version: string | undefined): number | undefined => {
  const match = version && /^\s*(?:[\^~=v]|>=)?\s*(\d+)(?:[.x*\s]|$)/.exec(version);
  return match ? Number(match[1]) : undefined;
};
