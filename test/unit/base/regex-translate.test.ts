/**
 * compileOrigin against the real engines: every pattern below, in every flavour whose engine
 * accepts it, must give the engine's yes/no on every origin (Python re.match/fullmatch/search,
 * Ruby =~, Node's RegExp#test, PCRE2 as nginx searches). Patterns an engine refuses must not
 * compile; patterns RE2 cannot run must say why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { compileOrigin, type RegexFlavor } from '../../../server/src/base/regex';
import { PCRE2TEST, PYTHON, RUBY, runEngine, type EngineCase } from './real-engines';

const FLAVORS: RegexFlavor[] = [
  'python-match',
  'python-fullmatch',
  'python-search',
  'ruby',
  'js',
  'pcre',
];

const ORIGINS = [
  'https://example.com',
  'https://www.example.com',
  'https://a.b.example.com',
  'http://example.com',
  'https://example.com:8443',
  'https://evil-example.com',
  'https://example.com.evil.test',
  'https://exampleXcom',
  'https://EXAMPLE.COM',
  'https://Example.com',
  'null',
  'http://localhost:3000',
  'http://localhost',
  'http://127.0.0.1:8080',
  'https://my-app.vercel.app',
  'https://feature-x.my-app.vercel.app',
  'xhttps://example.com',
  'https://app.example.com/path',
  '',
  'https://a_b.example.com',
  'https://123.example.com',
  'https://example.com\n',
  'evil\nhttps://example.com',
  'https://example.com\nevil',
  'https://ex\u00e9mple.com',
  'https://\u0663.example.com',
  'https://a\u00a0b.example.com',
];

/** Origins PCRE2 (byte mode, as nginx compiles) and pcre2test subjects can carry. */
const pcreSafe = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

interface Row {
  pattern: string;
  flags?: string;
  /** Flavours to try (default: all). */
  only?: RegexFlavor[];
  /** Extra inputs. */
  inputs?: string[];
  /** RE2 cannot run it: the reason must contain this. */
  unsupported?: string;
}

const ROWS: Row[] = [
  { pattern: '^https://example\\.com$' },
  { pattern: 'https://example\\.com' },
  { pattern: '^https://example.com$' },
  { pattern: 'example\\.com$' },
  { pattern: '^https://([a-z0-9-]+\\.)*example\\.com$' },
  { pattern: '^https://(?:[a-z0-9-]+\\.)?example\\.com$' },
  { pattern: '^https?://localhost(:\\d+)?$' },
  { pattern: '^http://localhost:\\d{2,5}$' },
  { pattern: '^https://.*\\.vercel\\.app$' },
  { pattern: '^https://[\\w-]+\\.vercel\\.app$' },
  { pattern: '^https://[\\w.-]+\\.example\\.com$' },
  { pattern: '^https://\\w+\\.example\\.com$' },
  { pattern: '^https://\\S+\\.example\\.com$' },
  { pattern: '^https://[^.]+\\.example\\.com$' },
  { pattern: '^https://[^\\s/]+\\.example\\.com$' },
  { pattern: '^https://[\\d]+\\.example\\.com$' },
  { pattern: '^https://[\\W\\d]+' },
  { pattern: '^https://\\D+\\.example\\.com$' },
  { pattern: '^https://(www|app|api)\\.example\\.com$' },
  { pattern: '^https://(www\\.)?example\\.(com|org)$' },
  { pattern: '^https://example\\.com$', flags: 'i' },
  { pattern: '^HTTPS://EXAMPLE\\.COM$', flags: 'i' },
  {
    pattern: '(?i)^https://example\\.com$',
    only: ['python-match', 'python-fullmatch', 'python-search', 'ruby', 'pcre'],
  },
  {
    pattern: '(?i:^https://example)\\.com$',
    only: ['python-match', 'python-search', 'ruby', 'pcre'],
  },
  { pattern: '^https://EXAMPLE(?i)\\.com$', only: ['ruby', 'pcre'] },
  { pattern: '\\Ahttps://example\\.com\\z', only: ['ruby', 'pcre'] },
  { pattern: '\\Ahttps://example\\.com\\Z' },
  { pattern: '^https://example\\.com\\Z', only: ['python-search', 'ruby', 'pcre'] },
  { pattern: 'https://example\\.com$' },
  { pattern: '^https://example\\.com' },
  { pattern: '^null$' },
  { pattern: '' },
  { pattern: '.*' },
  { pattern: '^.*$' },
  { pattern: '^https://.+$' },
  { pattern: '^https://(?P<sub>[a-z]+)\\.example\\.com$' },
  { pattern: '^https://(?<sub>[a-z]+)\\.example\\.com$' },
  { pattern: '^https://[a-z]{1,3}\\.example\\.com$' },
  {
    pattern: '^https://[a-z]{,3}\\.example\\.com$',
    only: ['python-match', 'python-search', 'ruby', 'js'],
    inputs: ['https://a{,3}.example.com'],
  },
  { pattern: '^https://[a-z]{,3}\\.example\\.com$', only: ['pcre'], unsupported: '{,n}' },
  { pattern: '^https://[^]*$', only: ['js'], inputs: ['https://a\nb'] },
  { pattern: '^https://[]', only: ['js'] },
  { pattern: '^https://.*$', only: ['js'], inputs: ['https://a\rb', 'https://a\u2028b'] },
  { pattern: '^https://\\p{L}+', only: ['js'], inputs: ['https://p', 'https://pp'] },
  { pattern: '^https://\\w+\\.example\\.com$', only: ['js'], flags: 'u' },
  { pattern: '^https://\\u{61}+', only: ['js'], flags: 'u', inputs: ['https://aa'] },
  { pattern: '^https://\\cJ', only: ['js', 'ruby', 'pcre'], inputs: ['https://\n'] },
  { pattern: '^https://[a-z]{3}\\.example\\.com$' },
  { pattern: '^https://[a-z]{2,}\\.example\\.com$' },
  { pattern: '^https://a{x}', inputs: ['https://a{x}'] },
  { pattern: '^https://[]a]+\\.example\\.com$', inputs: ['https://]a.example.com'] },
  { pattern: '^https://[^]a]+\\.example\\.com$', inputs: ['https://]a.example.com'] },
  { pattern: '^https://[a\\-z]+\\.example\\.com$', inputs: ['https://-.example.com'] },
  { pattern: '^https://[a-]+\\.example\\.com$', inputs: ['https://-.example.com'] },
  { pattern: '^https://\\x61\\u0062\\.example\\.com$', inputs: ['https://ab.example.com'] },
  { pattern: '^https://[\\x61-\\x7a]+\\.example\\.com$' },
  {
    pattern: '^https://\\141\\.example\\.com$',
    only: ['python-match', 'ruby', 'pcre'],
    inputs: ['https://a.example.com'],
  },
  { pattern: '^https://\\bexample\\b\\.com$' },
  { pattern: '^https://\\Bxample\\.com$' },
  {
    pattern: '^https://(a|ab)(c|bcd)\\.example\\.com$',
    inputs: ['https://abcd.example.com', 'https://ac.example.com'],
  },
  {
    pattern: '^https://\\h+\\.example\\.com$',
    only: ['ruby'],
    inputs: ['https://ab12.example.com'],
  },
  { pattern: '^https://example\\.com$', flags: 'x', only: ['python-match', 'ruby', 'pcre'] },
  {
    pattern: '^https:// example \\. com $  # the site',
    flags: 'x',
    only: ['python-match', 'python-search', 'ruby', 'pcre'],
  },
  {
    pattern: '(?x) ^https:// [a-z]+ \\.example\\.com $',
    only: ['python-fullmatch', 'python-search'],
  },
  { pattern: '^https://.*$', flags: 's', only: ['python-match', 'js', 'pcre'] },
  { pattern: '^https://.*$', flags: 'm', only: ['ruby'] },
  { pattern: '^https://example\\.com$', flags: 'm', only: ['python-search', 'pcre'] },
  { pattern: '^https://[[:alpha:]]+\\.example\\.com$', only: ['pcre'] },
  { pattern: '^https://(?#comment)example\\.com$', only: ['python-match', 'ruby', 'pcre'] },
  { pattern: '^https://example\\.com$', flags: 'y', only: ['js'] },
  { pattern: 'https://example\\.com$', flags: 'y', only: ['js'] },
  {
    pattern: '^https://\\w+\\.example\\.com$',
    flags: 'a',
    only: ['python-match', 'python-search'],
  },
  // What RE2 cannot run: refused with the reason.
  { pattern: '^https://(?!evil)[a-z]+\\.example\\.com$', unsupported: 'lookaround' },
  { pattern: '^https://(?<=x)a', unsupported: 'lookaround' },
  { pattern: '^https://([a-z]+)\\.\\1\\.com$', unsupported: 'backreference' },
  {
    pattern: '^https://(?P<s>[a-z]+)\\.(?P=s)\\.com$',
    only: ['python-match', 'python-search', 'pcre'],
    unsupported: 'backreference',
  },
  {
    pattern: '^https://(?>[a-z]+)\\.example\\.com$',
    only: ['ruby', 'pcre', 'python-match'],
    unsupported: 'atomic',
  },
  {
    pattern: '^https://[a-z]++\\.example\\.com$',
    only: ['ruby', 'pcre', 'python-match'],
    unsupported: 'possessive',
  },
  // Syntax one engine refuses: must not compile there.
  { pattern: '^https://(example\\.com$' },
  { pattern: '^https://[a-z\\.com$' },
  { pattern: '^https://*' },
  { pattern: '^https://\\qexample$' },
];

describe('compileOrigin agrees with the real engines', () => {
  const compared: Record<string, number> = {};
  for (const flavor of FLAVORS) {
    const present = flavor.startsWith('python')
      ? PYTHON
      : flavor === 'ruby'
        ? RUBY
        : flavor === 'pcre'
          ? PCRE2TEST
          : 'node';
    test(`${flavor}`, { skip: present ? false : `${flavor}: engine not installed` }, () => {
      const rows = ROWS.filter((r) => !r.only || r.only.includes(flavor));
      const cases: EngineCase[] = rows.map((r) => ({
        pattern: r.pattern,
        flavor,
        flags: r.flags ?? '',
        inputs: [...ORIGINS, ...(r.inputs ?? [])].filter((s) => flavor !== 'pcre' || pcreSafe(s)),
      }));
      const real = runEngine(flavor, cases);
      assert.ok(real, `${flavor} engine missing`);
      const problems: string[] = [];
      let agreed = 0;
      rows.forEach((row, k) => {
        const ours = compileOrigin(row.pattern, flavor, row.flags);
        const theirs = real[k];
        const where = `${flavor} /${row.pattern}/${row.flags ?? ''}`;
        if ('error' in theirs) {
          if (ours.ok)
            problems.push(`${where}: the engine refuses it (${theirs.error}) but it compiled`);
          return;
        }
        if (!ours.ok) {
          if (!row.unsupported || !ours.reason.includes(row.unsupported))
            problems.push(`${where}: refused (${ours.reason}) though the engine runs it`);
          return;
        }
        if (row.unsupported) problems.push(`${where}: compiled though RE2 cannot express it`);
        cases[k].inputs.forEach((input, j) => {
          const mine = ours.test(input);
          if (mine !== theirs[j])
            problems.push(
              `${where} on ${JSON.stringify(input)}: engine ${theirs[j]}, RE2 ${mine} (${ours.re2})`,
            );
          else agreed++;
        });
      });
      compared[flavor] = agreed;
      console.log(`${flavor}: ${agreed} pattern×origin results agree with the engine`);
      assert.deepEqual(problems, []);
      assert.ok(agreed > 300, `only ${agreed} comparisons for ${flavor}`);
    });
  }
});

describe('compileOrigin', () => {
  test('never throws and says why', () => {
    for (const p of ['(', '[', '\\', 'a{2,1}', 'a**', 'x{1001}', '(?<=a)b']) {
      for (const f of FLAVORS) {
        const m = compileOrigin(p, f);
        if (!m.ok) assert.match(m.reason, /\S/);
      }
    }
  });

  test('Ruby literal options that only pick an encoding are accepted, a JS m flag is refused', () => {
    const m = compileOrigin('^https://example\\.com$', 'ruby', 'iu');
    assert.ok(m.ok && m.test('https://EXAMPLE.com'));
    const js = compileOrigin('^a$', 'js', 'm');
    assert.ok(!js.ok && /\\r/.test(js.reason));
  });

  test('a catastrophic pattern runs in linear time', () => {
    const m = compileOrigin('^(https?://)?(.*)*\\.example\\.com$', 'python-match');
    assert.ok(m.ok);
    const t0 = performance.now();
    assert.equal(m.test(`https://${'a'.repeat(100_000)}`), false);
    assert.ok(performance.now() - t0 < 20_000);
  });
});

describe('compileOrigin exec: the groups the engines report', () => {
  const CASES: [string, string][] = [
    ['^https://([a-z0-9-]+)\\.example\\.com$', 'https://app.example.com'],
    ['^https://((?:[a-z]+\\.)*)(example|test)\\.(com|org)(:\\d+)?$', 'https://a.b.test.org:8080'],
    ['(a+?)(a*)', 'xaaa'],
    ['(a|ab)(c|bcd)(d*)', 'abcd'],
    ['^(https?)://(?:www\\.)?([^/:]+)(?::(\\d+))?', 'https://www.example.com:443/x'],
    ['([a-z]+)-(\\d+)?', 'pr-'],
  ];
  test('node', () => {
    for (const [p, s] of CASES) {
      const ours = compileOrigin(p, 'js');
      assert.ok(ours.ok);
      const theirs = new RegExp(p).exec(s);
      assert.deepEqual(ours.exec(s)?.groups, theirs ? [...theirs] : undefined, p);
    }
  });
  test('python re.search', { skip: PYTHON ? false : 'python3 missing' }, () => {
    const script = `
import json, re, sys
out = []
for p, s in json.loads(sys.argv[1]):
    m = re.search(p, s)
    out.append(None if m is None else [m.group(0), *m.groups()])
print(json.dumps(out))
`;
    const r = spawnSync(PYTHON ?? 'python3', ['-c', script, JSON.stringify(CASES)]);
    const theirs = JSON.parse(r.stdout.toString()) as ((string | null)[] | null)[];
    CASES.forEach(([p, s], k) => {
      const ours = compileOrigin(p, 'python-search');
      assert.ok(ours.ok);
      assert.deepEqual(
        ours.exec(s)?.groups.map((g) => g ?? null),
        theirs[k] ?? undefined,
        p,
      );
    });
  });
});
