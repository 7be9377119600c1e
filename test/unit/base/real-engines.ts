/**
 * The real regex engines, run in child processes: Python's `re`, Ruby's Onigmo, PCRE2 (via
 * pcre2test) and this Node's RegExp. The tests compare the RE2 translation and the backtracking
 * analysis against them; an engine that is not installed is reported as missing, not faked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { RegexFlavor } from '../../../server/src/base/regex';

/** A match result per input, or the engine's compile error. */
export type EngineResult = boolean[] | { error: string };

/** Python 3 (the system one first), or undefined when absent. */
export const PYTHON = ['/usr/bin/python3', 'python3'].find((p) =>
  p.startsWith('/') ? existsSync(p) : spawnSync(p, ['--version']).status === 0,
);
/** Ruby, or undefined when absent. */
export const RUBY = spawnSync('ruby', ['--version']).status === 0 ? 'ruby' : undefined;
/** pcre2test (apt: pcre2-utils), or undefined when absent. */
export const PCRE2TEST =
  spawnSync('pcre2test', ['-version']).status === 0 ? 'pcre2test' : undefined;
/** Ruby 3.2 memoizes backtracking, so most exponential patterns run in linear time there. */
export const RUBY_MEMOIZES = RUBY
  ? spawnSync(RUBY, ['-e', 'print(RUBY_VERSION >= "3.2" ? 1 : 0)']).stdout.toString() === '1'
  : false;

/** One pattern with its flavour, library flags and the inputs to try. */
export interface EngineCase {
  pattern: string;
  flavor: RegexFlavor;
  flags: string;
  inputs: string[];
}

const PY_BATCH = `
import json, re, sys, warnings
warnings.simplefilter('ignore')
out = []
for c in json.load(sys.stdin):
    fl = 0
    for f in c['flags']:
        fl |= {'i': re.I, 's': re.S, 'm': re.M, 'x': re.X, 'a': re.A, 'u': 0}[f]
    try:
        r = re.compile(c['pattern'], fl)
    except Exception as e:
        out.append({'error': str(e)}); continue
    how = {'python-match': r.match, 'python-fullmatch': r.fullmatch, 'python-search': r.search}[c['flavor']]
    out.append([how(s) is not None for s in c['inputs']])
print(json.dumps(out))
`;

const RB_BATCH = `
require 'json'
$stderr.reopen(File::NULL)
out = JSON.parse($stdin.read).map do |c|
  opts = 0
  c['flags'].each_char { |f| opts |= { 'i' => Regexp::IGNORECASE, 'm' => Regexp::MULTILINE, 'x' => Regexp::EXTENDED }.fetch(f) }
  begin
    r = Regexp.new(c['pattern'], opts)
    c['inputs'].map { |s| !(r =~ s).nil? }
  rescue Exception => e
    { 'error' => e.message }
  end
end
print JSON.generate(out)
`;

/** Runs Python's re (match/fullmatch/search per flavour) on every case. */
export function runPython(cases: EngineCase[]): EngineResult[] | undefined {
  if (!PYTHON) return undefined;
  const r = spawnSync(PYTHON, ['-c', PY_BATCH], { input: JSON.stringify(cases), timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString()) as EngineResult[];
}

/** Runs Ruby's `=~` on every case. */
export function runRuby(cases: EngineCase[]): EngineResult[] | undefined {
  if (!RUBY) return undefined;
  const r = spawnSync(RUBY, ['-e', RB_BATCH], { input: JSON.stringify(cases), timeout: 60_000 });
  if (r.status !== 0) throw new Error(`ruby failed: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString()) as EngineResult[];
}

/** Runs `RegExp#test` on every case (JS flags as given). */
export function runNode(cases: EngineCase[]): EngineResult[] {
  return cases.map((c) => {
    let re: RegExp;
    try {
      re = new RegExp(c.pattern, c.flags);
    } catch (e) {
      return { error: (e as Error).message };
    }
    return c.inputs.map((s) => {
      re.lastIndex = 0;
      return re.test(s);
    });
  });
}

/** Subject text for pcre2test: every character as `\x{..}` so nothing is trimmed or reinterpreted. */
const pcreSubject = (s: string): string =>
  s === '' ? '\\' : [...s].map((c) => `\\x{${(c.codePointAt(0) ?? 0).toString(16)}}`).join('');

/** Runs PCRE2 searches (nginx's `~`, `~*` with flag i) via pcre2test; ASCII inputs without newlines only. */
export function runPcre(cases: EngineCase[]): EngineResult[] | undefined {
  if (!PCRE2TEST) return undefined;
  return cases.map((c) => {
    const delim = ['/', '!', '%', '=', '~', '`', '"', "'"].find((d) => !c.pattern.includes(d));
    if (!delim) return { error: 'no delimiter' };
    const mods = c.flags.replace(/[^imsx]/g, '');
    const script = `${delim}${c.pattern}${delim}${mods}\n${c.inputs.map((s) => `    ${pcreSubject(s)}`).join('\n')}\n`;
    const r = spawnSync(PCRE2TEST, ['-q'], { input: script, timeout: 20_000 });
    const out = r.stdout.toString();
    const failed = /^Failed: (.*)$/m.exec(out);
    if (failed) return { error: failed[1] };
    const results = out
      .split('\n')
      .filter((l) => l.startsWith(' 0:') || l.startsWith('No match'))
      .map((l) => l.startsWith(' 0:'));
    if (results.length !== c.inputs.length) return { error: `unexpected pcre2test output: ${out}` };
    return results;
  });
}

/** Every engine's results for cases of one flavour. */
export function runEngine(flavor: RegexFlavor, cases: EngineCase[]): EngineResult[] | undefined {
  if (flavor.startsWith('python')) return runPython(cases);
  if (flavor === 'ruby') return runRuby(cases);
  if (flavor === 'pcre') return runPcre(cases);
  return runNode(cases);
}
