/** The status bar item's words (pure: unit-tested). */

/** What the item says for the active file: its findings, or that it configures no CORS. */
export function statusText(findings: number, configured: boolean): string {
  if (findings > 0) return `$(warning) CORS Lens: ${findings} finding${findings === 1 ? '' : 's'}`;
  return configured ? '$(check) CORS Lens: no findings' : 'CORS Lens: no CORS setup here';
}

/** Its hover: what a click offers. */
export function statusTooltip(findings: number, configured: boolean): string {
  const what =
    findings > 0
      ? `${findings} CORS finding${findings === 1 ? '' : 's'} in this file (see Problems).`
      : configured
        ? 'This file configures CORS; no finding.'
        : 'This file configures no CORS that CORS Lens reads.';
  return `${what} Click for: preview, probe, explain a CORS error, show output.`;
}
