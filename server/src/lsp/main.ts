import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { analysisWorkerRole } from './analysis-messages';
import { spawnAnalysisWorker } from './analysis-worker-spawn';

/**
 * The language server's entry (bundled to dist/server.js). The same bundle, started as a worker
 * thread in the analysis role, is the analysis worker. Each role's modules are imported only in
 * that role (esbuild evaluates a dynamically imported module when it is imported), and the LSP
 * thread starts the worker before it loads its own side: the two threads load at once, so the
 * worker is ready for the first document sooner (issue 21, docs/first-squiggle.md).
 */
// V8 grows a thread's young generation up to 2 × 16 MB under a burst of messages (opening many
// files) and keeps it: up to 48 MB of the server's RSS across its two threads. The LSP thread's is
// kept at its initial 2 × 1 MB (V8 reads the growth factor at each growth, so it holds for the
// thread already running; the worker has its own limit, analysis-worker-spawn.ts).
if (!parentPort) setFlagsFromString('--semi-space-growth-factor=1');

if (parentPort && (workerData as { role?: string } | undefined)?.role === analysisWorkerRole) {
  const port = parentPort;
  void import('./analysis-worker').then(({ runAnalysisWorker }) => runAnalysisWorker(port));
} else {
  const worker = spawnAnalysisWorker(__filename);
  void import('./language-server').then(({ startLanguageServer }) =>
    startLanguageServer(__filename, worker),
  );
}
