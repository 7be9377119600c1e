/**
 * One file's analysis that threw: reported as a finding on that file so that the run (CLI) or
 * the session (language server) goes on with every other file. Not a registered check: it says
 * nothing about CORS, only that this file's CORS could not be read.
 */
import { docsUrl, type Finding } from '../checks/types';
import { InputLimit } from '../base/input-limit';

export const ANALYSIS_FAILED = 'analysis-failed';

/** The error's first line, with its name (`RangeError: Maximum call stack size exceeded`). */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split(/\r\n|\r|\n/)[0].slice(0, 300);
}

/** The finding for a file whose extraction or checks threw `error`. */
export function analysisFailed(file: string, error: unknown): Finding {
  return {
    check: ANALYSIS_FAILED,
    severity: 'warning',
    message:
      error instanceof InputLimit
        ? `CORS Lens did not analyse this file: ${error.message}; its CORS setup is not checked.`
        : `CORS Lens could not analyse this file (${firstLine(error)}); its CORS setup is not checked. Please report it with the file if you can.`,
    span: { file, start: 0, end: 0 },
    docs: docsUrl(ANALYSIS_FAILED),
  };
}
