import { Worker } from 'node:worker_threads';
import { analysisWorkerRole } from './analysis-messages';

/**
 * Starts `script` (the server bundle) as the analysis worker. Kept apart from `analysis-thread.ts`
 * so the entry can start the worker before it loads the LSP side (issue 21: both threads then
 * load the bundle at once instead of one after the other).
 */
export function spawnAnalysisWorker(script: string): Worker {
  // Its own stdout and stderr: the process's stdout may be the LSP channel.
  return new Worker(script, {
    workerData: { role: analysisWorkerRole },
    // The grammars to preload (`--preload=`, startup.ts): the worker is the one that parses.
    argv: process.argv.filter((arg) => arg.startsWith('--preload=')),
    stdout: true,
    stderr: true,
  });
}
