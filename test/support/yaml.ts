import { execFileSync } from 'node:child_process';

/**
 * A YAML file as plain data, loaded by PyYAML (Debian's python3-yaml, which test/install-system.sh
 * installs): the same YAML 1.1 reading as pre-commit's, and close to the Actions runner's.
 */
export function loadYaml(file: string): unknown {
  const json = execFileSync(
    '/usr/bin/python3',
    [
      '-c',
      'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding="utf-8")), sys.stdout)',
      file,
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(json) as unknown;
}
