import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createParser } from '../../../server/src/parsing/parser';
import { SegmentedParse } from '../../../server/src/parsing/segmented-parse';
import { maskTemplates } from '../../../server/src/parsing/template-mask';

const template = readFileSync(
  path.join(
    __dirname,
    '../../fixtures/real-shapes/nginx-ansible-jinja-template/roles/web/templates/site.tpl',
  ),
  'utf8',
);

describe('Jinja in nginx templates', () => {
  it('masks tags, comments and expressions in place, same length, same lines', () => {
    const text = "{# c #}\n{%- if a %}\nserver_name {{ x | default('y') }};\n{% endif %}\n";
    const masked = maskTemplates(text);
    assert.equal(masked.length, text.length);
    assert.deepEqual(
      masked.split('\n').map((l) => l.length),
      text.split('\n').map((l) => l.length),
    );
    assert.equal(masked.split('\n')[2], 'server_name $__x___default__y_____;');
    assert.match(masked.split('\n')[1], /^ +$/);
    assert.equal(maskTemplates('server { listen 80; }'), 'server { listen 80; }');
  });

  it('parses a Jinja template with no syntax error, before and after an edit', async () => {
    const parser = await createParser('nginx');
    try {
      assert.ok(parser.parse(template)!.rootNode.hasError, 'the raw template does not parse');
      const parse = SegmentedParse.parse(parser, 'nginx', template);
      assert.equal(parse.tree.root.hasError, false);
      parse.update(
        parser,
        template.replace(
          '{% endif %}',
          '{% endif %}{# checked #}\n        add_header X-Env {{ env }};',
        ),
      );
      assert.equal(parse.tree.root.hasError, false);
    } finally {
      parser.delete();
    }
  });
});
