#include <tree_sitter/parser.h>

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif

#define LANGUAGE_VERSION 14
#define STATE_COUNT 30
#define LARGE_STATE_COUNT 2
#define SYMBOL_COUNT 23
#define ALIAS_COUNT 0
#define TOKEN_COUNT 12
#define EXTERNAL_TOKEN_COUNT 0
#define FIELD_COUNT 3
#define MAX_ALIAS_SEQUENCE_LENGTH 3
#define PRODUCTION_ID_COUNT 7

enum {
  anon_sym_SEMI = 1,
  anon_sym_LBRACE = 2,
  anon_sym_RBRACE = 3,
  aux_sym_lua_block_token1 = 4,
  aux_sym__lua_token1 = 5,
  aux_sym__lua_token2 = 6,
  aux_sym__lua_token3 = 7,
  aux_sym__lua_token4 = 8,
  sym_word = 9,
  sym_string = 10,
  sym_comment = 11,
  sym_source_file = 12,
  sym__statement = 13,
  sym_directive = 14,
  sym_block = 15,
  sym_lua_block = 16,
  sym_lua_body = 17,
  sym__lua = 18,
  sym__value = 19,
  aux_sym_source_file_repeat1 = 20,
  aux_sym_directive_repeat1 = 21,
  aux_sym_lua_body_repeat1 = 22,
};

static const char * const ts_symbol_names[] = {
  [ts_builtin_sym_end] = "end",
  [anon_sym_SEMI] = ";",
  [anon_sym_LBRACE] = "{",
  [anon_sym_RBRACE] = "}",
  [aux_sym_lua_block_token1] = "word",
  [aux_sym__lua_token1] = "_lua_token1",
  [aux_sym__lua_token2] = "_lua_token2",
  [aux_sym__lua_token3] = "_lua_token3",
  [aux_sym__lua_token4] = "_lua_token4",
  [sym_word] = "word",
  [sym_string] = "string",
  [sym_comment] = "comment",
  [sym_source_file] = "source_file",
  [sym__statement] = "_statement",
  [sym_directive] = "directive",
  [sym_block] = "block",
  [sym_lua_block] = "lua_block",
  [sym_lua_body] = "lua_body",
  [sym__lua] = "_lua",
  [sym__value] = "_value",
  [aux_sym_source_file_repeat1] = "source_file_repeat1",
  [aux_sym_directive_repeat1] = "directive_repeat1",
  [aux_sym_lua_body_repeat1] = "lua_body_repeat1",
};

static const TSSymbol ts_symbol_map[] = {
  [ts_builtin_sym_end] = ts_builtin_sym_end,
  [anon_sym_SEMI] = anon_sym_SEMI,
  [anon_sym_LBRACE] = anon_sym_LBRACE,
  [anon_sym_RBRACE] = anon_sym_RBRACE,
  [aux_sym_lua_block_token1] = sym_word,
  [aux_sym__lua_token1] = aux_sym__lua_token1,
  [aux_sym__lua_token2] = aux_sym__lua_token2,
  [aux_sym__lua_token3] = aux_sym__lua_token3,
  [aux_sym__lua_token4] = aux_sym__lua_token4,
  [sym_word] = sym_word,
  [sym_string] = sym_string,
  [sym_comment] = sym_comment,
  [sym_source_file] = sym_source_file,
  [sym__statement] = sym__statement,
  [sym_directive] = sym_directive,
  [sym_block] = sym_block,
  [sym_lua_block] = sym_lua_block,
  [sym_lua_body] = sym_lua_body,
  [sym__lua] = sym__lua,
  [sym__value] = sym__value,
  [aux_sym_source_file_repeat1] = aux_sym_source_file_repeat1,
  [aux_sym_directive_repeat1] = aux_sym_directive_repeat1,
  [aux_sym_lua_body_repeat1] = aux_sym_lua_body_repeat1,
};

static const TSSymbolMetadata ts_symbol_metadata[] = {
  [ts_builtin_sym_end] = {
    .visible = false,
    .named = true,
  },
  [anon_sym_SEMI] = {
    .visible = true,
    .named = false,
  },
  [anon_sym_LBRACE] = {
    .visible = true,
    .named = false,
  },
  [anon_sym_RBRACE] = {
    .visible = true,
    .named = false,
  },
  [aux_sym_lua_block_token1] = {
    .visible = true,
    .named = true,
  },
  [aux_sym__lua_token1] = {
    .visible = false,
    .named = false,
  },
  [aux_sym__lua_token2] = {
    .visible = false,
    .named = false,
  },
  [aux_sym__lua_token3] = {
    .visible = false,
    .named = false,
  },
  [aux_sym__lua_token4] = {
    .visible = false,
    .named = false,
  },
  [sym_word] = {
    .visible = true,
    .named = true,
  },
  [sym_string] = {
    .visible = true,
    .named = true,
  },
  [sym_comment] = {
    .visible = true,
    .named = true,
  },
  [sym_source_file] = {
    .visible = true,
    .named = true,
  },
  [sym__statement] = {
    .visible = false,
    .named = true,
  },
  [sym_directive] = {
    .visible = true,
    .named = true,
  },
  [sym_block] = {
    .visible = true,
    .named = true,
  },
  [sym_lua_block] = {
    .visible = true,
    .named = true,
  },
  [sym_lua_body] = {
    .visible = true,
    .named = true,
  },
  [sym__lua] = {
    .visible = false,
    .named = true,
  },
  [sym__value] = {
    .visible = false,
    .named = true,
  },
  [aux_sym_source_file_repeat1] = {
    .visible = false,
    .named = false,
  },
  [aux_sym_directive_repeat1] = {
    .visible = false,
    .named = false,
  },
  [aux_sym_lua_body_repeat1] = {
    .visible = false,
    .named = false,
  },
};

enum {
  field_argument = 1,
  field_body = 2,
  field_name = 3,
};

static const char * const ts_field_names[] = {
  [0] = NULL,
  [field_argument] = "argument",
  [field_body] = "body",
  [field_name] = "name",
};

static const TSFieldMapSlice ts_field_map_slices[PRODUCTION_ID_COUNT] = {
  [1] = {.index = 0, .length = 2},
  [2] = {.index = 2, .length = 1},
  [3] = {.index = 3, .length = 1},
  [4] = {.index = 4, .length = 3},
  [5] = {.index = 7, .length = 2},
  [6] = {.index = 9, .length = 2},
};

static const TSFieldMapEntry ts_field_map_entries[] = {
  [0] =
    {field_body, 1},
    {field_name, 0},
  [2] =
    {field_argument, 0},
  [3] =
    {field_name, 0},
  [4] =
    {field_argument, 1, .inherited = true},
    {field_body, 2},
    {field_name, 0},
  [7] =
    {field_argument, 0, .inherited = true},
    {field_argument, 1, .inherited = true},
  [9] =
    {field_argument, 1, .inherited = true},
    {field_name, 0},
};

static const TSSymbol ts_alias_sequences[PRODUCTION_ID_COUNT][MAX_ALIAS_SEQUENCE_LENGTH] = {
  [0] = {0},
};

static const uint16_t ts_non_terminal_alias_map[] = {
  0,
};

static const TSStateId ts_primary_state_ids[STATE_COUNT] = {
  [0] = 0,
  [1] = 1,
  [2] = 2,
  [3] = 3,
  [4] = 4,
  [5] = 5,
  [6] = 6,
  [7] = 7,
  [8] = 8,
  [9] = 9,
  [10] = 10,
  [11] = 11,
  [12] = 12,
  [13] = 13,
  [14] = 14,
  [15] = 15,
  [16] = 16,
  [17] = 17,
  [18] = 18,
  [19] = 19,
  [20] = 20,
  [21] = 21,
  [22] = 22,
  [23] = 23,
  [24] = 24,
  [25] = 25,
  [26] = 26,
  [27] = 27,
  [28] = 28,
  [29] = 29,
};

static bool ts_lex(TSLexer *lexer, TSStateId state) {
  START_LEXER();
  eof = lexer->eof(lexer);
  switch (state) {
    case 0:
      if (eof) ADVANCE(13);
      if (lookahead == '"') ADVANCE(2);
      if (lookahead == '#') ADVANCE(46);
      if (lookahead == '$') ADVANCE(42);
      if (lookahead == '\'') ADVANCE(5);
      if (lookahead == '-') ADVANCE(23);
      if (lookahead == ';') ADVANCE(14);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == '{') ADVANCE(15);
      if (lookahead == '}') ADVANCE(16);
      if (lookahead == '\t' ||
          lookahead == '\n' ||
          lookahead == '\r' ||
          lookahead == ' ') SKIP(0)
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0) ADVANCE(43);
      END_STATE();
    case 1:
      if (lookahead == '"') ADVANCE(2);
      if (lookahead == '#') ADVANCE(18);
      if (lookahead == '\'') ADVANCE(5);
      if (lookahead == '-') ADVANCE(24);
      if (lookahead == '{') ADVANCE(15);
      if (lookahead == '}') ADVANCE(16);
      if (lookahead == '\t' ||
          lookahead == '\n' ||
          lookahead == '\r' ||
          lookahead == ' ') ADVANCE(19);
      if (lookahead != 0) ADVANCE(20);
      END_STATE();
    case 2:
      if (lookahead == '"') ADVANCE(27);
      if (lookahead == '\\') ADVANCE(7);
      if (lookahead != 0) ADVANCE(2);
      END_STATE();
    case 3:
      if (lookahead == '"') ADVANCE(45);
      if (lookahead == '\\') ADVANCE(10);
      if (lookahead != 0) ADVANCE(3);
      END_STATE();
    case 4:
      if (lookahead == '"') ADVANCE(3);
      if (lookahead == '#') ADVANCE(46);
      if (lookahead == '$') ADVANCE(42);
      if (lookahead == '\'') ADVANCE(6);
      if (lookahead == ';') ADVANCE(14);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '{') ADVANCE(15);
      if (lookahead == '\t' ||
          lookahead == '\n' ||
          lookahead == '\r' ||
          lookahead == ' ') SKIP(4)
      if (lookahead != 0 &&
          lookahead != '}') ADVANCE(43);
      END_STATE();
    case 5:
      if (lookahead == '\'') ADVANCE(28);
      if (lookahead == '\\') ADVANCE(8);
      if (lookahead != 0) ADVANCE(5);
      END_STATE();
    case 6:
      if (lookahead == '\'') ADVANCE(45);
      if (lookahead == '\\') ADVANCE(11);
      if (lookahead != 0) ADVANCE(6);
      END_STATE();
    case 7:
      if (lookahead != 0) ADVANCE(2);
      END_STATE();
    case 8:
      if (lookahead != 0) ADVANCE(5);
      END_STATE();
    case 9:
      if (lookahead != 0) ADVANCE(43);
      END_STATE();
    case 10:
      if (lookahead != 0) ADVANCE(3);
      END_STATE();
    case 11:
      if (lookahead != 0) ADVANCE(6);
      END_STATE();
    case 12:
      if (eof) ADVANCE(13);
      if (lookahead == '"') ADVANCE(3);
      if (lookahead == '#') ADVANCE(46);
      if (lookahead == '$') ADVANCE(42);
      if (lookahead == '\'') ADVANCE(6);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == '}') ADVANCE(16);
      if (lookahead == '\t' ||
          lookahead == '\n' ||
          lookahead == '\r' ||
          lookahead == ' ') SKIP(12)
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 13:
      ACCEPT_TOKEN(ts_builtin_sym_end);
      END_STATE();
    case 14:
      ACCEPT_TOKEN(anon_sym_SEMI);
      END_STATE();
    case 15:
      ACCEPT_TOKEN(anon_sym_LBRACE);
      END_STATE();
    case 16:
      ACCEPT_TOKEN(anon_sym_RBRACE);
      END_STATE();
    case 17:
      ACCEPT_TOKEN(aux_sym_lua_block_token1);
      if (lookahead == '_') ADVANCE(31);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      END_STATE();
    case 18:
      ACCEPT_TOKEN(aux_sym__lua_token1);
      if (lookahead == '\n') ADVANCE(20);
      if (lookahead != 0 &&
          lookahead != '"' &&
          lookahead != '\'' &&
          lookahead != '-' &&
          lookahead != '{' &&
          lookahead != '}') ADVANCE(18);
      END_STATE();
    case 19:
      ACCEPT_TOKEN(aux_sym__lua_token1);
      if (lookahead == '#') ADVANCE(18);
      if (lookahead == '\t' ||
          lookahead == '\n' ||
          lookahead == '\r' ||
          lookahead == ' ') ADVANCE(19);
      if (lookahead != 0 &&
          lookahead != '"' &&
          lookahead != '\'' &&
          lookahead != '-' &&
          lookahead != '{' &&
          lookahead != '}') ADVANCE(20);
      END_STATE();
    case 20:
      ACCEPT_TOKEN(aux_sym__lua_token1);
      if (lookahead != 0 &&
          lookahead != '"' &&
          lookahead != '\'' &&
          lookahead != '-' &&
          lookahead != '{' &&
          lookahead != '}') ADVANCE(20);
      END_STATE();
    case 21:
      ACCEPT_TOKEN(aux_sym__lua_token2);
      if (lookahead == '$') ADVANCE(22);
      if (lookahead == '\\') ADVANCE(25);
      if (lookahead == '\t' ||
          lookahead == '\r' ||
          lookahead == ' ' ||
          lookahead == ';' ||
          lookahead == '{') ADVANCE(26);
      if (lookahead != 0 &&
          lookahead != '\n') ADVANCE(21);
      END_STATE();
    case 22:
      ACCEPT_TOKEN(aux_sym__lua_token2);
      if (lookahead == '$') ADVANCE(22);
      if (lookahead == '\\') ADVANCE(25);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';') ADVANCE(21);
      if (lookahead == '\t' ||
          lookahead == '\r' ||
          lookahead == ' ' ||
          lookahead == ';') ADVANCE(26);
      END_STATE();
    case 23:
      ACCEPT_TOKEN(aux_sym__lua_token2);
      if (lookahead == '-') ADVANCE(21);
      END_STATE();
    case 24:
      ACCEPT_TOKEN(aux_sym__lua_token2);
      if (lookahead == '-') ADVANCE(26);
      END_STATE();
    case 25:
      ACCEPT_TOKEN(aux_sym__lua_token2);
      if (lookahead != 0 &&
          lookahead != '\n') ADVANCE(21);
      END_STATE();
    case 26:
      ACCEPT_TOKEN(aux_sym__lua_token2);
      if (lookahead != 0 &&
          lookahead != '\n') ADVANCE(26);
      END_STATE();
    case 27:
      ACCEPT_TOKEN(aux_sym__lua_token3);
      END_STATE();
    case 28:
      ACCEPT_TOKEN(aux_sym__lua_token4);
      END_STATE();
    case 29:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'a') ADVANCE(41);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('b' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 30:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'b') ADVANCE(38);
      if (lookahead == 'l') ADVANCE(37);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 31:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'b') ADVANCE(38);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 32:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'b') ADVANCE(35);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 33:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'c') ADVANCE(34);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 34:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'k') ADVANCE(17);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 35:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'l') ADVANCE(36);
      if (lookahead == 'y') ADVANCE(40);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 36:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'o') ADVANCE(33);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 37:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'u') ADVANCE(29);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 38:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (lookahead == 'y') ADVANCE(40);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 39:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(31);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 40:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(30);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 41:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '_') ADVANCE(32);
      if (('0' <= lookahead && lookahead <= '9') ||
          ('a' <= lookahead && lookahead <= 'z')) ADVANCE(39);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 42:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead == '{') ADVANCE(43);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';') ADVANCE(43);
      END_STATE();
    case 43:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';' &&
          lookahead != '{') ADVANCE(43);
      END_STATE();
    case 44:
      ACCEPT_TOKEN(sym_word);
      if (lookahead == '$') ADVANCE(44);
      if (lookahead == '\\') ADVANCE(9);
      if (lookahead != 0 &&
          lookahead != '\t' &&
          lookahead != '\n' &&
          lookahead != '\r' &&
          lookahead != ' ' &&
          lookahead != ';') ADVANCE(43);
      END_STATE();
    case 45:
      ACCEPT_TOKEN(sym_string);
      END_STATE();
    case 46:
      ACCEPT_TOKEN(sym_comment);
      if (lookahead != 0 &&
          lookahead != '\n') ADVANCE(46);
      END_STATE();
    default:
      return false;
  }
}

static const TSLexMode ts_lex_modes[STATE_COUNT] = {
  [0] = {.lex_state = 0},
  [1] = {.lex_state = 12},
  [2] = {.lex_state = 12},
  [3] = {.lex_state = 12},
  [4] = {.lex_state = 12},
  [5] = {.lex_state = 12},
  [6] = {.lex_state = 1},
  [7] = {.lex_state = 1},
  [8] = {.lex_state = 1},
  [9] = {.lex_state = 1},
  [10] = {.lex_state = 1},
  [11] = {.lex_state = 4},
  [12] = {.lex_state = 4},
  [13] = {.lex_state = 4},
  [14] = {.lex_state = 4},
  [15] = {.lex_state = 4},
  [16] = {.lex_state = 1},
  [17] = {.lex_state = 1},
  [18] = {.lex_state = 12},
  [19] = {.lex_state = 12},
  [20] = {.lex_state = 12},
  [21] = {.lex_state = 12},
  [22] = {.lex_state = 12},
  [23] = {.lex_state = 12},
  [24] = {.lex_state = 12},
  [25] = {.lex_state = 12},
  [26] = {.lex_state = 12},
  [27] = {.lex_state = 12},
  [28] = {.lex_state = 4},
  [29] = {.lex_state = 0},
};

static const uint16_t ts_parse_table[LARGE_STATE_COUNT][SYMBOL_COUNT] = {
  [0] = {
    [ts_builtin_sym_end] = ACTIONS(1),
    [anon_sym_SEMI] = ACTIONS(1),
    [anon_sym_LBRACE] = ACTIONS(1),
    [anon_sym_RBRACE] = ACTIONS(1),
    [aux_sym_lua_block_token1] = ACTIONS(1),
    [aux_sym__lua_token2] = ACTIONS(1),
    [aux_sym__lua_token3] = ACTIONS(1),
    [aux_sym__lua_token4] = ACTIONS(1),
    [sym_word] = ACTIONS(1),
    [sym_string] = ACTIONS(1),
    [sym_comment] = ACTIONS(3),
  },
  [1] = {
    [sym_source_file] = STATE(29),
    [sym__statement] = STATE(3),
    [sym_directive] = STATE(3),
    [sym_lua_block] = STATE(3),
    [sym__value] = STATE(11),
    [aux_sym_source_file_repeat1] = STATE(3),
    [ts_builtin_sym_end] = ACTIONS(5),
    [aux_sym_lua_block_token1] = ACTIONS(7),
    [sym_word] = ACTIONS(9),
    [sym_string] = ACTIONS(11),
    [sym_comment] = ACTIONS(3),
  },
};

static const uint16_t ts_small_parse_table[] = {
  [0] = 7,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(15), 1,
      aux_sym_lua_block_token1,
    ACTIONS(18), 1,
      sym_word,
    ACTIONS(21), 1,
      sym_string,
    STATE(11), 1,
      sym__value,
    ACTIONS(13), 2,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
    STATE(2), 4,
      sym__statement,
      sym_directive,
      sym_lua_block,
      aux_sym_source_file_repeat1,
  [26] = 7,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(7), 1,
      aux_sym_lua_block_token1,
    ACTIONS(9), 1,
      sym_word,
    ACTIONS(11), 1,
      sym_string,
    ACTIONS(24), 1,
      ts_builtin_sym_end,
    STATE(11), 1,
      sym__value,
    STATE(2), 4,
      sym__statement,
      sym_directive,
      sym_lua_block,
      aux_sym_source_file_repeat1,
  [51] = 7,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(7), 1,
      aux_sym_lua_block_token1,
    ACTIONS(9), 1,
      sym_word,
    ACTIONS(11), 1,
      sym_string,
    ACTIONS(26), 1,
      anon_sym_RBRACE,
    STATE(11), 1,
      sym__value,
    STATE(5), 4,
      sym__statement,
      sym_directive,
      sym_lua_block,
      aux_sym_source_file_repeat1,
  [76] = 7,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(7), 1,
      aux_sym_lua_block_token1,
    ACTIONS(9), 1,
      sym_word,
    ACTIONS(11), 1,
      sym_string,
    ACTIONS(28), 1,
      anon_sym_RBRACE,
    STATE(11), 1,
      sym__value,
    STATE(2), 4,
      sym__statement,
      sym_directive,
      sym_lua_block,
      aux_sym_source_file_repeat1,
  [101] = 6,
    ACTIONS(30), 1,
      anon_sym_LBRACE,
    ACTIONS(32), 1,
      anon_sym_RBRACE,
    ACTIONS(34), 1,
      aux_sym__lua_token1,
    ACTIONS(38), 1,
      sym_comment,
    STATE(8), 2,
      sym__lua,
      aux_sym_lua_body_repeat1,
    ACTIONS(36), 3,
      aux_sym__lua_token2,
      aux_sym__lua_token3,
      aux_sym__lua_token4,
  [123] = 6,
    ACTIONS(30), 1,
      anon_sym_LBRACE,
    ACTIONS(38), 1,
      sym_comment,
    ACTIONS(40), 1,
      anon_sym_RBRACE,
    ACTIONS(42), 1,
      aux_sym__lua_token1,
    STATE(9), 2,
      sym__lua,
      aux_sym_lua_body_repeat1,
    ACTIONS(44), 3,
      aux_sym__lua_token2,
      aux_sym__lua_token3,
      aux_sym__lua_token4,
  [145] = 6,
    ACTIONS(30), 1,
      anon_sym_LBRACE,
    ACTIONS(38), 1,
      sym_comment,
    ACTIONS(46), 1,
      anon_sym_RBRACE,
    ACTIONS(48), 1,
      aux_sym__lua_token1,
    STATE(10), 2,
      sym__lua,
      aux_sym_lua_body_repeat1,
    ACTIONS(50), 3,
      aux_sym__lua_token2,
      aux_sym__lua_token3,
      aux_sym__lua_token4,
  [167] = 6,
    ACTIONS(30), 1,
      anon_sym_LBRACE,
    ACTIONS(38), 1,
      sym_comment,
    ACTIONS(48), 1,
      aux_sym__lua_token1,
    ACTIONS(52), 1,
      anon_sym_RBRACE,
    STATE(10), 2,
      sym__lua,
      aux_sym_lua_body_repeat1,
    ACTIONS(50), 3,
      aux_sym__lua_token2,
      aux_sym__lua_token3,
      aux_sym__lua_token4,
  [189] = 6,
    ACTIONS(38), 1,
      sym_comment,
    ACTIONS(54), 1,
      anon_sym_LBRACE,
    ACTIONS(57), 1,
      anon_sym_RBRACE,
    ACTIONS(59), 1,
      aux_sym__lua_token1,
    STATE(10), 2,
      sym__lua,
      aux_sym_lua_body_repeat1,
    ACTIONS(62), 3,
      aux_sym__lua_token2,
      aux_sym__lua_token3,
      aux_sym__lua_token4,
  [211] = 7,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(65), 1,
      anon_sym_SEMI,
    ACTIONS(67), 1,
      anon_sym_LBRACE,
    STATE(12), 1,
      aux_sym_directive_repeat1,
    STATE(19), 1,
      sym_block,
    STATE(28), 1,
      sym__value,
    ACTIONS(69), 2,
      sym_word,
      sym_string,
  [234] = 7,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(67), 1,
      anon_sym_LBRACE,
    ACTIONS(71), 1,
      anon_sym_SEMI,
    STATE(15), 1,
      aux_sym_directive_repeat1,
    STATE(25), 1,
      sym_block,
    STATE(28), 1,
      sym__value,
    ACTIONS(69), 2,
      sym_word,
      sym_string,
  [257] = 6,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(73), 1,
      anon_sym_LBRACE,
    STATE(15), 1,
      aux_sym_directive_repeat1,
    STATE(22), 1,
      sym_lua_body,
    STATE(28), 1,
      sym__value,
    ACTIONS(69), 2,
      sym_word,
      sym_string,
  [277] = 6,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(73), 1,
      anon_sym_LBRACE,
    STATE(13), 1,
      aux_sym_directive_repeat1,
    STATE(18), 1,
      sym_lua_body,
    STATE(28), 1,
      sym__value,
    ACTIONS(69), 2,
      sym_word,
      sym_string,
  [297] = 5,
    ACTIONS(3), 1,
      sym_comment,
    STATE(15), 1,
      aux_sym_directive_repeat1,
    STATE(28), 1,
      sym__value,
    ACTIONS(75), 2,
      anon_sym_SEMI,
      anon_sym_LBRACE,
    ACTIONS(77), 2,
      sym_word,
      sym_string,
  [315] = 3,
    ACTIONS(38), 1,
      sym_comment,
    ACTIONS(82), 1,
      aux_sym__lua_token1,
    ACTIONS(80), 5,
      anon_sym_LBRACE,
      anon_sym_RBRACE,
      aux_sym__lua_token2,
      aux_sym__lua_token3,
      aux_sym__lua_token4,
  [329] = 3,
    ACTIONS(38), 1,
      sym_comment,
    ACTIONS(86), 1,
      aux_sym__lua_token1,
    ACTIONS(84), 5,
      anon_sym_LBRACE,
      anon_sym_RBRACE,
      aux_sym__lua_token2,
      aux_sym__lua_token3,
      aux_sym__lua_token4,
  [343] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(90), 1,
      sym_word,
    ACTIONS(88), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [356] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(94), 1,
      sym_word,
    ACTIONS(92), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [369] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(98), 1,
      sym_word,
    ACTIONS(96), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [382] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(102), 1,
      sym_word,
    ACTIONS(100), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [395] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(106), 1,
      sym_word,
    ACTIONS(104), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [408] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(110), 1,
      sym_word,
    ACTIONS(108), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [421] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(114), 1,
      sym_word,
    ACTIONS(112), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [434] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(118), 1,
      sym_word,
    ACTIONS(116), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [447] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(122), 1,
      sym_word,
    ACTIONS(120), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [460] = 3,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(126), 1,
      sym_word,
    ACTIONS(124), 4,
      ts_builtin_sym_end,
      anon_sym_RBRACE,
      aux_sym_lua_block_token1,
      sym_string,
  [473] = 2,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(128), 4,
      anon_sym_SEMI,
      anon_sym_LBRACE,
      sym_word,
      sym_string,
  [483] = 2,
    ACTIONS(3), 1,
      sym_comment,
    ACTIONS(130), 1,
      ts_builtin_sym_end,
};

static const uint32_t ts_small_parse_table_map[] = {
  [SMALL_STATE(2)] = 0,
  [SMALL_STATE(3)] = 26,
  [SMALL_STATE(4)] = 51,
  [SMALL_STATE(5)] = 76,
  [SMALL_STATE(6)] = 101,
  [SMALL_STATE(7)] = 123,
  [SMALL_STATE(8)] = 145,
  [SMALL_STATE(9)] = 167,
  [SMALL_STATE(10)] = 189,
  [SMALL_STATE(11)] = 211,
  [SMALL_STATE(12)] = 234,
  [SMALL_STATE(13)] = 257,
  [SMALL_STATE(14)] = 277,
  [SMALL_STATE(15)] = 297,
  [SMALL_STATE(16)] = 315,
  [SMALL_STATE(17)] = 329,
  [SMALL_STATE(18)] = 343,
  [SMALL_STATE(19)] = 356,
  [SMALL_STATE(20)] = 369,
  [SMALL_STATE(21)] = 382,
  [SMALL_STATE(22)] = 395,
  [SMALL_STATE(23)] = 408,
  [SMALL_STATE(24)] = 421,
  [SMALL_STATE(25)] = 434,
  [SMALL_STATE(26)] = 447,
  [SMALL_STATE(27)] = 460,
  [SMALL_STATE(28)] = 473,
  [SMALL_STATE(29)] = 483,
};

static const TSParseActionEntry ts_parse_actions[] = {
  [0] = {.entry = {.count = 0, .reusable = false}},
  [1] = {.entry = {.count = 1, .reusable = false}}, RECOVER(),
  [3] = {.entry = {.count = 1, .reusable = true}}, SHIFT_EXTRA(),
  [5] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_source_file, 0),
  [7] = {.entry = {.count = 1, .reusable = true}}, SHIFT(14),
  [9] = {.entry = {.count = 1, .reusable = false}}, SHIFT(11),
  [11] = {.entry = {.count = 1, .reusable = true}}, SHIFT(11),
  [13] = {.entry = {.count = 1, .reusable = true}}, REDUCE(aux_sym_source_file_repeat1, 2),
  [15] = {.entry = {.count = 2, .reusable = true}}, REDUCE(aux_sym_source_file_repeat1, 2), SHIFT_REPEAT(14),
  [18] = {.entry = {.count = 2, .reusable = false}}, REDUCE(aux_sym_source_file_repeat1, 2), SHIFT_REPEAT(11),
  [21] = {.entry = {.count = 2, .reusable = true}}, REDUCE(aux_sym_source_file_repeat1, 2), SHIFT_REPEAT(11),
  [24] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_source_file, 1),
  [26] = {.entry = {.count = 1, .reusable = true}}, SHIFT(21),
  [28] = {.entry = {.count = 1, .reusable = true}}, SHIFT(27),
  [30] = {.entry = {.count = 1, .reusable = false}}, SHIFT(7),
  [32] = {.entry = {.count = 1, .reusable = false}}, SHIFT(24),
  [34] = {.entry = {.count = 1, .reusable = true}}, SHIFT(8),
  [36] = {.entry = {.count = 1, .reusable = false}}, SHIFT(8),
  [38] = {.entry = {.count = 1, .reusable = false}}, SHIFT_EXTRA(),
  [40] = {.entry = {.count = 1, .reusable = false}}, SHIFT(16),
  [42] = {.entry = {.count = 1, .reusable = true}}, SHIFT(9),
  [44] = {.entry = {.count = 1, .reusable = false}}, SHIFT(9),
  [46] = {.entry = {.count = 1, .reusable = false}}, SHIFT(26),
  [48] = {.entry = {.count = 1, .reusable = true}}, SHIFT(10),
  [50] = {.entry = {.count = 1, .reusable = false}}, SHIFT(10),
  [52] = {.entry = {.count = 1, .reusable = false}}, SHIFT(17),
  [54] = {.entry = {.count = 2, .reusable = false}}, REDUCE(aux_sym_lua_body_repeat1, 2), SHIFT_REPEAT(7),
  [57] = {.entry = {.count = 1, .reusable = false}}, REDUCE(aux_sym_lua_body_repeat1, 2),
  [59] = {.entry = {.count = 2, .reusable = true}}, REDUCE(aux_sym_lua_body_repeat1, 2), SHIFT_REPEAT(10),
  [62] = {.entry = {.count = 2, .reusable = false}}, REDUCE(aux_sym_lua_body_repeat1, 2), SHIFT_REPEAT(10),
  [65] = {.entry = {.count = 1, .reusable = true}}, SHIFT(20),
  [67] = {.entry = {.count = 1, .reusable = true}}, SHIFT(4),
  [69] = {.entry = {.count = 1, .reusable = true}}, SHIFT(28),
  [71] = {.entry = {.count = 1, .reusable = true}}, SHIFT(23),
  [73] = {.entry = {.count = 1, .reusable = true}}, SHIFT(6),
  [75] = {.entry = {.count = 1, .reusable = true}}, REDUCE(aux_sym_directive_repeat1, 2, .production_id = 5),
  [77] = {.entry = {.count = 2, .reusable = true}}, REDUCE(aux_sym_directive_repeat1, 2, .production_id = 5), SHIFT_REPEAT(28),
  [80] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym__lua, 2),
  [82] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym__lua, 2),
  [84] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym__lua, 3),
  [86] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym__lua, 3),
  [88] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_lua_block, 2, .production_id = 1),
  [90] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_lua_block, 2, .production_id = 1),
  [92] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_directive, 2, .production_id = 1),
  [94] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_directive, 2, .production_id = 1),
  [96] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_directive, 2, .production_id = 3),
  [98] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_directive, 2, .production_id = 3),
  [100] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_block, 2),
  [102] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_block, 2),
  [104] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_lua_block, 3, .production_id = 4),
  [106] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_lua_block, 3, .production_id = 4),
  [108] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_directive, 3, .production_id = 6),
  [110] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_directive, 3, .production_id = 6),
  [112] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_lua_body, 2),
  [114] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_lua_body, 2),
  [116] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_directive, 3, .production_id = 4),
  [118] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_directive, 3, .production_id = 4),
  [120] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_lua_body, 3),
  [122] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_lua_body, 3),
  [124] = {.entry = {.count = 1, .reusable = true}}, REDUCE(sym_block, 3),
  [126] = {.entry = {.count = 1, .reusable = false}}, REDUCE(sym_block, 3),
  [128] = {.entry = {.count = 1, .reusable = true}}, REDUCE(aux_sym_directive_repeat1, 1, .production_id = 2),
  [130] = {.entry = {.count = 1, .reusable = true}},  ACCEPT_INPUT(),
};

#ifdef __cplusplus
extern "C" {
#endif
#ifdef _WIN32
#define extern __declspec(dllexport)
#endif

extern const TSLanguage *tree_sitter_nginx(void) {
  static const TSLanguage language = {
    .version = LANGUAGE_VERSION,
    .symbol_count = SYMBOL_COUNT,
    .alias_count = ALIAS_COUNT,
    .token_count = TOKEN_COUNT,
    .external_token_count = EXTERNAL_TOKEN_COUNT,
    .state_count = STATE_COUNT,
    .large_state_count = LARGE_STATE_COUNT,
    .production_id_count = PRODUCTION_ID_COUNT,
    .field_count = FIELD_COUNT,
    .max_alias_sequence_length = MAX_ALIAS_SEQUENCE_LENGTH,
    .parse_table = &ts_parse_table[0][0],
    .small_parse_table = ts_small_parse_table,
    .small_parse_table_map = ts_small_parse_table_map,
    .parse_actions = ts_parse_actions,
    .symbol_names = ts_symbol_names,
    .field_names = ts_field_names,
    .field_map_slices = ts_field_map_slices,
    .field_map_entries = ts_field_map_entries,
    .symbol_metadata = ts_symbol_metadata,
    .public_symbol_map = ts_symbol_map,
    .alias_map = ts_non_terminal_alias_map,
    .alias_sequences = &ts_alias_sequences[0][0],
    .lex_modes = ts_lex_modes,
    .lex_fn = ts_lex,
    .primary_state_ids = ts_primary_state_ids,
  };
  return &language;
}
#ifdef __cplusplus
}
#endif
