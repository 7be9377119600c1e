// Preloaded into the CLI by the benches (node --require): writes the process's resource usage
// (CPU microseconds, peak RSS in KiB) as JSON on exit.
process.on('exit', () => {
  try {
    require('node:fs').writeFileSync(
      process.env.CORS_LENS_USAGE_FILE,
      JSON.stringify(process.resourceUsage()),
    );
  } catch {
    // The measurement is best effort.
  }
});
