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

/** `text` with its Jinja or ERB tags, comments and expressions masked (unchanged when it has none). */
export function maskTemplates(text: string): string {
  if (!text.includes('{%') && !text.includes('{{') && !text.includes('{#') && !text.includes('<%'))
    return text;
  return text
    .replace(TAG, (tag) => tag.replace(/[^\n]/g, ' '))
    .replace(EXPRESSION, (expression) =>
      `$_${expression.slice(2).replace(/[^\w\n]/g, '_')}`.replace(/\n/g, '_'),
    );
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
