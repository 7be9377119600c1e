/**
 * Configuration templates as the nginx grammar sees them. Ansible/Salt roles and cookiecutters
 * ship nginx files with Jinja in them (`{% if cors_origin %}`, `server_name {{ domain }};`), and
 * nginx's own tokenizer takes `{` for a block. Same length, so every offset and line still
 * points into the file as written: tags and comments become spaces (both sides of a template
 * `if` are read, as either may be deployed), and an expression becomes a variable of the same
 * length (`{{ cors_origin }}` → `$__cors_origin___`), known only at deployment like any `$var`.
 */

const TAG = /\{%-?[\s\S]*?-?%\}|\{#[\s\S]*?#\}/g;
const EXPRESSION = /\{\{[\s\S]*?\}\}/g;

/** `text` with its Jinja tags, comments and expressions masked (unchanged when it has none). */
export function maskTemplates(text: string): string {
  if (!text.includes('{%') && !text.includes('{{') && !text.includes('{#')) return text;
  return text
    .replace(TAG, (tag) => tag.replace(/[^\n]/g, ' '))
    .replace(EXPRESSION, (expression) =>
      `$_${expression.slice(2).replace(/[^\w\n]/g, '_')}`.replace(/\n/g, '_'),
    );
}
