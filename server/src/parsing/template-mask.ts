/**
 * Configuration templates as the nginx grammar sees them. Ansible/Salt roles and cookiecutters
 * ship nginx files with Jinja in them (`{% if cors_origin %}`, `server_name {{ domain }};`), Chef
 * and Puppet with ERB (`<% if @cors %>`, `<%= @origin %>`), Helm charts with Go templates
 * (`{{- range .Values.hosts }}`), and nginx's own tokenizer takes `{`
 * for a block. Same length, so every offset and line still points into the file as written: tags
 * and comments become spaces (both sides of a template `if` are read, as either may be
 * deployed), and an expression becomes a variable of the same length (`{{ cors_origin }}` →
 * `$__cors_origin___`), known only at deployment like any `$var`.
 */

/**
 * Statement tags: Jinja's `{% %}` and `{# #}`, ERB's `<% %>`, and Go templates' actions (Helm
 * charts: `{{- if .Values.x }}`, `{{- range }}`, `{{- end }}`, `{{ $host := ... }}`), which
 * print nothing.
 */
const TAG =
  /\{%-?[\s\S]{0,4000}?-?%\}|\{#[\s\S]{0,4000}?#\}|<%(?!=)[\s\S]{0,4000}?%>|\{\{-?\s*(?:(?:if|else|end|range|with|define|block|template|break|continue)\b|\/\*|\$\w*\s*:?=)[\s\S]{0,1000}?-?\}\}/g;
/**
 * Tags are read up to 4,000 characters long and expressions up to 1,000: an unclosed `{%` or
 * `{{` is not scanned to the file's end at each one (quadratic on a file of them).
 */
const EXPRESSION = /\{\{[\s\S]{0,1000}?\}\}|<%=[\s\S]{0,1000}?%>/g;

/**
 * A `{MEDIA_DOMAIN}` placeholder a deploy script fills in (`str.format`, `sed`): an upper-case
 * name in braces, which no nginx block or regex quantifier is (couchers, held-out batch 22); not
 * envsubst's `${NAME}` nor Jinja's `{{NAME}}`, which keep their own readings.
 */
const PLACEHOLDER = /(?<![{$])\{[A-Z][A-Z0-9_]*\}(?!\})/g;

/** A Kubernetes manifest (a Helm chart's ConfigMap): `apiVersion:` or `kind:` at a line's start. */
const MANIFEST = /^(?:apiVersion|kind):[ \t]/m;
/** A YAML key opening a block scalar (`default.conf: |`), with its indentation. */
const BLOCK_KEY = /^([ \t]*)(?:- )?([\w.-]+):[ \t]*[|>][-+]?[0-9]?[ \t]*$/;
/** A key naming an nginx file (`default.conf`, `nginx.conf.template`): its block is kept. */
const NGINX_KEY = /\.conf\b|nginx|\.template$|\.tpl$|vhost/i;

/**
 * A manifest as the nginx grammar sees it: only the lines of its block scalars under keys that
 * name nginx files (the `default.conf: |` a ConfigMap holds), every other line blanked, same
 * length.
 */
function maskManifest(text: string): string {
  let block: number | undefined;
  return text
    .split('\n')
    .map((line) => {
      const indent = /^[ \t]*/.exec(line)![0].length;
      if (block !== undefined && (line.trim() === '' || indent > block)) return line;
      // A block scalar under another key (an entrypoint script) is blanked with the rest.
      const key = BLOCK_KEY.exec(line);
      block = key && NGINX_KEY.test(key[2]) ? key[1].length : undefined;
      return line.replace(/[^\r]/g, ' ');
    })
    .join('\n');
}

/**
 * `text` with its Jinja or ERB tags, comments and expressions masked, and a manifest's lines
 * outside its block scalars (unchanged when it has none).
 */
export function maskTemplates(input: string): string {
  const text = (MANIFEST.test(input) ? maskManifest(input) : input).replace(
    PLACEHOLDER,
    (name) => `$${name.slice(1, -1)}_`,
  );
  if (!text.includes('{%') && !text.includes('{{') && !text.includes('{#') && !text.includes('<%'))
    return text;
  return text
    .replace(TAG, (tag) => tag.replace(/[^\n]/g, ' '))
    .replace(EXPRESSION, (expression, at: number, whole: string) =>
      aloneOnLine(whole, at, expression.length)
        ? expression.replace(/[^\n]/g, ' ')
        : `$_${expression.slice(2).replace(/[^\w\n]/g, '_')}`.replace(/\n/g, '_'),
    );
}

/**
 * An expression that is its line's only text (`<%= @extra_config %>`, `{{ extra_locations }}`)
 * prints whole directives, as an `include` would: blanked, not read as a value standing where
 * a directive should (govuk-puppet's asset template, held-out batch 20).
 */
function aloneOnLine(text: string, at: number, length: number): boolean {
  const start = Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
  const end = /[\r\n]|$/.exec(text.slice(at + length, at + length + 200))?.index ?? 200;
  return !text.slice(start, at).trim() && !text.slice(at + length, at + length + end).trim();
}

/** A Jinja statement tag at the start of a line: no Python file has one unless it is a template. */
const JINJA_LINE = /^[ \t]*\{%/m;
const JINJA_TAG = /\{%-?[\s\S]{0,4000}?-?%\}|\{#[\s\S]{0,4000}?#\}/g;
const JINJA_EXPRESSION = /\{\{[\s\S]{0,1000}?\}\}/g;

/**
 * A Python file that is a Jinja template (cookiecutter's `{{cookiecutter.project_slug}}/config/
 * settings/base.py`: `{%- if cookiecutter.rest_api == 'DRF' %}` lines around settings) as the
 * Python grammar sees it, same length: tags and comments become spaces (both sides of a template
 * `if` are read), an expression a name of the same length (`{{ x.y }}` → `___x_y___`), valid in a
 * string or as a value. Only a text with a tag at a line's start is masked: an ordinary module's
 * `{{` (an f-string's escaped brace) is left alone.
 */
export function maskJinjaPython(text: string): string {
  if (!JINJA_LINE.test(text)) return text;
  return text
    .replace(JINJA_TAG, (tag) => tag.replace(/[^\n]/g, ' '))
    .replace(JINJA_EXPRESSION, (expression) =>
      expression.includes('\n')
        ? expression.replace(/[^\n]/g, ' ')
        : expression.replace(/\W/g, '_'),
    );
}
