import type { CommandContextInit, EventMetadata, ExpectedVersion, StrataError } from '@strata/core';

/** What `execute` resolves with. */
export type ExecuteResult = {
  /**
   * The events appended, as the decider returned them (empty when it decided nothing); with a
   * pipeline, as stored, with their enriched metadata.
   */
  events: readonly unknown[];
  /** The stream's version after the command. */
  nextExpectedVersion: number;
  /** Global position of the last appended event; -1 when nothing was appended. */
  position: number;
};

/** A submitted command waiting for its answer. */
export type PendingCommand = {
  id: number;
  aggregate: string;
  streamId: string;
  command: unknown;
  expectedVersion: ExpectedVersion | undefined;
  metadata: EventMetadata | undefined;
  /** The command's ids for the pipeline (command, correlation, causation), when given. */
  context: CommandContextInit | undefined;
  /** `performance.now()` at submission when someone listens on the command channel, else 0. */
  started: number;
  resolve(result: ExecuteResult): void;
  reject(error: StrataError): void;
};

/** The scheduler's record of one stream: who owns it, what is queued and what is running. */
export type StreamEntry = {
  readonly streamId: string;
  /** Index of the owning worker slot. */
  owner: number;
  /** Changes on every change of ownership; a worker trusts cached state only of the current one. */
  generation: number;
  /** Commands not yet sent to the owner, in submission order. */
  queue: PendingCommand[];
  /** The one command of this stream a worker is running, if any. */
  inFlight: PendingCommand | undefined;
  /** `performance.now()` of the last move by a steal (-Infinity: never moved). */
  movedAt: number;
  /**
   * The highest version of the stream this processor has seen committed (-1: none). A worker that
   * loads the stream waits until its read shows at least this much.
   */
  knownVersion: number;
  /** A steal is waiting for the in-flight command to finish before the stream moves here (-1: none). */
  moveTo: number;
};
