import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * YAML text as plain data, read by PyYAML (Debian's python3-yaml, which test/install-system.sh
 * installs): the same YAML 1.1 reading as pre-commit's, and close to the Actions runner's.
 */
export function parseYaml(text: string): unknown {
  const json = execFileSync(
    '/usr/bin/python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: text, encoding: 'utf8' },
  );
  return JSON.parse(json) as unknown;
}

/** A YAML file as plain data (see `parseYaml`). */
export const loadYaml = (file: string): unknown => parseYaml(readFileSync(file, 'utf8'));

/** The ```yaml blocks of a Markdown section (from its `## title` line to the next `## `), parsed. */
export function yamlBlocksOf(markdown: string, title: string): unknown[] {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section '## ${title}'`);
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parseYaml(m[1]));
}
