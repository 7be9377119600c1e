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
if (parentPort && (workerData as { role?: string } | undefined)?.role === analysisWorkerRole) {
  const port = parentPort;
  void import('./analysis-worker').then(({ runAnalysisWorker }) => runAnalysisWorker(port));
} else {
  const worker = spawnAnalysisWorker(__filename);
  void import('./language-server').then(({ startLanguageServer }) =>
    startLanguageServer(__filename, worker),
  );
}
