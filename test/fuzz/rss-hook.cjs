// Preloaded into the CLI under fuzz (node --require): writes the process's peak RSS (KiB) on exit.
process.on('exit', () => {
  try {
    require('node:fs').writeFileSync(
      process.env.CORS_FUZZ_RSS_FILE,
      String(process.resourceUsage().maxRSS),
    );
  } catch {
    // The measurement is best effort.
  }
});
