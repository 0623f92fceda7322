import type { CliIo } from './cli-io.js';

/** One `strata` command: its help and how to run it. */
export type Command = {
  /** The word after `strata`. */
  readonly name: string;
  /** One line for `strata --help`. */
  readonly summary: string;
  /** The full help text (`strata <name> --help`). */
  readonly usage: string;
  /**
   * Runs the command with the arguments after its name (help is handled before).
   * Resolves with the exit code; throws a `StrataError` (a `UsageError` for a bad command line).
   */
  run(argv: readonly string[], io: CliIo): Promise<number>;
};
