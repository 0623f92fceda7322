import type { RootDatabase } from 'lmdb';
import type { Durability } from '../options/lmdb-event-store-options.js';
import { toStrataError } from '../errors/to-strata-error.js';
import type { WriteOp } from './write-op.js';
import type { WriteTransaction } from './write-transaction.js';

/** Caps of one group transaction, so a burst cannot build a transaction LMDB refuses (MDB_TXN_FULL). */
const MAX_GROUP_EVENTS = 100_000;
const MAX_GROUP_BYTES = 64 * 1024 * 1024;

type Entry = {
  op: WriteOp<unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
  outcome: unknown;
};

type Group = { entries: Entry[]; wroteEvents: boolean; next: number };

/** What the queue needs from the store. */
export type WriteQueueOptions = {
  root: RootDatabase;
  durability: Durability;
  /** Opens the per-transaction state (reads the position counter inside the transaction). */
  begin(): WriteTransaction;
  /** Called after each commit that wrote events, with the next position. */
  onCommit(next: number): void;
  /** Called when a transaction failed (nothing of it is stored). */
  onFailure(): void;
};

/**
 * Group commit. Writes queue up here; one LMDB write transaction takes everything queued at the
 * moment it starts (late binding: what arrives while the previous transaction commits and
 * flushes joins the next one), applies the operations in arrival order, each against the state
 * left by the ones before it, and commits once; in the `'flush'` mode the whole group then awaits
 * one flush. Each caller gets its own result or error.
 *
 * The group runs as an lmdb-js child transaction, so an unexpected throw rolls back all of it.
 * Everything consistency-related (stream heads, the position counter) is read inside the
 * transaction, which holds LMDB's write lock: other processes and threads on the same path are
 * serialised with it.
 */
export class WriteQueue {
  readonly #options: WriteQueueOptions;
  #pending: Entry[] = [];
  #requested = false;
  #inFlight = 0;
  #idle: (() => void)[] = [];

  constructor(options: WriteQueueOptions) {
    this.#options = options;
  }

  /** Queues an operation; settles once its group is committed (and flushed, in `'flush'` mode). */
  enqueue<T>(op: WriteOp<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ op, resolve: resolve as (value: unknown) => void, reject, outcome: undefined });
      if (!this.#requested) this.#request();
    });
  }

  /** Resolves once every queued operation has settled. */
  drained(): Promise<void> {
    if (this.#inFlight === 0 && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #request(): void {
    this.#requested = true;
    this.#inFlight++;
    const group: Group = { entries: [], wroteEvents: false, next: 0 };
    let committed: Promise<void>;
    try {
      committed = this.#options.root.childTransaction(() => this.#run(group));
    } catch (error) {
      // lmdb-js refused to queue the transaction (a closed or broken environment).
      group.entries = this.#pending;
      this.#pending = [];
      this.#requested = false;
      this.#fail(group, error);
      return;
    }
    committed.then(
      () => this.#settle(group),
      (error: unknown) => this.#fail(group, error),
    );
  }

  /** Inside the write transaction: take the queued operations and apply them in order. */
  #run(group: Group): void {
    group.entries = this.#take();
    if (this.#pending.length > 0) {
      // Past the caps: the rest goes to the next transaction, requested once this one has run.
      queueMicrotask(() => this.#request());
    } else {
      this.#requested = false;
    }
    const txn = this.#options.begin();
    for (const entry of group.entries) entry.outcome = entry.op.apply(txn);
    txn.finish();
    group.wroteEvents = txn.wroteEvents;
    group.next = txn.nextPosition;
  }

  #take(): Entry[] {
    const pending = this.#pending;
    let events = 0;
    let bytes = 0;
    let count = 0;
    while (count < pending.length) {
      const op = (pending[count] as Entry).op;
      if (count > 0 && (events + op.events > MAX_GROUP_EVENTS || bytes + op.bytes > MAX_GROUP_BYTES)) break;
      events += op.events;
      bytes += op.bytes;
      count++;
    }
    if (count === pending.length) {
      this.#pending = [];
      return pending;
    }
    return pending.splice(0, count);
  }

  async #settle(group: Group): Promise<void> {
    try {
      if (group.wroteEvents) this.#options.onCommit(group.next);
      let flushed: Promise<void> | undefined;
      for (const entry of group.entries) {
        if (entry.outcome instanceof Error) {
          entry.reject(entry.outcome);
        } else if (this.#options.durability !== 'flush') {
          entry.resolve(entry.outcome);
        } else {
          flushed ??= this.#flushed();
        }
      }
      if (flushed === undefined) return;
      try {
        await flushed;
      } catch (error) {
        this.#rejectSucceeded(group, error);
        return;
      }
      for (const entry of group.entries) if (!(entry.outcome instanceof Error)) entry.resolve(entry.outcome);
    } finally {
      this.#done();
    }
  }

  #rejectSucceeded(group: Group, error: unknown): void {
    const mapped = toStrataError(error, 'flush');
    for (const entry of group.entries) if (!(entry.outcome instanceof Error)) entry.reject(mapped);
  }

  /** The transaction failed (it ran and its commit failed, or it never ran): nothing of it is stored. */
  #fail(group: Group, error: unknown): void {
    this.#options.onFailure();
    const mapped = toStrataError(error, 'commit');
    for (const entry of group.entries) entry.reject(mapped);
    if (group.entries.length === 0 && this.#requested && this.#pending.length > 0) {
      // The callback never ran, so it took nothing: fail what it would have taken.
      const pending = this.#pending;
      this.#pending = [];
      this.#requested = false;
      for (const entry of pending) entry.reject(mapped);
    }
    this.#done();
  }

  /** The flush of everything committed so far (lmdb-js's `flushed` is a thenable read at call time). */
  #flushed(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#options.root.flushed.then(() => resolve(), reject);
    });
  }

  #done(): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#pending.length === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
