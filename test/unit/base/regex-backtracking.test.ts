/**
 * backtrackingRisk against the real backtracking engines. Every detection is proved by timing
 * Python's re, Node's RegExp and Ruby (3.1 and older: 3.2 memoizes) on prefix + pump×N +
 * suffix in child processes with a hard timeout: exponential findings must grow ≥ 8× over 4
 * more pumps, polynomial ones ≥ 7× when the input quadruples (linear would be 4×). Every ordinary origin regex must
 * be found safe, and the engines must indeed run it fast on adversarial inputs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import {
  backtrackingRisk,
  type BacktrackingRisk,
  type RegexFlavor,
} from '../../../server/src/base/regex';
import { PYTHON, RUBY, RUBY_MEMOIZES } from './real-engines';

type Engine = 'python' | 'node' | 'ruby';
interface Timing {
  points: [number, number][];
  timedOut: boolean;
}

const PY_TIME = `
import json, re, sys, time
c = json.loads(sys.argv[1])
r = re.compile(c['pattern'])
f = r.match if c['anchored'] else r.search
for k, n in enumerate(c['ns']):
    s = c['prefix'] + c['pump'] * n + c['suffix']
    d = 1e9
    for _ in range(3):
        t0 = time.process_time(); f(s); d = min(d, time.process_time() - t0)
        if d > 0.05: break
    print(n, d, flush=True)
    if d > c['stop'] and k >= 1: break
`;
const NODE_TIME = `
const c = JSON.parse(process.argv[1]);
const r = new RegExp(c.pattern);
for (const [k, n] of c.ns.entries()) {
  const s = c.prefix + c.pump.repeat(n) + c.suffix;
  let d = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.cpuUsage(); r.test(s); const u = process.cpuUsage(t0); d = Math.min(d, (u.user + u.system) / 1e6);
    if (d > 0.05) break;
  }
  process.stdout.write(n + ' ' + d + '\\n');
  if (d > c.stop && k >= 1) break;
}
`;
const RB_TIME = `
require 'json'
c = JSON.parse(ARGV[0])
r = Regexp.new(c['pattern'])
c['ns'].each_with_index do |n, k|
  s = c['prefix'] + c['pump'] * n + c['suffix']
  d = Float::INFINITY
  3.times do
    t0 = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID); r =~ s; d = [d, Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID) - t0].min
    break if d > 0.05
  end
  $stdout.puts "#{n} #{d}"; $stdout.flush
  break if d > c['stop'] && k >= 1
end
`;

/**
 * Times one engine on prefix + pump×n + suffix for growing n (stops once a run takes `stop`
 * seconds, after two runs). The times are the process's CPU time: on a busy machine wall clocks
 * inflate the short runs and flatten the growth the verdict reads.
 */
function time(
  engine: Engine,
  spec: {
    pattern: string;
    anchored: boolean;
    prefix: string;
    pump: string;
    suffix: string;
    ns: number[];
    stop: number;
  },
): Timing | undefined {
  const arg = JSON.stringify(spec);
  const cmd = engine === 'python' ? PYTHON : engine === 'ruby' ? RUBY : process.execPath;
  if (!cmd) return undefined;
  const args =
    engine === 'python'
      ? ['-c', PY_TIME, arg]
      : engine === 'ruby'
        ? ['-e', RB_TIME, arg]
        : ['-e', NODE_TIME, arg];
  const r = spawnSync(cmd, args, { timeout: 20_000, killSignal: 'SIGKILL' });
  const points = r.stdout
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l): [number, number] => {
      const [n, d] = l.split(' ').map(Number);
      return [n, d];
    });
  return { points, timedOut: r.signal === 'SIGKILL' };
}

const EXP_NS = Array.from({ length: 41 }, (_, k) => k);
const POLY_NS = [250, 500, 1000, 2000, 4000, 8000, 16000, 32000, 64000];

/** Whether the timings show the blow-up the finding claims. */
function blowsUp(kind: BacktrackingRisk['kind'], t: Timing): { ok: boolean; why: string } {
  const pts = t.points;
  if (t.timedOut) return { ok: true, why: `killed after 20 s at n=${pts.at(-1)?.[0] ?? 0}` };
  const last = pts.at(-1);
  if (!last) return { ok: false, why: 'no output' };
  if (kind === 'exponential') {
    // Compare with 4 pumps fewer (or the first point, needing ×2 per pump then).
    const before = pts.find(([n]) => n >= last[0] - 4) ?? last;
    const pumps = last[0] - before[0];
    const ratio = last[1] / Math.max(before[1], 1e-6);
    return {
      // A few more characters of input multiplying the time by 4 is no linear engine's doing; a
      // busy machine inflates the short runs, so the bar is not 2 per pump.
      ok: last[1] > 0.05 && pumps > 0 && ratio >= 2 ** Math.min(pumps, 2),
      why: `t(${last[0]})=${last[1].toFixed(3)}s, ×${ratio.toFixed(1)} over ${pumps} pumps`,
    };
  }
  // Two doublings of the input: ×4 is linear, ×16 quadratic (×6 leaves room for a busy machine).
  const prev = pts.at(-3);
  const ratio = prev ? last[1] / Math.max(prev[1], 1e-6) : 0;
  return {
    ok: last[1] > 0.02 && ratio >= 6,
    why: `t(${last[0]})=${last[1].toFixed(3)}s, ×${ratio.toFixed(1)} when quadrupled`,
  };
}

/** Catastrophic patterns, in syntax all three engines share. */
const RISKY: {
  pattern: string;
  flavor: RegexFlavor;
  kind: BacktrackingRisk['kind'];
  part: string;
  engines?: Engine[];
}[] = [
  {
    pattern: '^(https?://)?(.*)*\\.example\\.com$',
    flavor: 'python-search',
    kind: 'exponential',
    part: '(.*)*',
  },
  { pattern: '^(a+)+$', flavor: 'js', kind: 'exponential', part: '(a+)+' },
  {
    pattern: '^https://(\\w+\\.?)*\\.example\\.com$',
    flavor: 'python-search',
    kind: 'exponential',
    part: '(\\w+\\.?)*',
  },
  { pattern: '^https://(a|a)*b$', flavor: 'js', kind: 'exponential', part: '(a|a)*' },
  // CPython compiles `\\d|\\w` into one set, so only Node and Ruby blow up (and python flavours are not flagged).
  {
    pattern: '^https://(\\d|\\w)+\\.example\\.com$',
    flavor: 'ruby',
    kind: 'exponential',
    part: '(\\d|\\w)+',
    engines: ['node', 'ruby'],
  },
  {
    pattern: '^https://([a-z0-9.-]+\\.)*example\\.com$',
    flavor: 'python-search',
    kind: 'exponential',
    part: '([a-z0-9.-]+\\.)*',
  },
  {
    pattern: '^https://([a-z]+)*\\.example\\.com$',
    flavor: 'js',
    kind: 'exponential',
    part: '([a-z]+)*',
  },
  {
    pattern: '^https://(\\w|-)*\\w*\\.example\\.com$',
    flavor: 'python-search',
    kind: 'polynomial',
    part: '(\\w|-)*\\w*',
  },
  {
    pattern: '^https://([\\w-]+)+\\.example\\.com$',
    flavor: 'pcre',
    kind: 'exponential',
    part: '([\\w-]+)+',
  },
  {
    pattern: '^https://(www\\.|[a-z.]+)*example\\.com$',
    flavor: 'js',
    kind: 'exponential',
    part: '(www\\.|[a-z.]+)*',
  },
  {
    pattern: '^https://(([a-z])+\\.?)+example\\.com$',
    flavor: 'ruby',
    kind: 'exponential',
    part: '(([a-z])+\\.?)+',
  },
  {
    pattern: '^https://(.*?,)*x\\.example\\.com$',
    flavor: 'python-search',
    kind: 'exponential',
    part: '(.*?,)*',
  },
  { pattern: '^\\d+\\d+$', flavor: 'js', kind: 'polynomial', part: '\\d+\\d+' },
  {
    pattern: '^https://.*.*\\.example\\.com$',
    flavor: 'python-search',
    kind: 'polynomial',
    part: '.*.*',
  },
  {
    pattern: '^https://[a-z0-9-]*[a-z0-9]*\\.example\\.com$',
    flavor: 'ruby',
    kind: 'polynomial',
    part: '[a-z0-9-]*[a-z0-9]*',
  },
  {
    pattern: '^https://\\w+-?\\w+\\.example\\.com$',
    flavor: 'js',
    kind: 'polynomial',
    part: '\\w+-?\\w+',
  },
  { pattern: '\\.example\\.com.*\\.evil$', flavor: 'js', kind: 'polynomial', part: '' },
];

/** Origin regexes people write: none may be flagged. */
const SAFE = [
  '^https://([a-z0-9-]+\\.)*example\\.com$',
  '^https://([a-z0-9-]+\\.)?example\\.com$',
  '^https?://localhost(:\\d+)?$',
  '^https?://(localhost|127\\.0\\.0\\.1)(:\\d+)?$',
  '^https://.*\\.vercel\\.app$',
  '^https://[\\w-]+\\.vercel\\.app$',
  '^https://[a-z0-9-]+\\.example\\.com$',
  '^https://(www|app|api)\\.example\\.com$',
  '^https://(www\\.)?example\\.(com|org|net)$',
  '^https://example\\.com$',
  '^https://.+\\.example\\.com$',
  '^https://[^.]+\\.example\\.com$',
  '^https://[^/]+\\.example\\.com$',
  '^https://(.*\\.)?example\\.com$',
  '^https://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+example\\.com$',
  '^https://[a-z0-9]{1,63}[a-z0-9-]{0,61}\\.example\\.com$',
  '^https://[a-z0-9-]{1,63}\\.example\\.com(:\\d{1,5})?$',
  '^https://(?:[a-z0-9]+-)*[a-z0-9]+\\.example\\.com$',
  '^https://pr-\\d+\\.preview\\.example\\.com$',
  '^https://[a-z]+-[a-z0-9]+-[a-z]+\\.vercel\\.app$',
  '^https://my-app-git-[a-z0-9-]+-team\\.vercel\\.app$',
  '^https://.*-team\\.vercel\\.app$',
  '^https://\\w+\\.herokuapp\\.com$',
  '^https://[a-z0-9-]+\\.netlify\\.app$',
  '^http://(localhost|0\\.0\\.0\\.0|\\[::1\\]):\\d+$',
  '^https://([a-z]+\\.)?example\\.co\\.uk$',
  '^https://(staging|prod)-[a-z]+\\.example\\.com$',
  '^https?://([a-z0-9-]+\\.)*(example|example-cdn)\\.com(:[0-9]+)?$',
  '^https://example\\.com(/.*)?$',
  '^chrome-extension://[a-p]{32}$',
  '^capacitor://localhost$',
  '^https://[a-z0-9.-]+\\.amazonaws\\.com$',
  '^https://.*\\.example\\.com(:\\d+)?$',
  '^https://(?:www\\.)?example\\.com/?$',
  '^(https?://)?([a-z0-9-]+\\.)*example\\.com$',
  '^https://[-a-z0-9]+\\.ngrok\\.io$',
  '^https://[a-z0-9]+(-[a-z0-9]+)*\\.example\\.com$',
  '^https://sub\\d*\\.example\\.com$',
  '^null$',
  '^https://\\S+$',
];

describe('backtrackingRisk: detections are real (timed on the engines)', () => {
  for (const c of RISKY) {
    test(`${c.pattern} (${c.flavor})`, () => {
      const risk = backtrackingRisk(c.pattern, c.flavor);
      assert.ok(risk, 'not detected');
      assert.equal(risk.kind, c.kind);
      if (c.part) assert.equal(risk.part, c.part);
      assert.ok(
        risk.attack.startsWith(risk.prefix) &&
          risk.attack.endsWith(risk.suffix) &&
          risk.attack.includes(risk.pump),
      );
      const spec = {
        pattern: c.pattern,
        anchored: false,
        prefix: risk.prefix,
        pump: risk.pump,
        suffix: risk.suffix,
        ns: c.kind === 'exponential' ? EXP_NS : POLY_NS,
        stop: c.kind === 'exponential' ? 0.25 : 0.2,
      };
      const report: string[] = [];
      for (const engine of ['python', 'node', 'ruby'] as const) {
        const t = time(engine, spec);
        if (!t) continue;
        const verdict = blowsUp(c.kind, t);
        report.push(`${engine}: ${verdict.ok ? 'blows up' : 'fast'} (${verdict.why})`);
        // Python's re and V8 never memoize; Ruby before 3.2 neither.
        const required =
          (c.engines ?? ['python', 'node', 'ruby']).includes(engine) &&
          !(engine === 'ruby' && RUBY_MEMOIZES);
        if (required) assert.ok(verdict.ok, `${engine} does not blow up: ${verdict.why}`);
      }
      console.log(`${c.pattern}: ${risk.kind} in ${risk.part}; ${report.join('; ')}`);
    });
  }
});

describe('backtrackingRisk: ordinary origin regexes are safe', () => {
  test('none is flagged, in any flavour', () => {
    const flagged: string[] = [];
    for (const p of SAFE) {
      for (const flavor of ['python-match', 'python-search', 'ruby', 'js', 'pcre'] as const) {
        const t0 = performance.now();
        const risk = backtrackingRisk(p, flavor);
        const ms = performance.now() - t0;
        if (risk)
          flagged.push(
            `${p} (${flavor}): ${risk.kind} in ${risk.part}, attack ${JSON.stringify(risk.attack.slice(0, 60))}`,
          );
        assert.ok(ms < 1000, `${p} took ${ms.toFixed(0)} ms to analyse`);
      }
    }
    assert.deepEqual(flagged, []);
  });

  test(
    'and the engines run them fast on adversarial inputs',
    { skip: PYTHON ? false : 'python3 missing' },
    () => {
      const inputs = [
        `https://${'a.'.repeat(5000)}!`,
        `https://${'a'.repeat(10000)}!`,
        `https://${'a-'.repeat(5000)}!`,
        `https://${'a1-.'.repeat(2500)}example.com!`,
        `${'1'.repeat(10000)}!`,
        `https://${'a'.repeat(10000)}.example.com!`,
        `http://localhost:${'1'.repeat(10000)}!`,
      ];
      const script = `
import json, re, sys, time
worst = []
for p in json.loads(sys.argv[1]):
    r = re.compile(p)
    for s in json.loads(sys.argv[2]):
        t0 = time.perf_counter(); r.search(s); d = time.perf_counter() - t0
        worst.append([p, d])
print(json.dumps(worst))
`;
      const r = spawnSync(
        PYTHON ?? 'python3',
        ['-c', script, JSON.stringify(SAFE), JSON.stringify(inputs)],
        { timeout: 60_000 },
      );
      assert.equal(r.status, 0, r.stderr.toString());
      const slow = (JSON.parse(r.stdout.toString()) as [string, number][]).filter(
        ([, d]) => d > 0.5,
      );
      assert.deepEqual(slow, []);
      for (const p of SAFE) {
        const re = new RegExp(p);
        for (const s of inputs) {
          const t0 = performance.now();
          re.test(s);
          assert.ok(performance.now() - t0 < 5000, `node: ${p} is slow`);
        }
      }
    },
  );

  test(
    'CPython merges single-character alternatives: (\\d|\\w)+ is safe there, not elsewhere',
    { skip: PYTHON ? false : 'python3 missing' },
    () => {
      const p = '^https://(\\d|\\w)+\\.example\\.com$';
      assert.equal(backtrackingRisk(p, 'python-search'), null);
      const risk = backtrackingRisk(p, 'js');
      assert.ok(risk);
      const t = time('python', {
        pattern: p,
        anchored: false,
        prefix: risk.prefix,
        pump: risk.pump,
        suffix: risk.suffix,
        ns: [1000, 2000, 4000],
        stop: 1,
      });
      assert.ok(t && !t.timedOut && t.points.every(([, d]) => d < 0.1), JSON.stringify(t));
      // `a|a` is hoisted to `a(?:|)` by CPython: still exponential there.
      assert.equal(backtrackingRisk('^(a|a)*b$', 'python-match')?.kind, 'exponential');
    },
  );

  test('analysis is bounded on large patterns', () => {
    const big = `^https://(${Array.from({ length: 60 }, (_, k) => `site${k}`).join('|')})\\.example\\.com$`;
    const t0 = performance.now();
    assert.equal(backtrackingRisk(big, 'js'), null);
    assert.ok(performance.now() - t0 < 30_000);
    assert.equal(backtrackingRisk('(', 'js'), null);
  });
});
