/**
 * tree-sitter grammar for nginx configuration, following nginx's own tokenizer
 * (ngx_conf_read_token in src/core/ngx_conf_file.c) rather than any directive list, so every
 * module's directives parse: words and quoted strings separated by whitespace, `;` ends a
 * directive, `{ ... }` is a block, `#` starts a comment only where a token could start, `$var` and
 * `${var}` stay inside their word, a backslash escapes the next character. `if (...)`, `map`,
 * `location ~* (...)` and `upstream` are plain directives whose arguments are tokens, exactly as
 * nginx sees them. `*_by_lua_block { ... }` bodies are Lua, kept opaque (balanced braces, Lua
 * strings and `--` comments skipped).
 */
module.exports = grammar({
  name: 'nginx',

  extras: ($) => [/\s/, $.comment],

  rules: {
    source_file: ($) => repeat($._statement),

    _statement: ($) => choice($.directive, $.lua_block),

    // The name may be quoted: entries of `map`, `types` and `geo` blocks are directives to the tokenizer.

    directive: ($) =>
      seq(field('name', $._value), repeat(field('argument', $._value)), choice(';', field('body', $.block))),

    block: ($) => seq('{', repeat($._statement), '}'),

    lua_block: ($) =>
      seq(
        field('name', alias(token(prec(1, /[a-z0-9_]*_by_lua_block/)), $.word)),
        repeat(field('argument', $._value)),
        field('body', $.lua_body),
      ),

    lua_body: ($) => seq('{', repeat($._lua), '}'),

    // Higher precedence than `comment`: `#` is Lua's length operator inside a Lua block.
    _lua: ($) =>
      choice(
        token(prec(2, /[^{}"'\-]+/)),
        token(prec(2, /--[^\n]*|-/)),
        token(prec(2, /"([^"\\]|\\(.|\n))*"/)),
        token(prec(2, /'([^'\\]|\\(.|\n))*'/)),
        seq('{', repeat($._lua), '}'),
      ),

    _value: ($) => choice($.word, $.string),

    // A token may contain `}`, quotes and `#` after its first character; `${` stays in the word.
    word: ($) => token(/([^\s;{}"'#\\$]|\\(.|\n)|\$\{?)([^\s;{\\$]|\\(.|\n)|\$\{?)*/),

    string: ($) => token(choice(/"([^"\\]|\\(.|\n))*"/, /'([^'\\]|\\(.|\n))*'/)),

    comment: ($) => token(seq('#', /.*/)),
  },
});
