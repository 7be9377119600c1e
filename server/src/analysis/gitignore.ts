/**
 * A small `.gitignore` matcher: comments, `!` negation, trailing `/` (folders only), patterns
 * with a `/` anchored to the file's folder, `*`, `?`, `**` and character classes. Enough for the
 * repositories CORS Lens walks; not every corner of git's rules (e.g. escaped trailing spaces).
 */
interface Rule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

function toRegex(glob: string, anchored: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length)
      re += glob[++i].replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${re}$`);
}

/** The rules of one `.gitignore`, matching paths relative to its folder (`/`-separated). */
export class GitIgnore {
  private readonly rules: Rule[] = [];

  constructor(content: string) {
    for (const raw of content.split(/\r?\n/)) {
      let line = raw.replace(/(?<!\\)\s+$/, '');
      if (line === '' || line.startsWith('#')) continue;
      const negate = line.startsWith('!');
      if (negate) line = line.slice(1);
      const dirOnly = line.endsWith('/');
      if (dirOnly) line = line.slice(0, -1);
      const anchored = line.includes('/');
      if (line.startsWith('/')) line = line.slice(1);
      if (line === '') continue;
      this.rules.push({ regex: toRegex(line, anchored), negate, dirOnly });
    }
  }

  /** Whether `relative` is ignored: the last matching rule decides (undefined: no rule matched). */
  ignores(relative: string, isDir: boolean): boolean | undefined {
    let verdict: boolean | undefined;
    for (const rule of this.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(relative)) verdict = !rule.negate;
    }
    return verdict;
  }
}
