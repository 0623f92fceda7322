import type { MessagePort } from 'node:worker_threads';
import type { CommandContextInit, EventMetadata, ExpectedVersion, StoreDescriptor, StrataError } from '@strata/core';
import type { WireError } from '../errors/wire-error.js';

/**
 * One command on its way to a worker. A tuple rather than an object: it is cloned once per command
 * per hop, and a batch of thousands of them is the common case.
 * `[id, aggregate, streamId, generation, knownVersion, command, expectedVersion, metadata, context]`
 */
export type CommandRequest = [
  id: number,
  aggregate: string,
  streamId: string,
  generation: number,
  knownVersion: number,
  command: unknown,
  expectedVersion: ExpectedVersion | undefined,
  metadata: EventMetadata | undefined,
  context: CommandContextInit | undefined,
];

/** A successful command: `[id, events, nextExpectedVersion, position, retries]`. */
export type CommandSuccess = [id: number, events: readonly unknown[], nextExpectedVersion: number, position: number, retries: number];

/**
 * A failed command: `[id, error]`. Across threads the error travels flattened; in the calling
 * thread (`workers: 0`) it stays the original typed error, with its original `cause`.
 */
export type CommandFailure = [id: number, error: WireError | StrataError];

/** Main thread → worker. */
export type ToWorker =
  /** Commands to run (at most one per stream) and streams whose ownership moved away (drop their state). */
  | { t: 'run'; commands: CommandRequest[]; drop: string[] }
  /** Finish what is running, flush snapshots, close the store, end the task. */
  | { t: 'close' };

/** Worker → main thread. */
export type FromWorker =
  | { t: 'ready' }
  /** The worker could not open its store or load the aggregates; the typed error travels here. */
  | { t: 'failed'; error: WireError }
  /**
   * Answers of one event-loop turn, with the worker's cumulative cache counters and its event-loop
   * utilisation (busy fraction, 0–1) over its last measuring window.
   */
  | { t: 'done'; ok: CommandSuccess[]; failed: CommandFailure[]; hits: number; misses: number; utilisation: number };

/** The task a pool thread runs for as long as the processor lives. */
export type WorkerTask = {
  slot: number;
  port: MessagePort;
  store: StoreDescriptor;
  aggregates: string;
  /** Module URL of the command pipeline, if any. */
  pipeline: string | undefined;
  stateCacheSize: number;
  maxRetries: number;
};
