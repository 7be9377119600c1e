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
   * Milliseconds one file's extraction may take (checked between steps: each framework, each
   * file it follows); a file over it is reported by `analysis-over-budget`, not silently missed.
   */
  analysisBudgetMs: number;
  /**
   * Environments besides `development` and `production` (e.g. `staging`, read from
   * `.env.staging`): the preview shows each, side by side where they differ.
   */
  environments: string[];
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
  ],
  devPatterns: [
    '**/settings/dev*.py',
    '**/settings/local*.py',
    '**/local_settings.py',
    '**/settings/test*.py',
  ],
  // Generous: a busy machine (CI, a laptop compiling) must not turn ordinary files into misses.
  analysisBudgetMs: 5000,
  environments: [],
};
