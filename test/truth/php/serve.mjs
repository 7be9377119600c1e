// Serves one fixture with PHP's built-in server on 127.0.0.1 (a free port PHP picks) and prints
// `PORT <n>` once it listens, as the truth suites wait for. Usage: node serve.mjs <dir>/index.php
import { spawn } from 'node:child_process';
import path from 'node:path';

const router = path.resolve(process.argv[2]);
const php = spawn('/usr/bin/php', ['-S', '127.0.0.1:0', '-t', path.dirname(router), router], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
php.stderr.on('data', (chunk) => {
  log += chunk.toString();
  const started = /Development Server \(http:\/\/127\.0\.0\.1:(\d+)\) started/.exec(log);
  if (started && !log.includes('PORT_SENT')) {
    log += 'PORT_SENT';
    process.stdout.write(`PORT ${started[1]}\n`);
  }
});
php.on('exit', (code) => {
  process.stderr.write(log);
  process.exit(code ?? 1);
});
const stop = () => php.kill();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
