import { execFileSync } from 'node:child_process';
import path from 'node:path';

let modules: string | undefined;

/**
 * The node_modules folder of the real Next.js (with React), installed outside the repo by
 * test/truth/nextjs/install-next.sh and cached by version (next is not a devDependency: see there).
 */
export function nextModules(): string {
  modules ??= execFileSync('bash', [path.join(__dirname, '../truth/nextjs/install-next.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return modules;
}
