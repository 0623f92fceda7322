import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { InvalidArgumentError, type Aggregate, type CommandPipeline, type EventStore } from '@strata/core';
import { toCommandError, toWire } from '../errors/wire-error.js';
import type { CommandFailure, CommandRequest, CommandSuccess, FromWorker } from '../transport/protocol.js';
import { executeCommand, type CommandContext } from './execute-command.js';
import { StateCache } from './state-cache.js';

/** Utilisation is measured over windows of at least this long (a reading costs about a microsecond). */
const UTILISATION_WINDOW_MS = 25;

/** What a worker engine is built from. */
export type WorkerEngineOptions = {
  store: EventStore;
  aggregates: ReadonlyMap<string, Aggregate>;
  /** Middleware and enrichers around every command. */
  pipeline: CommandPipeline | undefined;
  stateCacheSize: number;
  maxRetries: number;
  /** Flatten errors for `postMessage` (a thread); the calling thread keeps the originals. */
  wireErrors: boolean;
  /** Sends one message of answers back to the scheduler. */
  send(message: FromWorker): void;
};

/**
 * The worker side of the processor, the same in a pool thread and (with `workers: 0`) in the
 * calling thread: runs each batch's commands (one per stream) concurrently, so their appends are
 * issued in one turn and share the store's group commit, and answers in one message per turn.
 */
export class WorkerEngine {
  readonly #options: WorkerEngineOptions;
  readonly #context: CommandContext;
  #ok: CommandSuccess[] = [];
  #failed: CommandFailure[] = [];
  #flushScheduled = false;
  #running = 0;
  #idle: (() => void)[] = [];
  #elu: EventLoopUtilization = performance.eventLoopUtilization();
  #eluAt = performance.now();
  #utilisation = 0;

  constructor(options: WorkerEngineOptions) {
    this.#options = options;
    this.#context = {
      store: options.store,
      cache: new StateCache(options.stateCacheSize),
      maxRetries: options.maxRetries,
      pipeline: options.pipeline,
      snapshots: new Set(),
    };
  }

  /** Runs a batch of commands and forgets the state of streams that moved away. */
  run(commands: readonly CommandRequest[], drop: readonly string[]): void {
    for (const streamId of drop) this.#context.cache.dropStream(streamId);
    for (const request of commands) this.#start(request);
  }

  /** Resolves once every command has been answered and every snapshot write has settled. */
  async drain(): Promise<void> {
    if (this.#running > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await Promise.all(this.#context.snapshots);
  }

  #start(request: CommandRequest): void {
    const [id, name, streamId, generation, knownVersion, command, expectedVersion, metadata, context] = request;
    const aggregate = this.#options.aggregates.get(name);
    if (aggregate === undefined) {
      this.#answerError(id, new InvalidArgumentError('aggregate', `no aggregate named '${name}'`), name, streamId);
      return;
    }
    this.#running++;
    executeCommand(this.#context, { aggregate, streamId, generation, knownVersion, command, expectedVersion, metadata, context }).then(
      (output) => {
        this.#ok.push([id, output.events, output.nextExpectedVersion, output.position, output.retries]);
        this.#settled();
      },
      (error: unknown) => {
        this.#answerError(id, error, name, streamId);
        this.#settled();
      },
    );
  }

  #answerError(id: number, error: unknown, aggregate: string, streamId: string): void {
    const typed = toCommandError(error, aggregate, streamId);
    this.#failed.push([id, this.#options.wireErrors ? toWire(typed) : typed]);
    this.#scheduleFlush();
  }

  #settled(): void {
    this.#running--;
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // One answer message per turn: every append of a group commit settles in the same turn.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const ok = this.#ok;
    const failed = this.#failed;
    this.#ok = [];
    this.#failed = [];
    const { cache } = this.#context;
    const now = performance.now();
    if (now - this.#eluAt >= UTILISATION_WINDOW_MS) {
      const current = performance.eventLoopUtilization();
      this.#utilisation = performance.eventLoopUtilization(current, this.#elu).utilization;
      this.#elu = current;
      this.#eluAt = now;
    }
    this.#options.send({ t: 'done', ok, failed, hits: cache.hits, misses: cache.misses, utilisation: this.#utilisation });
    if (this.#running === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }
}
