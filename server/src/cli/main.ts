import { setFlagsFromString } from 'node:v8';
import { version } from '../../../package.json';
import { runCli } from './run';

// A CLI run parses many small files once each: V8's optimising tier-up of the grammars' wasm
// would compile for longer than it saves, on the cores the run needs (measured: a 10,000-file
// repository checks in 0.43 s instead of 0.56 s). Set before any grammar loads.
setFlagsFromString('--liftoff-only');

// A reader that stops early (`cors-lens check --format json | head`) closes the pipe: stop
// quietly, as other Unix tools do, instead of crashing on the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

/**
 * The `cors-lens` command (bundled to dist/cli.js). Unexpected errors are reported in one line
 * (the stack with CORS_LENS_DEBUG=1) and exit 2, never as an unhandled crash.
 */
runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    stdin: async () => {
      process.stdin.setEncoding('utf8');
      let text = '';
      for await (const chunk of process.stdin) text += String(chunk);
      return text;
    },
  },
  version,
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const detail =
      process.env.CORS_LENS_DEBUG && error instanceof Error ? error.stack : String(error);
    process.stderr.write(`cors-lens: internal error: ${detail}\n`);
    process.exitCode = 2;
  },
);
