import type { DecidedEvent, DomainEvent, EventMetadata, ExpectedVersion } from '@strata/core';

/** The aggregates of the bank, by name. */
export type AggregateName = 'account' | 'transfer';

/** Options of {@link CommandBus.execute}. */
export type ExecuteOptions = {
  /** The version the caller saw (HTTP `If-Match`); a mismatch fails with `WRONG_EXPECTED_VERSION` and is not retried. */
  expectedVersion?: ExpectedVersion;
  /** Merged into the metadata of every event the command produces. */
  metadata?: EventMetadata;
};

/** What a handled command produced. */
export type ExecuteResult = {
  /** The events appended; empty when the decider decided nothing (a replayed step, say). */
  events: readonly DecidedEvent<DomainEvent>[];
  /** The stream's version after the command. */
  nextExpectedVersion: number;
  /** Global position of the last appended event; -1 when nothing was appended. */
  position: number;
};

/**
 * Where the application sends commands: the seam between the HTTP layer and the command side,
 * implemented on `@strata/processor` (see `ProcessorCommandBus`). Anything with these two methods
 * can stand in, e.g. core's `handleCommand` behind a per-stream queue.
 */
export interface CommandBus {
  /** Which implementation runs the commands (shown by `/health`). */
  readonly kind: string;
  /** Loads the stream's state, decides, appends; rejects with the decider's or the store's typed error. */
  execute(aggregate: AggregateName, streamId: string, command: unknown, options?: ExecuteOptions): Promise<ExecuteResult>;
  /** Waits for the commands in flight, then releases the bus's resources. */
  close(): Promise<void>;
}
