/** The environment item's words and choices (pure: unit-tested). */

/** The environments every project has (server/src/environment/resolve.ts, DEFAULT_ENVIRONMENTS). */
const DEFAULTS = ['development', 'production'];

/** How an environment is named to the user: empty is the code as written. */
export const environmentLabel = (environment: string): string => environment || 'as written';

/** The item's text: the environment the diagnostics and the preview are computed in. */
export const environmentText = (environment: string): string =>
  `$(server-environment) CORS Lens env: ${environmentLabel(environment)}`;

/** Its hover. */
export function environmentTooltip(environment: string): string {
  const what = environment
    ? `CORS Lens reads the code in ${environment}: its env files answer the code's env reads.`
    : 'CORS Lens reads the code as written: every environment variable unset.';
  return `${what} Diagnostics, the preview and the probe's prediction use it. Click to switch.`;
}

/**
 * The environments to offer: the ones the server named for the file, else the defaults and the
 * user's `corsLens.environments`, once each, in that order.
 */
export function environmentChoices(
  offered: readonly string[] | undefined,
  extra: readonly string[],
): string[] {
  return [...new Set(offered?.length ? offered : [...DEFAULTS, ...extra])];
}
