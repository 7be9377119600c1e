import { parseArgs } from 'node:util';
import { checkCommand, type CheckFormat } from './check-command';
import { UsageError, type CliIo } from './io';
import { explainCommand } from './explain-command';
import { previewCommand } from './preview-command';
import { probeCommand } from './probe-command';
import { failOnValues, type FailOn } from './report';
import { usage } from './usage';
import { terminalSafe } from './terminal-safe';

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  flag: string,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

/** Runs node's parseArgs (in a thunk, to keep its inferred types), its errors turned into usage errors. */
function parse<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Runs one command line (without `node cli.js`); returns the exit code. */
export async function runCli(argv: string[], io: CliIo, version: string): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check': {
        const { values, positionals } = parse(() =>
          parseArgs({
            args: rest,
            options: {
              format: { type: 'string' },
              fix: { type: 'boolean' },
              'fix-rounds': { type: 'string' },
              'budget-ms': { type: 'string' },
              'fail-on': { type: 'string' },
            },
            allowPositionals: true,
            strict: true,
          }),
        );
        const format = oneOf<CheckFormat>(
          values.format,
          ['text', 'json', 'sarif'],
          'text',
          '--format',
        );
        const budget = values['budget-ms'];
        const budgetMs = budget === undefined ? undefined : Number(budget);
        if (budgetMs !== undefined && !(Number.isFinite(budgetMs) && budgetMs >= 0))
          throw new UsageError(`--budget-ms must be a number of milliseconds (got '${budget}')`);
        const failOn = oneOf<FailOn>(values['fail-on'], failOnValues, 'error', '--fail-on');
        const rounds = values['fix-rounds'];
        const fixRounds = rounds === undefined ? undefined : Number(rounds);
        if (fixRounds !== undefined && !(Number.isInteger(fixRounds) && fixRounds >= 1))
          throw new UsageError(`--fix-rounds must be a whole number from 1 (got '${rounds}')`);
        return await checkCommand(
          {
            paths: positionals,
            format,
            fix: values.fix === true,
            fixRounds,
            budgetMs,
            failOn,
            version,
          },
          io,
        );
      }
      case 'preview': {
        const { values, positionals } = parse(() =>
          parseArgs({
            args: rest,
            options: {
              origin: { type: 'string' },
              path: { type: 'string' },
              method: { type: 'string' },
              header: { type: 'string', multiple: true },
              credentials: { type: 'boolean' },
              format: { type: 'string' },
              env: { type: 'string' },
            },
            allowPositionals: true,
            strict: true,
          }),
        );
        if (positionals.length !== 1) throw new UsageError('preview takes exactly one file');
        if (!values.origin) throw new UsageError('preview needs --origin');
        return await previewCommand(
          {
            file: positionals[0],
            origin: values.origin,
            path: values.path,
            method: values.method,
            headers: values.header,
            credentials: values.credentials === true,
            format: oneOf(values.format, ['text', 'json'] as const, 'text', '--format'),
            env: values.env,
          },
          io,
        );
      }
      case 'probe': {
        const { values, positionals } = parse(() =>
          parseArgs({
            args: rest,
            options: {
              origin: { type: 'string' },
              method: { type: 'string' },
              header: { type: 'string', multiple: true },
              credentials: { type: 'boolean' },
              sweep: { type: 'boolean' },
              format: { type: 'string' },
            },
            allowPositionals: true,
            strict: true,
          }),
        );
        if (positionals.length !== 1) throw new UsageError('probe takes exactly one URL');
        if (!values.origin) throw new UsageError('probe needs --origin');
        return await probeCommand(
          {
            url: positionals[0],
            origin: values.origin,
            method: values.method,
            headers: values.header,
            credentials: values.credentials === true,
            sweep: values.sweep === true,
            format: oneOf(values.format, ['text', 'json'] as const, 'text', '--format'),
          },
          io,
        );
      }
      case 'explain': {
        const { values, positionals } = parse(() =>
          parseArgs({
            args: rest,
            options: {
              har: { type: 'string' },
              root: { type: 'string' },
              origin: { type: 'string' },
              format: { type: 'string' },
            },
            allowPositionals: true,
            strict: true,
          }),
        );
        if (positionals.length > 1)
          throw new UsageError(
            'explain takes one message (quote it; - or nothing reads it from stdin)',
          );
        if (values.har && positionals.length)
          throw new UsageError('explain takes a message or --har, not both');
        return await explainCommand(
          {
            message: positionals[0],
            har: values.har,
            root: values.root,
            origin: values.origin,
            format: oneOf(values.format, ['text', 'json'] as const, 'text', '--format'),
          },
          io,
        );
      }
      case '--version':
        io.stdout(`${version}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        io.stdout(usage);
        return 0;
      default:
        throw new UsageError(
          command === undefined ? 'no command given' : `unknown command '${command}'`,
        );
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`cors-lens: ${terminalSafe(error.message)}\n\n${usage}`);
    return 2;
  }
}
