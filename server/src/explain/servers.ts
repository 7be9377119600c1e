/**
 * The servers of a workspace that `explain` can blame: every file that configures CORS (an app,
 * an nginx configuration), with the ports it is known to listen on and why.
 */
import type { SourceReader } from '../base/source-reader';
import { mayReport } from '../analysis/may-report';
import { walk } from '../analysis/walk';
import { extractPolicies } from '../frameworks';
import { grammarFor } from '../parsing/languages';
import { parseText } from '../parsing/parser';
import type { Policy } from '../policy/types';
import { explicitPorts } from '../workspace/app-ports';
import type { LaunchPort } from '../workspace/launch-ports';
import { launchPortsFor, serverPorts, type KnownPort } from '../analysis/server-ports';

export type { KnownPort };

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
          ports: serverPorts(
            file,
            own,
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
