import { ErrorCodes, StrataError, type ErrorCode, type StrataErrorOptions } from '@strata/core';

/** Codes the processor adds to the ones in `@strata/core`. */
export const ProcessorErrorCodes = {
  /** The worker thread running a command died; the command's outcome is unknown. */
  WORKER_CRASHED: 'WORKER_CRASHED',
} as const;

/**
 * A decider threw something that is not a `StrataError`. The original is the `cause` (in a worker
 * thread: a copy carrying its name, message and stack); the message is the original's message.
 */
export class CommandRejectedError extends StrataError {
  constructor(message: string, options: StrataErrorOptions = {}) {
    super(ErrorCodes.COMMAND_REJECTED, message, options);
    this.name = 'CommandRejectedError';
  }
}

/**
 * The worker thread that was running a command exited (process.exit, an uncaught error, a
 * terminate) before answering. The command is not retried: it may or may not have been appended,
 * and reading the stream tells which.
 */
export class WorkerCrashedError extends StrataError {
  constructor(worker: number, streamId: string, reason: string, options: StrataErrorOptions = {}) {
    super(
      ProcessorErrorCodes.WORKER_CRASHED as unknown as ErrorCode,
      `Worker ${worker} crashed (${reason}) while running a command for stream '${streamId}': ` +
        'its events may or may not have been appended; read the stream to find out before retrying',
      { ...options, details: { worker, streamId, reason, ...options.details } },
    );
    this.name = 'WorkerCrashedError';
  }
}
