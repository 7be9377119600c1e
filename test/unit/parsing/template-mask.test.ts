import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createParser } from '../../../server/src/parsing/parser';
import { SegmentedParse } from '../../../server/src/parsing/segmented-parse';
import { maskJinjaPython, maskTemplates } from '../../../server/src/parsing/template-mask';

const template = readFileSync(
  path.join(
    __dirname,
    '../../fixtures/real-shapes/nginx-ansible-jinja-template/roles/web/templates/site.tpl',
  ),
  'utf8',
);

/** Whether the nginx grammar parses `text` with no syntax error. */
async function parsesClean(text: string): Promise<boolean> {
  const parser = await createParser('nginx');
  try {
    return !parser.parse(text)!.rootNode.hasError;
  } finally {
    parser.delete();
  }
}

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

  it('blanks an expression alone on its line (it prints directives), keeps one in a directive', async () => {
    const text =
      '<% @prefixes.each do |p| %>\nlocation /<%= p %>/ {\n  add_header X-A 1;\n}\n<% end %>\n  <%= @extra %>\n';
    const masked = maskTemplates(text);
    assert.equal(masked.length, text.length);
    assert.match(masked.split('\n')[5], /^ +$/);
    assert.equal(masked.split('\n')[1], 'location /$___p___/ {');
    assert.ok(await parsesClean(masked));
  });

  it('reads an upper-case {PLACEHOLDER} as a variable, and leaves regex quantifiers alone', async () => {
    const text =
      'server {\n  server_name {MEDIA_DOMAIN};\n  location ~ "^/a{2,3}$" {\n    add_header Access-Control-Allow-Origin "{CORS_ORIGIN}" always;\n  }\n}\n';
    const masked = maskTemplates(text);
    assert.equal(masked.length, text.length);
    assert.equal(masked.split('\n')[1], '  server_name $MEDIA_DOMAIN_;');
    assert.equal(masked.split('\n')[2], '  location ~ "^/a{2,3}$" {');
    assert.ok(!(await parsesClean(text)), 'the raw template does not parse');
    assert.ok(await parsesClean(masked));
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

  it('masks Go template actions (Helm) to spaces and keeps their expressions as variables', async () => {
    const text =
      'http {\n  {{- range .Values.hosts }}\n  {{- $apex := .url | quote }}\n  server { server_name {{ $apex }}; }\n  {{- end }}\n}\n';
    const masked = maskTemplates(text);
    assert.equal(masked.length, text.length);
    for (const line of [1, 2, 4]) assert.match(masked.split('\n')[line], /^ +$/);
    assert.equal(masked.split('\n')[3], '  server { server_name $___apex___; }');
    assert.ok(!(await parsesClean(text)), 'the raw template does not parse');
    assert.ok(await parsesClean(masked));
  });

  it('masks ERB (Chef, Puppet) the same way: tags to spaces, <%= %> to a variable', async () => {
    const text =
      'server {\n  <% if @cors_origin -%>\n  add_header Access-Control-Allow-Origin <%= @cors_origin %>;\n  <% end -%>\n}\n';
    const masked = maskTemplates(text);
    assert.equal(masked.length, text.length);
    assert.match(masked.split('\n')[1], /^ +$/);
    assert.equal(
      masked.split('\n')[2],
      '  add_header Access-Control-Allow-Origin $____cors_origin___;',
    );
    const parser = await createParser('nginx');
    try {
      assert.ok(parser.parse(text)!.rootNode.hasError, 'the raw template does not parse');
      assert.equal(SegmentedParse.parse(parser, 'nginx', text).tree.root.hasError, false);
    } finally {
      parser.delete();
    }
  });
});

describe('Jinja in Python templates (cookiecutter)', () => {
  const settings = readFileSync(
    path.join(
      __dirname,
      '../../fixtures/real-shapes/django-cookiecutter-jinja-settings/{{cookiecutter.project_slug}}/config/settings/base.py',
    ),
    'utf8',
  );

  it('masks tags to spaces and expressions to a same-length name, only in a template', () => {
    const text = 'A = [\n{%- if x == "y" %}\n    "{{ cookiecutter.slug }}",\n{%- endif %}\n]\n';
    const masked = maskJinjaPython(text);
    assert.equal(masked.length, text.length);
    assert.match(masked.split('\n')[1], /^ +$/);
    assert.equal(masked.split('\n')[2], '    "___cookiecutter_slug___",');
    // An ordinary module's f-string escape is not a template.
    const fString = 'x = f"{{literal}} {value}"\n';
    assert.equal(maskJinjaPython(fString), fString);
  });

  it('parses templated settings with no syntax error', async () => {
    const parser = await createParser('python');
    try {
      assert.ok(parser.parse(settings)!.rootNode.hasError, 'the raw template does not parse');
      assert.equal(SegmentedParse.parse(parser, 'python', settings).tree.root.hasError, false);
    } finally {
      parser.delete();
    }
  });
});
