/**
 * The servers of a workspace that `explain` can blame: every file that configures CORS (an app,
 * an nginx configuration), with the ports it is known to listen on and why.
 */
import path from 'node:path';
import type { SourceReader } from '../base/source-reader';
import { mayReport } from '../analysis/may-report';
import { walk } from '../analysis/walk';
import { extractPolicies, frameworkOf } from '../frameworks';
import { grammarFor } from '../parsing/languages';
import { parseText } from '../parsing/parser';
import type { Policy } from '../policy/types';
import { explicitPorts } from '../workspace/app-ports';
import { launches, launchPortsIn, type LaunchPort } from './launch-ports';

/** A port a server listens on, and what says so. */
export interface KnownPort {
  port: number;
  why: string;
  /** How sure: a port written for this app (code or launch command) beats a framework's usual one. */
  strength: 'explicit' | 'default';
}

/** One file of the workspace that configures CORS. */
export interface WorkspaceServer {
  file: string;
  framework: Policy['framework'];
  /** Its configured policies, in the order `policyForPath` picks among them. */
  policies: Policy[];
  ports: KnownPort[];
}

/** How many files a scan reads at most: a huge monorepo should not stall an explanation. */
const MAX_FILES = 5000;

/** The launch commands of `file`'s folder and every folder above it up to `root`. */
function launchPortsFor(
  file: string,
  root: string,
  reader: SourceReader,
  cache: Map<string, LaunchPort[]>,
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

/** The ports of one server: written in its code, in a launch command that starts it, else its framework's usual one. */
function portsOf(
  file: string,
  framework: Policy['framework'],
  code: number[],
  launch: LaunchPort[],
  root: string,
): KnownPort[] {
  const ports: KnownPort[] = code.map((port) => ({
    port,
    why: `${path.basename(file)} listens on ${port}`,
    strength: 'explicit',
  }));
  for (const l of launch) {
    if (!launches(l, file, framework) || ports.some((p) => p.port === l.port)) continue;
    ports.push({
      port: l.port,
      why: `${path.relative(root, l.file) || path.basename(l.file)} starts it on ${l.port} (\`${l.command}\`)`,
      strength: 'explicit',
    });
  }
  const dev = frameworkOf({ framework }).devServer;
  for (const port of [dev.port, ...(dev.callPorts ?? [])]) {
    if (ports.some((p) => p.port === port)) continue;
    ports.push({
      port,
      why: `${port} is the usual port of ${frameworkOf({ framework }).name}'s dev server`,
      strength: 'default',
    });
  }
  return ports;
}

/** Reads every file under `root` that configures CORS. */
export async function scanServers(root: string, reader: SourceReader): Promise<WorkspaceServer[]> {
  const out: WorkspaceServer[] = [];
  const launchCache = new Map<string, LaunchPort[]>();
  for (const file of walk(root).slice(0, MAX_FILES)) {
    const grammar = grammarFor(file);
    const text = grammar ? reader.read(file) : undefined;
    if (!grammar || text === undefined || !mayReport(file, grammar, text)) continue;
    const tree = await parseText(grammar, text);
    try {
      const policies = (await extractPolicies(grammar, file, text, tree, reader)).filter(
        (p) => p.configured,
      );
      if (!policies.length) continue;
      // A file may hold several frameworks' setups (hand-set headers beside a library): one server each.
      for (const framework of [...new Set(policies.map((p) => p.framework))]) {
        const own = policies.filter((p) => p.framework === framework);
        out.push({
          file,
          framework,
          policies: own,
          ports: portsOf(
            file,
            framework,
            explicitPorts(grammar, tree, text),
            launchPortsFor(file, root, reader, launchCache),
            root,
          ),
        });
      }
    } finally {
      tree.delete();
    }
  }
  return out;
}
