import { createBatcher, type Batcher } from '@strata/batching';
import {
  ChannelNames,
  ErrorCodes,
  diagnosticsChannel,
  isStrataError,
  type CheckpointStore,
  type EventStore,
  type ProjectionMessage,
  type RecordedEvent,
  type SinkScope,
  type Subscription,
} from '@strata/core';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store.js';
import { LeaseLostError, ProjectionErrorCodes, ProjectionFailedError } from '../errors/projection-errors.js';
import type { Lease, LeaseStore } from '../lease/lease-store.js';
import type { Projection } from '../projection/define-projection.js';
import type { ProjectionContext } from '../projection/projection-definition.js';
import { backoffDelay, sleep } from './backoff.js';
import { LagTracker } from './lag-tracker.js';
import { beforeExpiry } from '../lease/before-expiry.js';
import { describeError } from '../dead-letter/describe-error.js';
import { partitionOf } from './partition-of.js';

const projectionChannel = diagnosticsChannel(ChannelNames.projection);
const noop = (): void => undefined;

/** Everything one worker needs: what to apply, where, and from where. */
export type WorkerOptions = {
  projection: Projection;
  store: EventStore;
  checkpoints: CheckpointStore;
  deadLetters: DeadLetterStore;
  /** The sink scope (with a sink), else the checkpoint name is `checkpointName`. */
  scope: SinkScope;
  checkpointName: string;
  /** The last position applied (the checkpoint), -1 for none. */
  applied: number;
  /** Only events of this partition (by stream-id hash) are applied. */
  partition?: { index: number; count: number };
  /** Commits verify this lease first (fencing). */
  lease?: { store: LeaseStore; current(): Lease | undefined };
  /** Overrides the projection's batch size (rebuilds use big batches). */
  maxSize?: number;
  /** Called once when the worker stops on an error. */
  onFailure?(error: Error): void;
};

/**
 * One running copy of an async projection: a subscription from the checkpoint, a batcher that
 * applies events in batches (each batch and its checkpoint in one sink transaction), retries with
 * backoff, and parking or stopping on a handler that keeps failing.
 */
export class AsyncWorker {
  readonly #o: WorkerOptions;
  readonly #batcher: Batcher<RecordedEvent, void>;
  readonly #lag = new LagTracker();
  #subscription: Subscription | undefined;
  #applied: number;
  #tail: Promise<void> = Promise.resolve();
  #failure: Error | undefined;
  #failed: Promise<never>;
  #fail: (error: Error) => void = noop;
  #exclusive: Promise<unknown> = Promise.resolve();
  #caughtUp: Promise<number>;
  #markCaughtUp: (position: number) => void = noop;
  #stopped: Promise<void>;
  #markStopped: () => void = noop;

  constructor(options: WorkerOptions) {
    this.#o = options;
    this.#applied = options.applied;
    this.#failed = new Promise<never>((_, reject) => (this.#fail = reject));
    this.#failed.catch(noop);
    this.#caughtUp = new Promise<number>((resolve) => (this.#markCaughtUp = resolve));
    this.#stopped = new Promise<void>((resolve) => (this.#markStopped = resolve));
    const maxSize = options.maxSize ?? options.projection.batch.maxSize;
    this.#batcher = createBatcher<RecordedEvent, void>({
      name: `projection:${options.scope.projection}`,
      maxSize,
      maxDelayMs: options.projection.batch.maxDelayMs,
      maxPending: maxSize * 4,
      onOverload: 'wait',
      execute: (events) => this.#execute(events),
    });
  }

  /** The last position applied (the checkpoint). */
  get applied(): number {
    return this.#applied;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  get scope(): SinkScope {
    return this.#o.scope;
  }

  /** Age of the oldest delivered event not yet applied. */
  lagMs(now = Date.now()): number {
    return this.#lag.oldestAgeMs(now);
  }

  start(): void {
    const { store, projection, partition } = this.#o;
    this.#subscription = store.subscribe({
      from: this.#applied + 1,
      filter: projection.filter,
      batchSize: Math.max(512, this.#o.maxSize ?? 0),
      handler: (event) => {
        if (event.position <= this.#applied || this.#failure !== undefined) return;
        if (partition !== undefined && partitionOf(event.streamId, partition.count) !== partition.index) return;
        this.#lag.delivered(event.position, event.recordedAt.getTime());
        const added = this.#batcher.tryAdd(event);
        if (added !== undefined) {
          this.#tail = added.then(noop, noop);
          return;
        }
        // Full: let the queued batches run, then queue this one (the subscription waits meanwhile).
        return this.#batcher.flush().then(() => {
          this.#tail = this.#batcher.add(event).then(noop, noop);
        });
      },
      onCaughtUp: (position) => {
        void this.waitFor(position).then(() => this.#markCaughtUp(position), noop);
      },
      onError: (error) => this.#stopWith(asError(error)),
    });
  }

  /** Resolves once the subscription has caught up with the log and everything up to there is applied. */
  caughtUp(): Promise<number> {
    return Promise.race([this.#caughtUp, this.#failed]);
  }

  /**
   * Resolves once every matching event at or below `position` is applied, or once the worker is
   * stopped (the caller then asks the worker that replaced it); rejects if the worker failed.
   */
  async waitFor(position: number): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    if (position <= this.#applied) return;
    const subscription = this.#subscription;
    if (subscription === undefined) return;
    await Promise.race([subscription.waitFor(position), this.#failed, this.#stopped]);
    await Promise.race([this.#tail, this.#failed]);
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Stops delivery and drains what was delivered (each batch committed or failed). */
  async stop(): Promise<void> {
    this.#markStopped();
    await this.#subscription?.stop();
    await this.#batcher.close();
  }

  /** Runs `work` between batches (replays of parked events), never beside one. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#exclusive.then(work, work);
    this.#exclusive = run.catch(noop);
    return run;
  }

  async #execute(items: readonly RecordedEvent[]): Promise<void[]> {
    if (this.#failure !== undefined) throw this.#failure;
    const events = items.filter((event) => event.position > this.#applied);
    if (events.length > 0) {
      const started = performance.now();
      await this.exclusive(() => this.#applyWithRetry(events));
      if (projectionChannel.hasSubscribers) this.#publish(events.length, performance.now() - started);
    }
    return new Array<void>(items.length).fill(undefined);
  }

  async #applyWithRetry(events: readonly RecordedEvent[]): Promise<void> {
    try {
      await this.#retrying(() => this.#commit(events, (events[events.length - 1] as RecordedEvent).position));
    } catch (error) {
      if (isFatal(error) || events.length === 1) return this.#giveUp(events[0] as RecordedEvent, error);
      // Find the event that fails: the others of the batch are applied one by one.
      for (const event of events) {
        try {
          await this.#retrying(() => this.#commit([event], event.position));
        } catch (single) {
          await this.#giveUp(event, single);
        }
      }
    }
  }

  async #retrying(work: () => Promise<void>): Promise<void> {
    const { attempts, initialDelayMs, maxDelayMs } = this.#o.projection.retry;
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (isFatal(error) || attempt + 1 >= attempts) throw error;
        await sleep(backoffDelay(attempt, initialDelayMs, maxDelayMs));
      }
    }
  }

  async #giveUp(event: RecordedEvent, error: unknown): Promise<void> {
    const { projection, deadLetters } = this.#o;
    if (isFatal(error) || projection.onError === 'stop') {
      const failure = isFatal(error)
        ? asError(error)
        : new ProjectionFailedError(projection.name, `Projection '${projection.name}' stopped at position ${event.position}: ${messageOf(error)}`, {
            cause: error,
            details: { position: event.position, streamId: event.streamId, type: event.type },
          });
      this.#stopWith(failure);
      throw failure;
    }
    await deadLetters.park({
      projection: projection.name,
      position: event.position,
      streamId: event.streamId,
      eventId: event.id,
      type: event.type,
      error: describeError(error),
      attempts: projection.retry.attempts,
      parkedAt: Date.now(),
    });
    // The checkpoint moves past the parked event (and nothing else is written for it).
    await this.#retrying(() => this.#commit([], event.position));
  }

  /** Applies `events` and moves the checkpoint to `position`, atomically where there is a sink. */
  async #commit(events: readonly RecordedEvent[], position: number): Promise<void> {
    const { projection, scope, lease } = this.#o;
    const held = lease?.current();
    if (lease !== undefined && held === undefined) throw lostLease(scope.projection);
    const apply = async (tx: unknown): Promise<void> => {
      if (held !== undefined) await beforeExpiry(lease!.store.verify(held, tx), held);
      if (events.length > 0) await projection.apply(events, tx);
    };
    if (projection.sink !== undefined) {
      await projection.sink.transact(scope, position, apply);
    } else {
      const context: ProjectionContext = { projection: projection.name, position };
      await apply(context);
      if (held !== undefined) await beforeExpiry(lease!.store.verify(held), held);
      await this.#o.checkpoints.save(this.#o.checkpointName, position);
    }
    this.#applied = position;
    this.#lag.applied(position);
  }

  /** Applies one parked event again (between batches); the checkpoint stays where it is. */
  replay(event: RecordedEvent): Promise<void> {
    return this.exclusive(() => this.#retrying(() => this.#commit([event], this.#applied)));
  }

  #stopWith(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#fail(error);
    void this.#subscription?.stop();
    this.#o.onFailure?.(error);
  }

  #publish(applied: number, durationMs: number): void {
    const position = this.#applied;
    const name = this.#o.scope.projection;
    this.#o.store.headPosition().then((head) => {
      const message: ProjectionMessage = {
        projection: name,
        lagEvents: Math.max(0, head - position),
        lagMs: this.#lag.oldestAgeMs(Date.now()),
        applied,
        position,
        durationMs,
      };
      projectionChannel.publish(message);
    }, noop);
  }
}

/**
 * Errors no retry can mend, which stop the worker instead of parking an event: the lease moved to
 * another node, or the sink lost writes it had accepted for the generation (see `transact`).
 */
function isFatal(error: unknown): boolean {
  return isStrataError(error) && ((error.code as string) === ProjectionErrorCodes.LEASE_LOST || error.code === ErrorCodes.SINK_WRITES_LOST);
}

function lostLease(name: string): Error {
  return new LeaseLostError(name, 'this node');
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
