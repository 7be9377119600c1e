/**
 * The ports a workspace's server listens on, and why: the ports its code writes (`app.listen(4000)`,
 * `app.run(port=5001)`), the ones its setup names (nginx's `listen`), launch commands that start it
 * (`package.json` scripts, `Procfile`, `Makefile`, compose, `.env`'s `PORT`, `config/puma.rb`),
 * then its framework's usual dev port. `explain` ranks servers by them; the probe and the preview
 * take the first as the server's address.
 */
import path from 'node:path';
import { projectOf } from '../base/project-root';
import type { SourceReader } from '../base/source-reader';
import { frameworkOf, frameworks } from '../frameworks';
import { grammarForText } from '../parsing/languages';
import { parseText } from '../parsing/parser';
import type { Policy } from '../policy/types';
import { explicitPorts } from '../workspace/app-ports';
import { launches, launchPortsIn, type LaunchPort } from '../workspace/launch-ports';
import type { FrontendCall } from '../workspace/types';

/** A port a server listens on, and what says so. */
export interface KnownPort {
  port: number;
  why: string;
  /** How sure: a port written for this app (code or launch command) beats a framework's usual one. */
  strength: 'explicit' | 'default';
}

/**
 * How far up launch files are read for `file`: the innermost of `scopes` (the editor's workspace
 * folders, the CLI's working folder) that holds it, where a compose file or Procfile beside several
 * apps lives; else the file's own project.
 */
export function launchRootOf(file: string, scopes: readonly string[]): string {
  const inside = scopes
    .map((s) => path.resolve(s))
    .filter((s) => !path.relative(s, file).startsWith('..'))
    .sort((a, b) => b.length - a.length)[0];
  return inside ?? projectOf(file).root;
}

/** Every framework's launch words: a command naming none of them may start any app below it. */
const allLaunchWords = frameworks.flatMap((f) => f.devServer.launchWords ?? []);

/** The launch commands of `file`'s folder and every folder above it up to `root`. */
export function launchPortsFor(
  file: string,
  root: string,
  reader: SourceReader,
  cache = new Map<string, LaunchPort[]>(),
): LaunchPort[] {
  const out: LaunchPort[] = [];
  let folder = path.dirname(file);
  for (;;) {
    let found = cache.get(folder);
    if (!found) {
      found = launchPortsIn(folder, reader);
      cache.set(folder, found);
    }
    out.push(...found);
    if (
      folder === root ||
      path.dirname(folder) === folder ||
      path.relative(root, folder).startsWith('..')
    )
      break;
    folder = path.dirname(folder);
  }
  return out;
}

/**
 * The ports of one server, surest first: written in its code (`code`), named by its setup,
 * in a launch command that starts it (nearest folder first), else its framework's usual ones.
 */
export function serverPorts(
  file: string,
  policies: readonly Policy[],
  code: number[],
  launch: LaunchPort[],
  root: string,
): KnownPort[] {
  const descriptor = frameworkOf(policies[0]);
  const ports: KnownPort[] = [];
  const add = (port: number, why: string, strength: KnownPort['strength']) => {
    if (!ports.some((p) => p.port === port)) ports.push({ port, why, strength });
  };
  for (const port of code) add(port, `${path.basename(file)} listens on ${port}`, 'explicit');
  for (const port of policies.flatMap((p) => descriptor.devServer.listenPorts?.(p) ?? []))
    add(port, `${path.basename(file)} listens on ${port}`, 'explicit');
  for (const l of launch)
    if (launches(l, file, descriptor.devServer.launchWords, allLaunchWords))
      add(
        l.port,
        `${path.relative(root, l.file) || path.basename(l.file)} starts it on ${l.port} (\`${l.command}\`)`,
        'explicit',
      );
  for (const port of [descriptor.devServer.port, ...(descriptor.devServer.callPorts ?? [])])
    add(port, `${port} is the usual port of ${descriptor.name}'s dev server`, 'default');
  return ports;
}

/**
 * The port the server of `policy` listens on, and why: the first of {@link serverPorts}, reading
 * the policy's file (`reader`, the open text in an editor) and the launch files up to `root`.
 */
export async function serverPortOf(
  policy: Policy,
  reader: SourceReader,
  root: string,
): Promise<KnownPort> {
  const text = reader.read(policy.file);
  const grammar = text === undefined ? undefined : grammarForText(policy.file, text);
  let code: number[] = [];
  if (grammar && text !== undefined) {
    const tree = await parseText(grammar, text);
    try {
      code = explicitPorts(grammar, tree, text);
    } finally {
      tree.delete();
    }
  }
  const launch = launchPortsFor(policy.file, root, reader);
  return serverPorts(policy.file, [policy], code, launch, root)[0];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server's URL when no policy says (the probe opened from a frontend file, or from no
 * file): where the workspace's frontend calls a local server (`fetch('http://localhost:4000/api')`),
 * else the first port a launch file of a workspace folder starts (package.json scripts, Procfile,
 * compose, `.env`'s `PORT`); undefined when neither says.
 */
export function workspaceServerUrl(
  calls: readonly FrontendCall[],
  reader: SourceReader,
  roots: readonly string[],
): { url: string; why: string } | undefined {
  for (const call of calls) {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      continue;
    }
    if (/^https?:$/.test(url.protocol) && LOOPBACK.has(url.hostname))
      return { url: url.href, why: `${path.basename(call.span.file)} calls it` };
  }
  for (const root of roots) {
    const [launch] = launchPortsIn(root, reader);
    if (launch)
      return {
        url: `http://127.0.0.1:${launch.port}/`,
        why: `${path.relative(root, launch.file) || path.basename(launch.file)} starts it on ${launch.port} (\`${launch.command}\`)`,
      };
  }
  return undefined;
}
