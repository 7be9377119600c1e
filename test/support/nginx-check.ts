import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `nginx -t` on an nginx text in a temp prefix: a whole configuration (it has `http {`) as is, a
 * site file (`server {` blocks) inside `http { include ...; }`, a server snippet inside a
 * `server {}` too. Returns nginx's complaint, or '' when the configuration is valid.
 */
export function nginxCheck(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-nginx-t-'));
  try {
    mkdirSync(path.join(dir, 'logs'));
    // A compose service's name (`proxy_pass http://api:4000`, `fastcgi_pass php:9000`, an
    // upstream's `server api:4000`) resolves
    // only inside Docker's network; `nginx -t` resolves upstream hosts, so such a name is tested
    // as 127.0.0.1.
    // A snippet the file includes by a path of the deployed machine (`include
    // /etc/nginx/conf.d/cors.conf;`) is another file: tested as an empty one here.
    let placeholders = 0;
    const resolvable = text
      .replace(
        /(\b(?:proxy_pass\s+https?:\/\/|(?:fastcgi|uwsgi)_pass\s+|server\s+))(?!localhost\b)[a-z][\w-]*(?=:\d)/gi,
        '$1127.0.0.1',
      )
      .replace(/(\binclude\s+)(\/[^\s;*]+)(?=\s*;)/g, (whole, keyword: string, file: string) => {
        if (existsSync(file)) return whole;
        const name = `included-${++placeholders}.conf`;
        writeFileSync(path.join(dir, name), '');
        return `${keyword}${name}`;
      });
    // The parameter files every distribution ships beside nginx.conf (`include fastcgi_params;`).
    for (const name of ['fastcgi_params', 'uwsgi_params', 'scgi_params', 'mime.types']) {
      const shipped = path.join('/etc/nginx', name);
      writeFileSync(path.join(dir, name), existsSync(shipped) ? readFileSync(shipped, 'utf8') : '');
    }
    writeFileSync(path.join(dir, 'site.conf'), resolvable);
    const wrapper = /^\s*http\s*\{/m.test(text)
      ? resolvable
      : /^\s*server\s*\{/m.test(text)
        ? 'events {}\nhttp {\n    include site.conf;\n}\n'
        : 'events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        include site.conf;\n    }\n}\n';
    writeFileSync(path.join(dir, 'nginx.conf'), wrapper);
    execFileSync(
      '/usr/sbin/nginx',
      ['-t', '-q', '-p', `${dir}/`, '-c', 'nginx.conf', '-e', 'logs/error.log'],
      { stdio: 'pipe' },
    );
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
