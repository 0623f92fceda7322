import { StrataError, type StrataErrorOptions } from '@strata/core';

/** Codes the processor adds to the ones in `@strata/core`. */
export const ProcessorErrorCodes = {
  /** The worker thread running a command died; the command's outcome is unknown. */
  WORKER_CRASHED: 'WORKER_CRASHED',
} as const;

/**
 * The worker thread that was running a command exited (process.exit, an uncaught error, a
 * terminate) before answering. The command is not retried: it may or may not have been appended,
 * and reading the stream tells which.
 */
export class WorkerCrashedError extends StrataError {
  constructor(worker: number, streamId: string, reason: string, options: StrataErrorOptions = {}) {
    super(
      ProcessorErrorCodes.WORKER_CRASHED,
      `Worker ${worker} crashed (${reason}) while running a command for stream '${streamId}': ` +
        'its events may or may not have been appended; read the stream to find out before retrying',
      { ...options, details: { worker, streamId, reason, ...options.details } },
    );
    this.name = 'WorkerCrashedError';
  }
}
