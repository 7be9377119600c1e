/**
 * One parser for the regex dialects origin and path patterns are written in (Python `re`, Ruby's
 * Onigmo, JavaScript, PCRE). It yields a small tree whose consuming atoms already carry their
 * meaning as RE2 text, so the same tree feeds both the linear-time matcher (translate.ts) and the
 * backtracking analysis (backtracking.ts). Anything RE2 cannot do, and anything the real engine
 * would reject, throws an Unsupported with a reason: never a guess.
 */

/** How a library applies a user's regex (mirrors `RegexFlavor` in policy/types). */
export type RegexFlavor =
  'python-match' | 'python-fullmatch' | 'python-search' | 'ruby' | 'js' | 'pcre';

/** The engine whose syntax a flavour uses. */
export type Engine = 'python' | 'ruby' | 'js' | 'pcre';

/** The engine behind a flavour. */
export function engineOf(flavor: RegexFlavor): Engine {
  return flavor.startsWith('python') ? 'python' : (flavor as Engine);
}

/** Zero-width assertions, by meaning rather than by spelling. */
export type AssertKind =
  | 'start' // start of the text
  | 'end' // end of the text
  | 'end-or-final-newline' // end, or just before a newline that ends the text (Python/PCRE `$`, Ruby `\Z`)
  | 'line-start' // start of the text or after \n
  | 'line-end' // end of the text or before \n
  | 'word'
  | 'not-word';

/** A parsed pattern; `start`/`end` index the source text the node came from. */
export type Node =
  | { type: 'char'; re2: string; start: number; end: number }
  | { type: 'assert'; kind: AssertKind; start: number; end: number }
  | { type: 'concat'; items: Node[]; start: number; end: number; capture?: Capture }
  | { type: 'alt'; branches: Node[]; start: number; end: number; capture?: Capture }
  | {
      type: 'repeat';
      body: Node;
      min: number;
      max: number;
      lazy: boolean;
      start: number;
      end: number;
    };

/** A capturing group (numbered left to right, as every engine here does); `name` when named. */
export interface Capture {
  name?: string;
}

/** Thrown for constructs RE2 cannot run or the real engine would refuse. */
export class Unsupported extends Error {}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  x: boolean;
  /** Python's ASCII flag (`re.A`), or any engine whose classes are ASCII. */
  a: boolean;
  /** JavaScript's `u`: strict escapes. */
  u: boolean;
}

const hex = (cp: number): string => `\\x{${cp.toString(16)}}`;
const range = (lo: number, hi: number): string => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`);

/** Whitespace per engine, as RE2 class fragments. */
const SPACE: Record<Engine, string> = {
  // str.isspace(): \t\n\v\f\r, \x1c-\x1f, space, NEL, NBSP and the Unicode spaces.
  python:
    '\\x{9}-\\x{d}\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}',
  ruby: '\\x{9}-\\x{d}\\x{20}',
  js: '\\x{9}-\\x{d}\\x{20}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}',
  pcre: '\\x{9}-\\x{d}\\x{20}',
};

/** A class escape (`\d`, `\w`, `\s`, Ruby `\h`): the positive fragment and whether it is negated. */
function classEscape(
  letter: string,
  engine: Engine,
  flags: Flags,
): { frag: string; negated: boolean } | undefined {
  const lower = letter.toLowerCase();
  const negated = letter !== lower;
  const unicode = engine === 'python' && !flags.a;
  let frag: string | undefined;
  if (lower === 'd') frag = unicode ? '\\p{Nd}' : '0-9';
  else if (lower === 'w') frag = unicode ? '\\p{L}\\p{N}_' : '0-9A-Za-z_';
  else if (lower === 's')
    frag = engine === 'python' && flags.a ? '\\x{9}-\\x{d}\\x{20}' : SPACE[engine];
  else if (lower === 'h' && engine === 'ruby') frag = '0-9a-fA-F';
  if (frag === undefined) return undefined;
  return { frag, negated };
}

/** A class fragment for the complement of `frag` when it is a plain range list (so it can sit inside `[...]`). */
function complementFragment(frag: string): string | undefined {
  if (frag.includes('\\p')) return frag === '\\p{Nd}' ? '\\P{Nd}' : undefined;
  const ranges: [number, number][] = [];
  const re = /\\x\{([0-9a-f]+)\}(?:-\\x\{([0-9a-f]+)\})?|(.)(?:-(.))?/g;
  for (const m of frag.matchAll(re)) {
    if (m[1] !== undefined) {
      const lo = parseInt(m[1], 16);
      ranges.push([lo, m[2] !== undefined ? parseInt(m[2], 16) : lo]);
    } else {
      const lo = m[3].codePointAt(0) ?? 0;
      ranges.push([lo, m[4] !== undefined ? (m[4].codePointAt(0) ?? lo) : lo]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out += range(next, lo - 1);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out += range(next, 0x10ffff);
  return out;
}

const LETTERS = /[A-Za-z]/;
/** No real origin or path pattern nests groups this deep; a generated one is refused, not run. */
const MAX_GROUP_DEPTH = 200;

/** Parses `src` as `flavor` with extra flags (`i`, `s`, `m`, `x`, `u`, `a`): the tree, or throws Unsupported. */
export function parsePattern(src: string, flavor: RegexFlavor, extraFlags = ''): Node {
  return new Parser(src, engineOf(flavor), extraFlags).parse();
}

class Parser {
  private i = 0;
  private flags: Flags;
  constructor(
    private readonly src: string,
    private readonly engine: Engine,
    extraFlags: string,
  ) {
    this.flags = { i: false, s: false, m: false, x: false, a: engine !== 'python', u: false };
    for (const f of extraFlags) this.applyFlag(f, true, 'flags argument');
  }

  parse(): Node {
    this.leadingGlobalFlags();
    const node = this.alternation();
    if (this.i < this.src.length) throw new Unsupported(`unbalanced ')' at ${this.i}`);
    return node;
  }

  /** Python's `(?aiLmsux)` at the very start applies to the whole pattern. */
  private leadingGlobalFlags(): void {
    if (this.engine !== 'python') return;
    for (;;) {
      const m = /^\(\?([aiLmsux]+)\)/.exec(this.src.slice(this.i));
      if (!m) return;
      for (const f of m[1]) this.applyFlag(f, true, 'inline flag');
      this.i += m[0].length;
    }
  }

  private applyFlag(f: string, on: boolean, where: string): void {
    const e = this.engine;
    // Ruby literal options n/e/s/u pick an encoding and o interpolates once: no effect on matching.
    if (e === 'ruby' && where === 'flags argument' && 'nesuo'.includes(f)) return;
    const ok: Record<Engine, string> = {
      python: 'aimsux',
      ruby: 'imx',
      js: 'imsuyg',
      pcre: 'imsx',
    };
    if (!ok[e].includes(f)) throw new Unsupported(`${where} '${f}' is not supported for ${e}`);
    if (f === 'i') this.flags.i = on;
    else if (f === 'x') this.flags.x = on;
    else if (f === 'a') this.flags.a = on;
    else if (f === 'u') {
      if (e === 'js') this.flags.u = on;
    } else if (f === 'm') {
      // Ruby's `m` is other engines' `s`: `.` matches a newline.
      if (e === 'ruby') this.flags.s = on;
      else if (e === 'js')
        throw new Unsupported(
          "JavaScript's m flag also breaks lines at \\r, U+2028 and U+2029, which RE2 cannot express",
        );
      else this.flags.m = on;
    } else if (f === 's') this.flags.s = on;
    // js `g`/`y` are handled by the caller (`y` anchors test() at the start; `g` only moves lastIndex).
  }

  private peek(offset = 0): string {
    return this.src[this.i + offset] ?? '';
  }

  /** Skips whitespace and `#` comments in verbose mode. */
  private skipVerbose(): void {
    if (!this.flags.x) return;
    for (;;) {
      const c = this.peek();
      if (c === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
      } else if (c !== '' && /\s/.test(c)) this.i++;
      else return;
    }
  }

  private alternation(): Node {
    const start = this.i;
    const branches: Node[] = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0] : { type: 'alt', branches, start, end: this.i };
  }

  private sequence(): Node {
    const start = this.i;
    const items: Node[] = [];
    const saved = { ...this.flags };
    for (;;) {
      this.skipVerbose();
      const c = this.peek();
      if (c === '' || c === '|' || c === ')') break;
      const atom = this.atom();
      if (atom === undefined) continue;
      items.push(this.quantified(atom));
    }
    // Ruby/PCRE `(?i)` inside a group lasts to the end of that group; a branch restores it.
    if (this.engine === 'ruby' || this.engine === 'pcre') this.flags = saved;
    return items.length === 1 ? items[0] : { type: 'concat', items, start, end: this.i };
  }

  private quantified(atom: Node): Node {
    let node = atom;
    let quantifiers = 0;
    for (;;) {
      this.skipVerbose();
      const q = this.quantifier();
      if (!q) return node;
      if (quantifiers++ > 0) throw new Unsupported(`a quantifier follows a quantifier at ${q.at}`);
      if (node.type === 'assert') throw new Unsupported(`quantifier on an anchor at ${q.at}`);
      if (this.peek() === '+')
        throw new Unsupported(`possessive quantifier at ${q.at} (RE2 cannot express it)`);
      const lazy = this.peek() === '?';
      if (lazy) this.i++;
      if (q.max !== Infinity && q.min > q.max)
        throw new Unsupported(`quantifier {${q.min},${q.max}} has min > max`);
      if (q.min > 1000 || (q.max !== Infinity && q.max > 1000))
        throw new Unsupported('repeat count over 1000 (RE2 limit)');
      node = {
        type: 'repeat',
        body: node,
        min: q.min,
        max: q.max,
        lazy,
        start: atom.start,
        end: this.i,
      };
    }
  }

  private quantifier(): { min: number; max: number; at: number } | undefined {
    const at = this.i;
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      return { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity, at };
    }
    if (c !== '{') return undefined;
    const rest = this.src.slice(this.i);
    const m = /^\{(\d*)(,?)(\d*)\}/.exec(rest);
    if (!m || (m[1] === '' && m[3] === '') || (m[1] === '' && m[2] === '')) return undefined;
    if (m[1] === '') {
      // `{,n}`: 0..n in Python and Ruby, literal text in JS, version-dependent in PCRE2.
      if (this.engine === 'js') return undefined;
      if (this.engine === 'pcre')
        throw new Unsupported('`{,n}` means different things in different PCRE2 versions');
    }
    this.i += m[0].length;
    const min = m[1] === '' ? 0 : Number(m[1]);
    const max = m[2] === '' ? min : m[3] === '' ? Infinity : Number(m[3]);
    return { min, max, at };
  }

  private char(cp: number, start: number): Node {
    return this.charNode(hex(cp), start, true);
  }

  private charNode(re2: string, start: number, caseSensitiveMatters: boolean): Node {
    const text = caseSensitiveMatters && this.flags.i ? `(?i:${re2})` : re2;
    return { type: 'char', re2: text, start, end: this.i };
  }

  private assert(kind: AssertKind, start: number): Node {
    return { type: 'assert', kind, start, end: this.i };
  }

  /** One atom; undefined for something that matches nothing and is not an atom (a comment, a flag group). */
  private atom(): Node | undefined {
    const start = this.i;
    const c = this.peek();
    const e = this.engine;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '*' || c === '+' || c === '?') throw new Unsupported(`nothing to repeat at ${start}`);
    this.i++;
    if (c === '.') {
      const re2 = this.flags.s
        ? '(?s:.)'
        : e === 'js'
          ? '[^\\x{a}\\x{d}\\x{2028}\\x{2029}]'
          : '[^\\x{a}]';
      return this.charNode(re2, start, false);
    }
    if (c === '^') return this.assert(e === 'ruby' || this.flags.m ? 'line-start' : 'start', start);
    if (c === '$') {
      if (e === 'ruby' || this.flags.m) return this.assert('line-end', start);
      return this.assert(e === 'js' ? 'end' : 'end-or-final-newline', start);
    }
    if (c === '\\') return this.escape(start);
    if (c === '{' && e === 'js' && this.flags.u) throw new Unsupported('lone { with the u flag');
    const cp = this.src.codePointAt(start) ?? 0;
    this.i = start + String.fromCodePoint(cp).length;
    return this.char(cp, start);
  }

  /** Groups opened and not yet closed: past MAX_GROUP_DEPTH the pattern is not read (the stack). */
  private groupDepth = 0;

  private group(): Node | undefined {
    if (this.groupDepth >= MAX_GROUP_DEPTH)
      throw new Unsupported(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
    this.groupDepth++;
    try {
      return this.groupBody();
    } finally {
      this.groupDepth--;
    }
  }

  private groupBody(): Node | undefined {
    const start = this.i;
    const rest = this.src.slice(this.i);
    const e = this.engine;
    let open = 1;
    let capture: Capture | undefined = {};
    const ext =
      /^\(\?(P?<(?![=!])[A-Za-z_]\w*>|'[A-Za-z_]\w*'|:|#|[=!]|<[=!]|>|P=|P>|\(|[a-zA-Z-]*[:)]|.)/.exec(
        rest,
      );
    if (ext) {
      const kind = ext[1];
      if (kind === '#') {
        if (e === 'js') throw new Unsupported('(?# comments are not JavaScript');
        const close = this.src.indexOf(')', this.i);
        if (close < 0) throw new Unsupported('unterminated comment');
        this.i = close + 1;
        return undefined;
      }
      if (kind === '=' || kind === '!' || kind === '<=' || kind === '<!')
        throw new Unsupported(`lookaround (?${kind}...) at ${start}: RE2 has no lookaround`);
      if (kind === '>')
        throw new Unsupported(`atomic group (?>...) at ${start}: RE2 cannot express it`);
      if (kind === 'P=' || kind === 'P>')
        throw new Unsupported(`backreference or recursion (?${kind}...) at ${start}`);
      if (kind === '(') throw new Unsupported(`conditional group at ${start}`);
      if (kind === ':') {
        open = 3;
        capture = undefined;
      } else if (kind.startsWith('P<')) {
        if (e !== 'python' && e !== 'pcre') throw new Unsupported(`(?P<name> is not ${e} syntax`);
        open = 2 + kind.length;
        capture = { name: kind.slice(2, -1) };
      } else if (kind.startsWith('<') || kind.startsWith("'")) {
        if (e === 'python' || (e === 'js' && kind.startsWith("'")))
          throw new Unsupported(`(?${kind} is not ${e} syntax`);
        open = 2 + kind.length;
        capture = { name: kind.slice(1, -1) };
      } else if (/^[a-zA-Z-]*[:)]$/.test(kind)) {
        return this.flagGroup(start, kind);
      } else throw new Unsupported(`unknown group (?${kind} at ${start}`);
    }
    this.i += open;
    const saved = { ...this.flags };
    const body = this.alternation();
    this.flags = saved;
    if (this.peek() !== ')') throw new Unsupported(`missing ) for the group at ${start}`);
    this.i++;
    return this.wrap(body, start, capture);
  }

  /** `(?i)`, `(?i-s:...)`: flags for the rest of the group or for a scoped group. */
  private flagGroup(start: number, kind: string): Node | undefined {
    if (this.engine === 'js')
      throw new Unsupported('inline modifiers (?flags) need Node 23+ and are not analysed');
    const scoped = kind.endsWith(':');
    const spec = kind.slice(0, -1);
    const [on, off = ''] = spec.split('-');
    if (this.engine === 'python' && !scoped)
      throw new Unsupported('global flags not at the start of the expression');
    const saved = { ...this.flags };
    for (const f of on) this.applyFlag(f, true, 'inline flag');
    for (const f of off) this.applyFlag(f, false, 'inline flag');
    this.i += 2 + kind.length;
    if (!scoped) return undefined;
    const body = this.alternation();
    this.flags = saved;
    if (this.peek() !== ')') throw new Unsupported(`missing ) for the group at ${start}`);
    this.i++;
    return this.wrap(body, start);
  }

  private wrap(body: Node, start: number, capture?: Capture): Node {
    // Keep a group's span (its parentheses) so reported parts read as written.
    if ((body.type === 'concat' || body.type === 'alt') && !body.capture)
      return { ...body, start, end: this.i, capture };
    return { type: 'concat', items: [body], start, end: this.i, capture };
  }

  private escape(start: number): Node {
    const e = this.engine;
    const n = this.peek();
    if (n === '') throw new Unsupported('pattern ends with a backslash');
    this.i++;
    // Anchors.
    if (n === 'A' && e !== 'js') return this.assert('start', start);
    if (n === 'z' && (e === 'ruby' || e === 'pcre')) return this.assert('end', start);
    if (n === 'Z' && e !== 'js')
      return this.assert(e === 'python' ? 'end' : 'end-or-final-newline', start);
    if (n === 'b') return this.assert('word', start);
    if (n === 'B') return this.assert('not-word', start);
    if (n === 'G' && e !== 'js' && e !== 'python')
      throw new Unsupported('\\G (match-start anchor) is not supported');
    const cls = classEscape(n, e, this.flags);
    if (cls) return this.charNode(`[${cls.negated ? '^' : ''}${cls.frag}]`, start, false);
    const cp = this.escapedChar(n, false);
    return this.char(cp, start);
  }

  /** The code point of an escape that stands for one character (after the backslash and `n`). */
  private escapedChar(n: string, inClass: boolean): number {
    const e = this.engine;
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11 };
    if (n in simple) return simple[n];
    if (n === 'a' && e !== 'js') return 7;
    if (n === 'e' && (e === 'ruby' || e === 'pcre')) return 27;
    if (n === 'b' && inClass) return 8;
    if (/[0-9]/.test(n)) return this.digitEscape(n, inClass);
    if (n === 'x') {
      const brace = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.src.slice(this.i));
      if (brace && e === 'pcre') {
        this.i += brace[0].length;
        return parseInt(brace[1], 16);
      }
      const m = (e === 'ruby' ? /^[0-9a-fA-F]{1,2}/ : /^[0-9a-fA-F]{2}/).exec(
        this.src.slice(this.i),
      );
      if (m) {
        this.i += m[0].length;
        return parseInt(m[0], 16);
      }
      if (e === 'js' && !this.flags.u) return 'x'.charCodeAt(0);
      throw new Unsupported('incomplete \\x escape');
    }
    if (n === 'u' && e !== 'pcre') {
      const brace = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.src.slice(this.i));
      if (brace && (e === 'ruby' || (e === 'js' && this.flags.u))) {
        this.i += brace[0].length;
        return parseInt(brace[1], 16);
      }
      const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
      if (m) {
        this.i += 4;
        return parseInt(m[0], 16);
      }
      if (e === 'js' && !this.flags.u) return 'u'.charCodeAt(0);
      throw new Unsupported('incomplete \\u escape');
    }
    if (n === 'U' && e === 'python') {
      const m = /^[0-9a-fA-F]{8}/.exec(this.src.slice(this.i));
      if (!m) throw new Unsupported('incomplete \\U escape');
      this.i += 8;
      return parseInt(m[0], 16);
    }
    if (n === 'c' && e !== 'python') {
      const l = this.peek();
      if (/[A-Za-z]/.test(l)) {
        this.i++;
        return l.toUpperCase().charCodeAt(0) ^ 0x40;
      }
      if (e === 'js' && !this.flags.u) {
        this.i--; // JS reads `\c` not followed by a letter as a backslash and a `c`.
        return '\\'.charCodeAt(0);
      }
      throw new Unsupported('incomplete \\c escape');
    }
    const cp = this.src.codePointAt(this.i - 1) ?? 0;
    this.i += String.fromCodePoint(cp).length - 1;
    if (LETTERS.test(n)) {
      if (e === 'ruby' && !'kgpPQEKRXNoGyYO'.includes(n)) return cp; // Onigmo reads an unknown letter escape as the letter
      if (e === 'js' && !this.flags.u && n !== 'k') return cp; // Annex B identity escape (\k is a backreference once named groups exist)
      throw new Unsupported(`escape \\${n} is not supported for ${e}`);
    }
    if (e === 'js' && this.flags.u && !/[\^$\\.*+?()[\]{}|/-]/.test(n))
      throw new Unsupported(`identity escape \\${n} with the u flag`);
    return cp;
  }

  /** `\0`, octal escapes and backreferences. */
  private digitEscape(n: string, inClass: boolean): number {
    const e = this.engine;
    const rest = this.src.slice(this.i - 1);
    if (e === 'js') {
      if (n === '0' && !/^0[0-9]/.test(rest)) return 0;
      throw new Unsupported(`\\${n} is a backreference or a legacy octal escape`);
    }
    const num = Number(/^[0-9]+/.exec(rest)?.[0] ?? '0');
    // Python: `\0..`, or three octal digits; Ruby/PCRE: a number of 10 or more (no such group here) is octal.
    const oct =
      e === 'python' ? /^0[0-7]{0,2}|^[0-7]{3}/.exec(rest) : /^0[0-7]{0,2}|^[0-7]{1,3}/.exec(rest);
    if (oct && (oct[0].startsWith('0') || e === 'python' || inClass || num >= 10)) {
      this.i += oct[0].length - 1;
      const v = parseInt(oct[0], 8);
      if (v > 0o377) throw new Unsupported('octal escape over \\377');
      return v;
    }
    if (inClass && e === 'python') throw new Unsupported(`bad escape \\${n} in a class`);
    throw new Unsupported(`backreference \\${n}: RE2 has no backreferences`);
  }

  private charClass(): Node {
    const start = this.i;
    const e = this.engine;
    this.i++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    let frag = '';
    const alts: string[] = [];
    let first = true;
    if (e === 'js' && this.peek() === ']') {
      this.i++;
      return this.charNode(negated ? '(?s:.)' : '[^\\x{0}-\\x{10ffff}]', start, false);
    }
    for (;;) {
      const c = this.peek();
      if (c === '') throw new Unsupported(`unterminated character class at ${start}`);
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '[' && (e === 'ruby' || e === 'pcre')) {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.i));
        if (
          posix &&
          [
            'alpha',
            'digit',
            'alnum',
            'upper',
            'lower',
            'space',
            'xdigit',
            'punct',
            'word',
          ].includes(posix[2]) &&
          e === 'pcre'
        ) {
          this.i += posix[0].length;
          frag += `[:${posix[1]}${posix[2]}:]`;
          continue;
        }
        if (e === 'ruby')
          throw new Unsupported(
            'nested character classes and POSIX brackets are not analysed for Ruby',
          );
      }
      if (e === 'ruby' && c === '&' && this.peek(1) === '&')
        throw new Unsupported('class intersection && is not supported');
      const lo = this.classAtom();
      if (typeof lo === 'string') {
        frag += lo;
        continue;
      }
      if (typeof lo === 'object') {
        if (negated)
          throw new Unsupported(
            'a negated Unicode class escape inside [^...] has no RE2 equivalent',
          );
        alts.push(lo.alt);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== 'number')
          throw new Unsupported('bad character range (a class escape as its end)');
        if (hi < lo) throw new Unsupported('bad character range (end before start)');
        frag += range(lo, hi);
      } else frag += hex(lo);
    }
    const cls = frag === '' && !negated ? [] : [`[${negated ? '^' : ''}${frag}]`];
    return this.charNode(alts.length ? `(?:${[...cls, ...alts].join('|')})` : cls[0], start, true);
  }

  /** One class member: a code point, an RE2 fragment for a class escape, or a whole class to add as an alternative. */
  private classAtom(): number | string | { alt: string } {
    const c = this.peek();
    if (c !== '\\') {
      const cp = this.src.codePointAt(this.i) ?? 0;
      this.i += String.fromCodePoint(cp).length;
      return cp;
    }
    this.i++;
    const n = this.peek();
    this.i++;
    const cls = classEscape(n, this.engine, this.flags);
    if (cls) {
      if (!cls.negated) return cls.frag;
      const comp = complementFragment(cls.frag);
      if (comp === undefined) return { alt: `[^${cls.frag}]` };
      return comp;
    }
    if (
      (n === 'A' || n === 'z' || n === 'Z' || n === 'B') &&
      this.engine !== 'js' &&
      this.engine !== 'ruby'
    )
      throw new Unsupported(`bad escape \\${n} in a class`);
    return this.escapedChar(n, true);
  }
}
