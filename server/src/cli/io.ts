/** Where a command writes, and the folder paths are shown relative to (injectable for tests). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Reads standard input to its end (`explain -`); absent: there is none. */
  stdin?(): Promise<string>;
}

/** Bad command-line usage: exit code 2 with the message and the usage text. */
export class UsageError extends Error {}
