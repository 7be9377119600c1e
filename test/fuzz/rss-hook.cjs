// Preloaded into the CLI under fuzz (node --require): writes the process's peak RSS (KiB) and
// the CPU time it used (ms, user + system) on exit.
process.on('exit', () => {
  try {
    const { user, system } = process.cpuUsage();
    require('node:fs').writeFileSync(
      process.env.CORS_FUZZ_RSS_FILE,
      `${process.resourceUsage().maxRSS} ${(user + system) / 1000}`,
    );
  } catch {
    // The measurement is best effort.
  }
});
