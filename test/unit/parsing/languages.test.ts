/**
 * Which grammar reads a file whose name says little (`default.conf.tpl.external`, a `cors_support`
 * snippet): the path keeps it for a look at its text, the text decides.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeTree } from '../../../server/src/analysis/analyze';
import { defaultSettings } from '../../../server/src/analysis/settings';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { grammarFor, grammarForText, maySniff } from '../../../server/src/parsing/languages';
import { parseText } from '../../../server/src/parsing/parser';

const shapes = path.join(__dirname, '../../fixtures/real-shapes');
const read = (file: string) => readFileSync(path.join(shapes, file), 'utf8');

describe('nginx recognised by its text', () => {
  it('a template with one more suffix after .tpl is nginx when its text is', () => {
    const file = '/srv/gateway/default.conf.tpl.public';
    assert.equal(grammarFor(file), undefined);
    assert.equal(maySniff(file), true);
    assert.equal(
      grammarForText(file, read('nginx-template-extra-suffix/gateway/default.conf.tpl.public')),
      'nginx',
    );
  });

  it('an extensionless cors snippet of if blocks is nginx; other text under such a name is not', () => {
    const file = '/srv/server/cors_support';
    assert.equal(
      grammarForText(file, read('nginx-cors-support-snippet/server/cors_support')),
      'nginx',
    );
    assert.equal(grammarForText(file, 'CORS notes\nif (x) {\n  return y;\n}\n'), undefined);
  });

  it('an extensionless site file anywhere is nginx when its text is; a script is not', () => {
    // musicbrainz-docker's build/musicbrainz/001-musicbrainz (held-out batch 25): no extension, no
    // nginx folder.
    const site =
      'server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://app:5000;\n        add_header Access-Control-Allow-Origin "*";\n    }\n}\n';
    const file = '/srv/deploy/web/001-api';
    assert.equal(grammarFor(file), undefined);
    assert.equal(maySniff(file), true);
    assert.equal(grammarForText(file, site), 'nginx');
    // A Perl script has `if ($x) {` and `return ...;` lines too; nginx never starts with #!.
    const script = '#!/usr/bin/perl\nsub ok {\n  if ($ENV{DEBUG}) {\n    return 1;\n  }\n}\n';
    assert.equal(grammarForText('/srv/bin/check-site', script), undefined);
  });

  it('a Chef ERB template is nginx when its text is; a Rails view is not', () => {
    const block =
      '<% if @fonts %>\nlocation ~* \\.(woff|ttf)$ {\n  add_header Access-Control-Allow-Origin <%= @origin %>;\n}\n<% end %>\n';
    assert.equal(grammarForText('/c/templates/default/location.block.erb', block), 'nginx');
    const view = '<% if @user %>\n<p>Hello <%= @user.name %>;</p>\n<% end %>\n';
    assert.equal(grammarForText('/app/views/home/index.html.erb', view), undefined);
  });

  it('a snippet of add_header lines only is nginx', () => {
    const text = "add_header 'Access-Control-Allow-Origin' '$http_origin' always;\n";
    assert.equal(grammarForText('/srv/cors-common.conf', text), 'nginx');
  });

  it('the editor analyses a sniffed file with the grammar its text chose', async () => {
    const file = path.join(shapes, 'nginx-template-extra-suffix/gateway/default.conf.tpl.public');
    const text = readFileSync(file, 'utf8');
    const tree = await parseText('nginx', text);
    try {
      const analysis = await analyzeTree(file, text, tree, new DiskReader(), defaultSettings);
      assert.ok(analysis.policies.some((p) => p.framework === 'nginx' && p.configured));
      assert.deepEqual(
        analysis.findings
          .filter((f) => f.severity !== 'info')
          .map((f) => [f.check, text.slice(0, f.span.start).split('\n').length]),
        [['nginx-add-header-without-always', 22]],
      );
    } finally {
      tree.delete();
    }
  });
});

describe('NelmioCorsBundle options recognised by their text', () => {
  it('a Symfony 2/3 app/config/*.yml holding a nelmio_cors key is YAML to analyse; others are not', () => {
    const nelmio =
      'framework:\n    secret: x\n\nnelmio_cors:\n    defaults:\n        allow_origin: []\n';
    assert.equal(grammarFor('app/config/config.yml'), undefined);
    assert.equal(maySniff('app/config/config.yml'), true);
    assert.equal(grammarForText('app/config/config.yml', nelmio), 'yaml');
    assert.equal(
      grammarForText('app/config/config_prod.yml', 'framework:\n    secret: x\n'),
      undefined,
    );
    // Only a top-level key: an indented mention is another bundle's option.
    assert.equal(
      grammarForText('config/services.yaml', 'parameters:\n  nelmio_cors: x\n'),
      undefined,
    );
  });
});
