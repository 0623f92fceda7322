import { StrataError, type ErrorCode, type StrataErrorOptions } from '@strata/core';

/** Codes the CLI adds to `@strata/core`'s {@link ErrorCode}s. */
export const CliErrorCodes = {
  /** A command line the CLI cannot run: an unknown command or option, a missing or malformed value. Exit code 2. */
  USAGE: 'USAGE',
  /** No store at the given LMDB path (the CLI never creates one where it only reads). */
  STORE_NOT_FOUND: 'STORE_NOT_FOUND',
  /** `strata migrate` found events in the target that did not come from this source. */
  TARGET_NOT_EMPTY: 'TARGET_NOT_EMPTY',
  /** `strata migrate` found the target differing from the source (counts, checksums, order, metadata). */
  MIGRATION_MISMATCH: 'MIGRATION_MISMATCH',
  /** A `--config` module that does not export what the command needs. */
  INVALID_CONFIG: 'INVALID_CONFIG',
} as const;

/** One of {@link CliErrorCodes}. */
export type CliErrorCode = (typeof CliErrorCodes)[keyof typeof CliErrorCodes];

/**
 * An error of the CLI itself. It is a `StrataError` (branded, `code`, `details`), with a code of
 * its own that callers branch on like core's.
 */
export class CliError extends StrataError {
  constructor(code: CliErrorCode, message: string, options: StrataErrorOptions = {}) {
    // The CLI's codes extend core's set; StrataError types `code` with core's union only.
    super(code as unknown as ErrorCode, message, options);
    this.name = 'CliError';
  }
}

/** A bad command line; the CLI prints it with the command's usage and exits with 2. */
export class UsageError extends CliError {
  /** The command whose usage to print (`undefined`: the top-level usage). */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(CliErrorCodes.USAGE, message, { details: command === undefined ? {} : { command } });
    this.name = 'UsageError';
    this.command = command;
  }
}
