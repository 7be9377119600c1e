import { policyForPath } from '../policy/paths';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DiskReader } from '../base/disk-reader';
import { analyzeFile } from './analyze-file';
import { formatPreviewText } from './format-preview';
import { UsageError, type CliIo } from './io';
import { previewReport, previewServerAt, type PreviewInput } from '../analysis/preview-report';
import { launchRootOf, serverPortOf } from '../analysis/server-ports';
import { displayPath } from './report';
import { terminalSafe } from './terminal-safe';
import { environmentOf } from '../environment/resolve';
import { fileInEnvironment } from '../analysis/environment-policies';

/** `preview`'s parsed command line. */
export interface PreviewOptions extends PreviewInput {
  file: string;
  format: 'text' | 'json';
  /** The environment whose env files apply (`development`, `production`, ...); none: every variable unset. */
  env?: string;
}

/**
 * `cors-lens preview`: the policy found in the file, the predicted preflight and actual
 * responses, and the browser's verdict. Exit 0 when the browser allows the request, 1 when it
 * blocks it or the file configures no CORS (nothing to preview), as `probe` does.
 */
export async function previewCommand(options: PreviewOptions, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, options.file);
  if (!existsSync(file)) throw new UsageError(`no such file: ${options.file}`);
  const reader = new DiskReader();
  const environment = options.env ? environmentOf(options.env, file, reader) : undefined;
  // Django: the environment's settings module is what runs there, whichever settings file was named.
  const target = environment ? fileInEnvironment(environment, file, reader) : file;
  // The file that runs there is the one shown (dev.py, not the base.py a user named).
  const shown = displayPath(target, io.cwd);
  const result = await analyzeFile(target, reader, undefined, undefined, environment);
  if ('problem' in result) {
    io.stderr(`${terminalSafe(shown)}: cannot preview: ${result.problem}\n`);
    return 1;
  }
  const policy = policyForPath(result.analysis.policies, options.path || '/');
  if (!policy) {
    if (options.format === 'json') io.stdout(JSON.stringify({ policy: null }, null, 2) + '\n');
    io.stderr(`${terminalSafe(shown)}: no CORS configuration found\n`);
    return 1;
  }
  const port = await serverPortOf(policy, reader, launchRootOf(file, [io.cwd]));
  const report = previewReport(policy, { ...options, server: previewServerAt(port.port) });
  if (options.format === 'json')
    io.stdout(
      JSON.stringify({ ...report, policy: { ...report.policy, file: shown } }, null, 2) + '\n',
    );
  else io.stdout(formatPreviewText(report, shown, environment?.name));
  return report.verdict.allowed ? 0 : 1;
}
