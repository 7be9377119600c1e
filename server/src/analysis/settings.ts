import type { Severity } from '../checks/types';

/**
 * The user's settings (`corsLens.*`), one typed schema with defaults. `package.json`
 * `contributes.configuration` mirrors it; a test keeps the two in step.
 */
export interface CorsLensSettings {
  /** Run the checks at all. */
  enable: boolean;
  /** Origins that fixes put in place of `*` or a bad origin. */
  allowedOrigins: string[];
  /** Per-check severity override; `off` silences a check. */
  severity: Record<string, Severity | 'off'>;
  /** Globs of files that hold production settings (stricter checks). */
  productionPatterns: string[];
  /** Globs of files that hold development settings (never production). */
  devPatterns: string[];
  /**
   * Milliseconds of CPU time one file's analysis may take: its parse, extraction and checks
   * (checked between steps and inside the walks and the checks' model requests); a file over it
   * is reported by `analysis-over-budget`, not silently missed.
   */
  analysisBudgetMs: number;
  /**
   * The most diagnostics the editor shows for one file (the most severe first), with a note
   * saying how many more there are; the CLI reports every finding.
   */
  maxDiagnosticsPerFile: number;
  /**
   * Environments besides `development` and `production` (e.g. `staging`, read from
   * `.env.staging`): the preview shows each, side by side where they differ.
   */
  environments: string[];
  /**
   * The environment the diagnostics, the preview and the probe's prediction are computed in
   * (its env files answer env reads); empty: the code as written, every variable unset. The
   * status bar's environment item sets it for the workspace.
   */
  environment: string;
}

export const defaultSettings: CorsLensSettings = {
  enable: true,
  allowedOrigins: [],
  severity: {},
  productionPatterns: [
    '**/settings/prod*.py',
    '**/settings/production*.py',
    '**/prod_settings.py',
    '**/production.py',
    // Debian's layout of a deployed nginx (/etc/nginx/sites-available, linked from sites-enabled):
    // a vhost written there is what the public server runs.
    '**/sites-available/**',
    '**/sites-enabled/**',
  ],
  devPatterns: [
    '**/settings/dev*.py',
    '**/settings/local*.py',
    '**/local_settings.py',
    '**/settings/test*.py',
  ],
  // Issue 16's target (a file answered in 1 s or reported). Ordinary files take 2 ms of CPU
  // (p99 17 ms, max 28 ms over examples/ and test/fixtures: bench/file-times.ts), and the
  // budget counts CPU time, so a busy machine does not turn them into misses.
  analysisBudgetMs: 1000,
  // Enough for any real file (the largest real setups give a few dozen findings); 10,000
  // diagnostics took the editor's LSP thread 0.6-0.9 s to publish.
  maxDiagnosticsPerFile: 300,
  environments: [],
  environment: '',
};
