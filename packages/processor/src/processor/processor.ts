import {
  diagnosticsChannel,
  ChannelNames,
  InvalidArgumentError,
  isPlainObject,
  OverloadedError,
  StoreClosedError,
  validateExpectedVersion,
  validateStreamId,
  type CommandContextInit,
  type EventMetadata,
  type ExpectedVersion,
} from '@strata/core';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { ExecuteResult, PendingCommand } from '../scheduler/stream-entry.js';
import type { ResolvedProcessorOptions } from './processor-options.js';

const commandChannel = diagnosticsChannel(ChannelNames.command);

/** Options of {@link Processor.execute}. */
export type ExecuteOptions = {
  /** The version the caller saw: fails with `WRONG_EXPECTED_VERSION` when the stream moved on; no retry. */
  expectedVersion?: ExpectedVersion;
  /** Merged into every event's metadata. */
  metadata?: EventMetadata;
  /**
   * The command's ids for the pipeline's context (`commandId`, `correlationId`, `causationId`,
   * `metadata`); without a pipeline they are ignored.
   */
  context?: CommandContextInit;
};

/** Figures of one worker. */
export type WorkerStats = {
  worker: number;
  /** Commands queued for or running at the worker. */
  queueDepth: number;
  /** Commands the worker is running. */
  inFlight: number;
  /** Streams the worker owns. */
  streamsOwned: number;
  cacheHits: number;
  cacheMisses: number;
  /** Streams this worker has stolen from others. */
  steals: number;
  /** Commands answered (successfully or not). */
  completed: number;
  /** Times the worker was replaced after a crash. */
  restarts: number;
};

/** Figures of the whole processor. */
export type ProcessorStats = {
  workers: WorkerStats[];
  /** Commands queued or running. */
  pending: number;
  /** Callers waiting for room (`onOverload: 'wait'`). */
  waiting: number;
  /** Streams the scheduler tracks (active ones, and idle ones it still remembers the owner of). */
  streams: number;
  completed: number;
  steals: number;
  closed: boolean;
};

/**
 * Runs commands against aggregates on a pool of workers. Made by {@link createProcessor}.
 */
export class Processor {
  readonly #options: ResolvedProcessorOptions;
  readonly #scheduler: Scheduler;
  readonly #aggregateNames: ReadonlySet<string>;
  readonly #waiters: PendingCommand[] = [];
  readonly #onClose: () => Promise<void>;
  #nextId = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  /** @internal */
  constructor(options: ResolvedProcessorOptions, scheduler: Scheduler, aggregateNames: ReadonlySet<string>, onClose: () => Promise<void>) {
    this.#options = options;
    this.#scheduler = scheduler;
    this.#aggregateNames = aggregateNames;
    this.#onClose = onClose;
  }

  /** The names of the aggregates this processor runs. */
  get aggregates(): readonly string[] {
    return [...this.#aggregateNames];
  }

  /**
   * Runs a command: the stream's owner loads its state (hot cache or snapshot + tail), decides,
   * appends with the loaded version as the expected version (retrying on conflicts with fresh
   * state unless `expectedVersion` is given) and answers. Commands of one stream run one at a
   * time and are answered in submission order.
   *
   * Fails with the decider's error (a `StrataError` keeps its code, anything else becomes
   * `COMMAND_REJECTED`), `INVALID_ARGUMENT` (unknown aggregate, bad stream id or options),
   * `WRONG_EXPECTED_VERSION`, `OVERLOADED` (queues full, `onOverload: 'reject'`), `WORKER_CRASHED`
   * (the worker died mid-command: outcome unknown) or `STORE_CLOSED` (after `close()`).
   */
  async execute(aggregate: string, streamId: string, command: unknown, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.#closed) throw new StoreClosedError('processor');
    if (typeof aggregate !== 'string' || !this.#aggregateNames.has(aggregate)) {
      throw new InvalidArgumentError('aggregate', `no aggregate named '${String(aggregate)}'; known: ${[...this.#aggregateNames].join(', ')}`);
    }
    validateStreamId(streamId);
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
    if (options.expectedVersion !== undefined) validateExpectedVersion(options.expectedVersion);
    if (options.metadata !== undefined && !isPlainObject(options.metadata)) throw new InvalidArgumentError('metadata', 'expected a plain object');
    if (options.context !== undefined && !isPlainObject(options.context)) throw new InvalidArgumentError('context', 'expected a plain object');
    return new Promise<ExecuteResult>((resolve, reject) => {
      const pending: PendingCommand = {
        id: ++this.#nextId,
        aggregate,
        streamId,
        command,
        expectedVersion: options.expectedVersion,
        metadata: options.metadata,
        context: options.context,
        started: commandChannel.hasSubscribers ? performance.now() : 0,
        resolve,
        reject,
      };
      if (this.#waiters.length === 0 && this.#fits(streamId)) {
        this.#scheduler.submit(pending);
      } else if (this.#options.onOverload === 'wait') {
        this.#waiters.push(pending);
      } else {
        reject(this.#overloaded(streamId));
      }
    });
  }

  /** Queue depths, owned streams, cache hits and misses, steals and completions per worker. */
  stats(): ProcessorStats {
    const workers = this.#scheduler.slots.map((slot) => ({
      worker: slot.index,
      queueDepth: slot.depth,
      inFlight: slot.inFlight.size,
      streamsOwned: slot.owned,
      cacheHits: slot.hits,
      cacheMisses: slot.misses,
      steals: slot.steals,
      completed: slot.completed,
      restarts: slot.restarts,
    }));
    return {
      workers,
      pending: this.#scheduler.total,
      waiting: this.#waiters.length,
      streams: this.#scheduler.trackedStreams,
      completed: workers.reduce((sum, worker) => sum + worker.completed, 0),
      steals: workers.reduce((sum, worker) => sum + worker.steals, 0),
      closed: this.#closed,
    };
  }

  /**
   * Stops accepting commands (later calls fail with `STORE_CLOSED`), runs everything already
   * accepted (queued, running and waiting for room), then closes the workers' stores and ends
   * the threads. Idempotent.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#drainAndClose();
    return this.#closing;
  }

  async #drainAndClose(): Promise<void> {
    while (this.#waiters.length > 0 || this.#scheduler.total > 0) {
      this.admitWaiting();
      await this.#scheduler.drained();
    }
    await this.#scheduler.close();
    await this.#onClose();
  }

  /** Called by the scheduler whenever commands complete: admits waiting callers, oldest first. */
  admitWaiting(): void {
    while (this.#waiters.length > 0 && this.#fits(this.#waiters[0]!.streamId)) {
      this.#scheduler.submit(this.#waiters.shift()!);
    }
  }

  #fits(streamId: string): boolean {
    return this.#scheduler.total < this.#options.maxQueue && this.#scheduler.depthFor(streamId) < this.#options.maxQueuePerWorker;
  }

  #overloaded(streamId: string): OverloadedError {
    if (this.#scheduler.total >= this.#options.maxQueue) return new OverloadedError('processor', this.#options.maxQueue);
    return new OverloadedError('processor worker', this.#options.maxQueuePerWorker, { details: { streamId } });
  }
}
