/**
 * Writes what is derived from the check registry: the check tables of README.md and
 * docs/README.md (between their `<!-- checks:start -->` and `<!-- checks:end -->` markers) and
 * `corsLens.severity` in package.json. `npm run docs` writes them; the registry test fails when
 * a committed file differs from what this would write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checks } from '../server/src/analysis/analyze';
import type { Check } from '../server/src/checks/types';

const repo = path.join(__dirname, '..');
const START = '<!-- checks:start -->';
const END = '<!-- checks:end -->';

const severityText = (check: Check): string =>
  check.severityNote ? `${check.severity} (${check.severityNote})` : check.severity;
const scope = (check: Check): string => (check.frameworks ? check.frameworks.join(', ') : 'all');

function readmeTable(): string {
  const rows = checks.map(
    (c) =>
      `| [${c.id}](docs/checks/${c.id}.md) | ${scope(c)} | ${severityText(c)} | ${c.fix ? c.fix.description : '—'} |`,
  );
  return ['| check | frameworks | default | fix |', '|---|---|---|---|', ...rows].join('\n');
}

function docsTable(): string {
  const rows = checks.map(
    (c) =>
      `| [${c.id}](checks/${c.id}.md) | ${scope(c)} | ${severityText(c)} | ${c.description} | ${c.fix ? `yes (${c.fix.safety})` : 'no'} |`,
  );
  return [
    '| check | frameworks | default severity | what it reports | fixable |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** `text` with the part between the markers replaced by `table`. */
function between(text: string, table: string, file: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} markers`);
  return `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`;
}

const LEVELS = ['error', 'warning', 'info', 'hint', 'off'];
const LEVEL_NAMES = ['Error', 'Warning', 'Information', 'Hint', 'Do not run this check'];

function packageJson(text: string): string {
  const pkg = JSON.parse(text);
  const severity = pkg.contributes.configuration.properties['corsLens.severity'];
  severity.properties = Object.fromEntries(
    checks.map((c) => [
      c.id,
      { type: 'string', enum: LEVELS, enumDescriptions: LEVEL_NAMES, description: c.description },
    ]),
  );
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Each generated file: its path and the text it should have. */
export function generated(): { file: string; text: string }[] {
  const read = (file: string) => readFileSync(path.join(repo, file), 'utf8');
  return [
    { file: 'README.md', text: between(read('README.md'), readmeTable(), 'README.md') },
    {
      file: 'docs/README.md',
      text: between(read('docs/README.md'), docsTable(), 'docs/README.md'),
    },
    { file: 'package.json', text: packageJson(read('package.json')) },
  ];
}

if (require.main === module) {
  for (const { file, text } of generated()) writeFileSync(path.join(repo, file), text);
  console.log(`wrote ${generated().length} files from ${checks.length} checks`);
}
