/**
 * Our nginx grammar (grammars/nginx): a corpus of the constructs real configurations use must
 * parse without ERROR or MISSING nodes, `*_by_lua_block` bodies stay one opaque node, and every
 * configuration file Debian's nginx packages install under /etc/nginx parses cleanly.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { parseText } from '../../server/src/parsing/parser';

const CORPUS: Record<string, string> = {
  'http, server, location with every modifier': `http {
    server {
        listen 80 default_server;
        location / { }
        location = /exact { return 204; }
        location ^~ /static/ { alias /srv/static/; }
        location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; }
        location ~* \\.(png|jpe?g)$ { expires 30d; }
        location @fallback { proxy_pass http://app; }
        location =/joined { }
        location /outer/ { location /outer/inner/ { } }
    }
}`,
  'if with request method, origin regex and flags': `location /api/ {
    if ($request_method = 'OPTIONS') { return 204; }
    if ($http_origin ~* (https?://(app|admin)\\.example\\.com(:[0-9]+)?$)) { set $cors "1"; }
    if ($cors) { add_header Access-Control-Allow-Origin "$http_origin" always; }
    if (!-f $request_filename) { rewrite ^(.*)$ /index.php last; }
    if ( $http_origin = "https://a.test" ) { set $x 1; }
}`,
  'map allowlist with quoted keys, regexes and default': `map $http_origin $cors_origin {
    default "";
    hostnames;
    "~^https://([a-z0-9-]+\\.)*example\\.com$" $http_origin;
    ~*^http://localhost:\\d+$ $http_origin;
    https://partner.test $http_origin;
    \\default literal;
}`,
  'upstream with weight and backup': `upstream app {
    server 127.0.0.1:8000 weight=5 max_fails=3 fail_timeout=30s;
    server unix:/run/app.sock backup;
    keepalive 16;
}`,
  'include, variables, escapes, comments': `# a comment
include /etc/nginx/conf.d/*.conf; # trailing comment
set $a x\${host}y}z#not-a-comment;
set $b '\\'quoted\\' "x"';
log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                '$status $body_bytes_sent';
add_header X-Multi "a;b{c}";
return 200 "multi
line";`,
  'lua blocks kept opaque': `location /lua {
    content_by_lua_block {
        local t = { 1, 2, "}" }   -- a comment with a } and don't
        ngx.say("{" .. #t .. '}')
        if ngx.var.arg_x then ngx.exit(204) end
    }
    access_by_lua_block { ngx.var.a = "1" }
}`,
};

/** Every ERROR or MISSING node, as `type at row:column`. */
function problems(node: Node): string[] {
  const out: string[] = [];
  const walk = (n: Node) => {
    if (n.isError || n.isMissing)
      out.push(
        `${n.isMissing ? 'MISSING' : 'ERROR'} at ${n.startPosition.row + 1}:${n.startPosition.column + 1}`,
      );
    for (const child of n.children) if (child) walk(child);
  };
  walk(node);
  return out;
}

describe('nginx grammar', () => {
  for (const [name, text] of Object.entries(CORPUS)) {
    it(name, async () => {
      const tree = await parseText('nginx', text);
      try {
        assert.deepEqual(problems(tree.root), []);
      } finally {
        tree.delete();
      }
    });
  }

  it('keeps a Lua body as one lua_body node with no directives inside', async () => {
    const tree = await parseText('nginx', CORPUS['lua blocks kept opaque']);
    try {
      const bodies = tree.root.descendantsOfType('lua_body').filter((n): n is Node => !!n);
      assert.equal(bodies.length, 2);
      for (const body of bodies) assert.equal(body.namedChildCount, 0);
      assert.match(bodies[0].text, /^\{[\s\S]*ngx\.exit\(204\) end\s*\}$/);
    } finally {
      tree.delete();
    }
  });

  it('reads `map` entries as directives with quoted names', async () => {
    const tree = await parseText(
      'nginx',
      CORPUS['map allowlist with quoted keys, regexes and default'],
    );
    try {
      const names = tree.root
        .descendantsOfType('directive')
        .map((d) => d!.childForFieldName('name')!.type);
      assert.deepEqual(names, ['word', 'word', 'word', 'string', 'word', 'word', 'word']);
    } finally {
      tree.delete();
    }
  });

  it("parses every configuration file under /etc/nginx (Debian's nginx-light) with zero errors", async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() || (entry.isSymbolicLink() && statSync(full).isDirectory()))
          walk(full);
        else if (
          /\.conf$|\/(sites-[^/]+\/[^/]+|mime\.types|fastcgi_params|scgi_params|uwsgi_params|proxy_params)$/.test(
            full,
          )
        )
          files.push(full);
      }
    };
    walk('/etc/nginx');
    assert.ok(
      files.some((f) => f.endsWith('/etc/nginx/nginx.conf')),
      '/etc/nginx/nginx.conf is missing: install Debian nginx-light (test/install-system.sh)',
    );
    for (const file of files) {
      const tree = await parseText('nginx', readFileSync(file, 'utf8'));
      try {
        assert.deepEqual(problems(tree.root), [], file);
      } finally {
        tree.delete();
      }
    }
  });
});
