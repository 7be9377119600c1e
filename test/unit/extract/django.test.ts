import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { extractDjango } from '../../../server/src/frameworks/django/extract';
import type { SourceReader } from '../../../server/src/base/source-reader';
import { parseText } from '../../../server/src/parsing/parser';
import { type Policy, type StaticValue, factsOf } from '../../../server/src/policy/types';

const noFiles: SourceReader = { read: () => undefined };

async function extract(
  text: string,
  file = '/project/settings.py',
  reader: SourceReader = noFiles,
): Promise<Policy | null> {
  const tree = await parseText('python', text);
  try {
    return await extractDjango(file, text, tree, reader);
  } finally {
    tree.delete();
  }
}

const setting = (policy: Policy | null, name: string): StaticValue | undefined =>
  (policy ? factsOf(policy, 'django') : undefined)?.settings.get(name)?.value;
const strs = (value: StaticValue | undefined): string[] =>
  value?.kind === 'list'
    ? value.items.map((i) => (i.kind === 'str' ? i.value : `<${i.kind}>`))
    : [];

describe('Django extractor', () => {
  it('ignores a Python file that configures no CORS', async () => {
    assert.equal(await extract('DEBUG = True\nINSTALLED_APPS = ["django.contrib.auth"]\n'), null);
  });

  it('resolves constants, list sums, +=, append, insert, extend and remove', async () => {
    const policy = await extract(`
FRONT = "https://app.example.com"
CORS_ALLOWED_ORIGINS = [FRONT] + ["https://b.example.com"]
CORS_ALLOWED_ORIGINS += ("https://c.example.com",)
CORS_ALLOWED_ORIGINS.append("https://d.example.com")
CORS_ALLOWED_ORIGINS.insert(0, "https://first.example.com")
CORS_ALLOWED_ORIGINS.extend(["https://e.example.com"])
CORS_ALLOWED_ORIGINS.remove("https://b.example.com")
`);
    assert.deepEqual(
      policy?.origins.exact.map((o) => o.value),
      [
        'https://first.example.com',
        'https://app.example.com',
        'https://c.example.com',
        'https://d.example.com',
        'https://e.example.com',
      ],
    );
    assert.equal(policy?.origins.dynamic, false);
  });

  it('expands *default_headers and list(default_headers) with the library defaults', async () => {
    const splat = await extract(
      'from corsheaders.defaults import default_headers\nCORS_ALLOW_HEADERS = (*default_headers, "x-session-token")\n',
    );
    assert.deepEqual(splat?.headers.names, [
      'accept',
      'accept-encoding',
      'authorization',
      'content-type',
      'dnt',
      'origin',
      'user-agent',
      'x-csrftoken',
      'x-requested-with',
      'x-session-token',
    ]);
    const listed = await extract(
      'from corsheaders.defaults import default_methods\nCORS_ALLOW_METHODS = list(default_methods) + ["PROPFIND"]\n',
    );
    assert.deepEqual(listed?.methods.names, [
      'DELETE',
      'GET',
      'OPTIONS',
      'PATCH',
      'POST',
      'PUT',
      'PROPFIND',
    ]);
  });

  it('reads environment defaults and marks them env-driven', async () => {
    const policy = await extract(`import os
CORS_ALLOWED_ORIGINS = os.getenv("CORS_ORIGINS", "https://a.example.com,https://b.example.com").split(",")
CORS_ALLOWED_ORIGIN_REGEXES = [os.environ.get("CORS_REGEX", r"^https://\\w+\\.example\\.com$")]
`);
    assert.deepEqual(
      policy?.origins.exact.map((o) => o.value),
      ['https://a.example.com', 'https://b.example.com'],
    );
    assert.deepEqual(
      policy?.origins.regexes.map((r) => r.pattern),
      ['^https://\\w+\\.example\\.com$'],
    );
    assert.equal(policy?.origins.envDriven, true);
    assert.equal(policy?.origins.dynamic, false);
  });

  it('strips env lists cleaned by a comprehension', async () => {
    const policy = await extract(`import os
CORS_ALLOWED_ORIGINS = [o.strip() for o in os.environ.get("ORIGINS", "https://a.example.com, https://b.example.com").split(",") if o.strip()]
`);
    assert.deepEqual(
      policy?.origins.exact.map((o) => o.value),
      ['https://a.example.com', 'https://b.example.com'],
    );
  });

  it('marks what it cannot resolve as dynamic', async () => {
    const policy = await extract(`import os, env
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_CREDENTIALS = os.environ["CREDS"] == "1"
CORS_ALLOW_HEADERS = [f"x-{name}"]
`);
    assert.equal(policy?.origins.dynamic, true);
    assert.equal(policy?.credentials, 'dynamic');
    assert.equal(policy?.headers.dynamic, true);
  });

  it('marks settings assigned under if as dynamic', async () => {
    const policy = await extract('DEBUG = True\nif DEBUG:\n    CORS_ALLOW_ALL_ORIGINS = True\n');
    assert.equal(setting(policy, 'CORS_ALLOW_ALL_ORIGINS')?.kind, 'dynamic');
    assert.equal(policy?.origins.allowAll, false);
    assert.equal(policy?.origins.dynamic, true);
  });

  it('reads deprecated names as fallbacks and prefers the new ones', async () => {
    const old = await extract(
      'CORS_ORIGIN_WHITELIST = ["https://old.example.com"]\nCORS_ORIGIN_ALLOW_ALL = True\n',
    );
    assert.deepEqual(
      old?.origins.exact.map((o) => o.value),
      ['https://old.example.com'],
    );
    assert.equal(old?.origins.allowAll, true);
    const both = await extract(
      'CORS_ALLOWED_ORIGINS = ["https://new.example.com"]\nCORS_ORIGIN_WHITELIST = ["https://old.example.com"]\n',
    );
    assert.deepEqual(
      both?.origins.exact.map((o) => o.value),
      ['https://new.example.com'],
    );
  });

  it('iterates a bare string per character, as corsheaders does', async () => {
    const policy = await extract('CORS_ALLOWED_ORIGINS = "https://a"\n');
    assert.deepEqual(
      policy?.origins.exact.map((o) => o.value),
      [...'https://a'],
    );
  });

  it('applies the library defaults for unset settings', async () => {
    const policy = await extract('CORS_ALLOWED_ORIGINS = []\n');
    assert.equal(policy?.credentials, false);
    assert.equal(policy?.maxAge, 86400);
    assert.equal(policy?.urlRegex, '^.*$');
    assert.deepEqual(policy?.methods.names, ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    assert.equal(factsOf(policy, 'django')?.corsMiddleware, 'dynamic');
  });

  it('follows split settings: base first, later assignments and try-imported local settings win', async () => {
    const dir = path.join(
      __dirname,
      '../../fixtures/extract/django/split-settings/project/settings',
    );
    const file = path.join(dir, 'production.py');
    const policy = await extract(readFileSync(file, 'utf8'), file, new DiskReader());
    assert.deepEqual(
      policy?.origins.exact.map((o) => o.value),
      ['https://app.example.com', 'https://admin.example.com'],
    );
    assert.equal(
      policy?.credentials,
      false,
      'local_settings.py, imported last, sets it back to False',
    );
    assert.equal(
      factsOf(policy, 'django')?.settings.get('CORS_ALLOW_CREDENTIALS')?.statement.file,
      path.join(dir, 'local_settings.py'),
    );
    assert.equal(
      factsOf(policy, 'django')?.settings.get('CORS_ALLOWED_ORIGINS')?.statement.file,
      path.join(dir, 'base.py'),
    );
    assert.deepEqual(strs(setting(policy, 'CORS_ALLOW_HEADERS'))?.slice(-2), [
      'x-requested-with',
      'x-session-token',
    ]);
    assert.deepEqual(
      policy?.files.map((f) => path.basename(f)),
      ['base.py', 'local_settings.py', 'production.py'],
    );
    assert.equal(factsOf(policy, 'django')?.corsMiddleware, 'present');
  });

  it('survives broken Python mid-edit without inventing values', async () => {
    const policy = await extract(
      'CORS_ALLOWED_ORIGINS = [\n    "https://a.example.com",\n    "https://b.exa\nCORS_ALLOW_CREDENTIALS = True\n',
    );
    assert.ok(policy === null || policy.origins.exact.every((o) => o.value.startsWith('https://')));
  });

  it('places spans in UTF-16 units after non-ASCII text', async () => {
    const text = '# café ☕ 😀\nCORS_ALLOWED_ORIGINS = ["https://é.example.com"]\n';
    const policy = await extract(text);
    const origin = policy!.origins.exact[0];
    assert.equal(text.slice(origin.span!.start, origin.span!.end), '"https://é.example.com"');
  });
});
