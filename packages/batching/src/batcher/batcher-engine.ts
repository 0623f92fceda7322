import { ChannelNames, StoreClosedError, diagnosticsChannel, type BatchMessage } from '@strata/core';
import { AdaptiveSizeController } from '../adaptive/adaptive-size-controller.js';
import { DueTimer } from '../internal/due-timer.js';
import { FifoQueue } from '../internal/fifo-queue.js';
import { createOverloadedError } from '../internal/overloaded-error.js';
import { BatchCounters } from './batch-counters.js';
import type { Batcher, BatcherStats } from './batcher.js';
import type { BatchResults } from './batcher-options.js';
import type { PendingEntry } from './pending-entry.js';
import { settleBatch, type BatchOutcome } from './settle-batch.js';
import type { ResolvedBatcherOptions } from './validate-batcher-options.js';

const batchChannel = diagnosticsChannel(ChannelNames.batch);

type RunningBatch<TItem, TResult> = {
  entries: PendingEntry<TItem, TResult>[];
  startedAt: number;
  /** The batch held the whole target when it was cut: the adaptive controller may grow. */
  full: boolean;
  /** Sequence number of its first entry; a batch's entries have consecutive numbers. */
  firstSeq: number;
};

type FlushWaiter = { seq: number; resolve: () => void };

/**
 * The engine behind `createBatcher`. Pending entries form one FIFO queue; a batch is cut from its
 * head at dispatch time, with the size target in force then, so a target the adaptive controller
 * just changed applies to the very next batch rather than to batches sealed long ago.
 *
 * A batch is due when the queue holds a full target, when the oldest item's delay has elapsed (a
 * timer, or `setImmediate` in turn mode), when `flush` asked for it, or when closing. Due batches
 * start while fewer than `concurrency` are executing; otherwise the queue keeps filling, which is
 * what makes turn mode a group commit: one batch in flight while the next one collects.
 */
export class BatcherEngine<TItem, TResult> implements Batcher<TItem, TResult> {
  readonly name: string;
  readonly #execute: ResolvedBatcherOptions<TItem, TResult>['execute'];
  readonly #dedupeKey: ((item: TItem) => unknown) | undefined;
  readonly #maxPending: number;
  readonly #waitOnOverload: boolean;
  readonly #concurrency: number;
  readonly #atomic: boolean;
  readonly #clock: () => number;
  readonly #controller: AdaptiveSizeController | undefined;
  #target: number;

  readonly #queue = new FifoQueue<PendingEntry<TItem, TResult>>();
  readonly #waiting = new FifoQueue<PendingEntry<TItem, TResult>>();
  readonly #keys = new Map<unknown, PendingEntry<TItem, TResult>>();
  readonly #running = new Set<RunningBatch<TItem, TResult>>();
  #flushWaiters: FlushWaiter[] = [];
  #pending = 0;
  #inFlight = 0;
  #nextSeq = 0;
  #flushThrough = -1;
  #due = false;
  readonly #timer: DueTimer;
  #pumping = false;
  #closed = false;
  #drained: Promise<void> | undefined;
  readonly #counters = new BatchCounters();

  constructor(options: ResolvedBatcherOptions<TItem, TResult>) {
    this.name = options.name;
    this.#execute = options.execute;
    this.#dedupeKey = options.dedupeKey;
    this.#maxPending = options.maxPending;
    this.#waitOnOverload = options.onOverload === 'wait';
    this.#concurrency = options.concurrency;
    this.#atomic = options.atomic;
    this.#clock = options.clock;
    this.#controller =
      options.adaptive === undefined ? undefined : new AdaptiveSizeController(options.adaptive, options.maxSize);
    this.#target = this.#controller?.target ?? options.maxSize;
    this.#timer = new DueTimer(options.maxDelayMs, () => {
      this.#due = true;
      this.#pump();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): BatcherStats {
    return this.#counters.snapshot({
      pending: this.#pending,
      waiting: this.#waiting.length,
      inFlight: this.#inFlight,
      inFlightBatches: this.#running.size,
      targetSize: this.#target,
    });
  }

  add(item: TItem): Promise<TResult> {
    if (this.#closed) return Promise.reject(new StoreClosedError('batcher'));
    // Earlier waiters go first even when space has just freed: an add made from inside `execute`
    // runs before the batcher admits them.
    const blocked = this.#waiting.length > 0 || this.#pending >= this.#maxPending;
    if (blocked && !this.#waitOnOverload) {
      this.#counters.overloaded++;
      return Promise.reject(createOverloadedError(`batcher '${this.name}'`, this.#maxPending));
    }
    return this.#enqueue(item, blocked);
  }

  tryAdd(item: TItem): Promise<TResult> | undefined {
    if (this.#closed) return Promise.reject(new StoreClosedError('batcher'));
    if (this.#waiting.length > 0 || this.#pending >= this.#maxPending) {
      this.#counters.overloaded++;
      return undefined;
    }
    return this.#enqueue(item, false);
  }

  flush(): Promise<void> {
    const through = this.#nextSeq - 1;
    if (this.#lowestUnsettledSeq() > through) return Promise.resolve();
    if (through > this.#flushThrough) this.#flushThrough = through;
    const settled = new Promise<void>((resolve) => this.#flushWaiters.push({ seq: through, resolve }));
    this.#pump();
    return settled;
  }

  close(): Promise<void> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async #drain(): Promise<void> {
    this.#closed = true;
    while (this.#queue.length > 0 || this.#running.size > 0 || this.#waiting.length > 0) {
      this.#admitWaiting();
      await this.flush();
    }
    this.#timer.disarm();
  }

  #enqueue(item: TItem, blocked: boolean): Promise<TResult> {
    let key: unknown;
    if (this.#dedupeKey !== undefined) {
      try {
        key = this.#dedupeKey(item);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    let entry!: PendingEntry<TItem, TResult>;
    const promise = new Promise<TResult>((resolve, reject) => {
      entry = { item, key, seq: 0, resolve, reject, followers: undefined };
    });
    if (blocked) this.#waiting.push(entry);
    else this.#admit(entry);
    return promise;
  }

  /** Puts an entry into the queue (or onto a pending entry with the same key). */
  #admit(entry: PendingEntry<TItem, TResult>): void {
    this.#pending++;
    if (entry.key !== undefined) {
      const leader = this.#keys.get(entry.key);
      if (leader !== undefined) {
        (leader.followers ??= []).push(entry);
        this.#counters.deduplicated++;
        return;
      }
      this.#keys.set(entry.key, entry);
    }
    entry.seq = this.#nextSeq++;
    this.#queue.push(entry);
    if (this.#queue.length >= this.#target) this.#pump();
    else if (!this.#due && !this.#closed) this.#timer.arm();
  }

  #admitWaiting(): void {
    while (this.#waiting.length > 0 && this.#pending < this.#maxPending) {
      this.#admit(this.#waiting.shift() as PendingEntry<TItem, TResult>);
    }
  }

  #pump(): void {
    // Re-entry happens when `execute` settles synchronously or calls `add`; the outer loop
    // re-checks its condition, so the inner call has nothing to add but stack depth.
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#running.size < this.#concurrency && this.#queue.length > 0 && this.#isDue()) {
        this.#dispatch();
        this.#admitWaiting();
      }
    } finally {
      this.#pumping = false;
    }
    if (this.#queue.length === 0) {
      this.#due = false;
      this.#timer.disarm();
    } else if (!this.#due && !this.#closed) {
      this.#timer.arm();
    }
  }

  #isDue(): boolean {
    return (
      this.#due ||
      this.#closed ||
      this.#queue.length >= this.#target ||
      (this.#queue.peek() as PendingEntry<TItem, TResult>).seq <= this.#flushThrough
    );
  }

  #dispatch(): void {
    const full = this.#queue.length >= this.#target;
    const entries = this.#queue.take(this.#target);
    const count = entries.length;
    const items = new Array<TItem>(count);
    let callers = count;
    for (let index = 0; index < count; index++) {
      const entry = entries[index] as PendingEntry<TItem, TResult>;
      items[index] = entry.item;
      if (entry.followers !== undefined) callers += entry.followers.length;
      // The key stops collecting followers once its item is executing: a later caller must see
      // the effect of a new execution, not share one that started before it asked.
      if (entry.key !== undefined) this.#keys.delete(entry.key);
    }
    this.#pending -= callers;
    this.#inFlight += count;
    if (this.#queue.length === 0) this.#due = false;
    const batch: RunningBatch<TItem, TResult> = {
      entries,
      startedAt: this.#clock(),
      full,
      firstSeq: (entries[0] as PendingEntry<TItem, TResult>).seq,
    };
    this.#running.add(batch);
    let returned: BatchResults<TResult> | PromiseLike<BatchResults<TResult>>;
    try {
      returned = this.#execute(items);
    } catch (error) {
      this.#complete(batch, { ok: false, error });
      return;
    }
    if (isPromiseLike(returned)) {
      returned.then(
        (results) => this.#complete(batch, { ok: true, results }),
        (error: unknown) => this.#complete(batch, { ok: false, error }),
      );
    } else {
      this.#complete(batch, { ok: true, results: returned });
    }
  }

  #complete(batch: RunningBatch<TItem, TResult>, outcome: BatchOutcome): void {
    const latencyMs = this.#clock() - batch.startedAt;
    const size = batch.entries.length;
    this.#running.delete(batch);
    this.#inFlight -= size;
    const failed = settleBatch(batch.entries, outcome, this.#atomic);
    this.#counters.recordBatch(size, latencyMs, failed);
    if (this.#controller !== undefined) {
      this.#controller.observe(size, latencyMs, batch.full);
      this.#target = this.#controller.target;
    }
    if (batchChannel.hasSubscribers) {
      const message: BatchMessage = {
        name: this.name,
        size,
        durationMs: latencyMs,
        pending: this.#pending,
        targetSize: this.#target,
      };
      batchChannel.publish(message);
    }
    this.#pump();
    if (this.#flushWaiters.length > 0) this.#resolveFlushes();
  }

  #resolveFlushes(): void {
    const lowest = this.#lowestUnsettledSeq();
    const still: FlushWaiter[] = [];
    for (const waiter of this.#flushWaiters) {
      if (waiter.seq < lowest) waiter.resolve();
      else still.push(waiter);
    }
    this.#flushWaiters = still;
  }

  #lowestUnsettledSeq(): number {
    let lowest = this.#queue.peek()?.seq ?? Number.POSITIVE_INFINITY;
    for (const batch of this.#running) if (batch.firstSeq < lowest) lowest = batch.firstSeq;
    return lowest;
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
