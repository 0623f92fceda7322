/** A point-in-time view of a batcher, from {@link Batcher.stats}. */
export type BatcherStats = {
  /** Callers whose items wait for a batch (deduplicated callers included). */
  readonly pending: number;
  /** Callers of `add` waiting for space under `onOverload: 'wait'` (not yet pending). */
  readonly waiting: number;
  /** Items in batches that are executing. */
  readonly inFlight: number;
  /** Batches executing. */
  readonly inFlightBatches: number;
  /** Batches executed (settled) so far. */
  readonly batches: number;
  /** Items executed so far (one per deduplicated group). */
  readonly items: number;
  /** Executed items that failed (an `Error` result, or a batch that threw). */
  readonly failedItems: number;
  /** Calls of `add` answered by another item's execution. */
  readonly deduplicated: number;
  /** Calls refused for lack of space: `add` rejected with `OVERLOADED`, `tryAdd` returned `undefined`. */
  readonly overloaded: number;
  /** The batch size target in force (fixed, or chosen by the adaptive controller). */
  readonly targetSize: number;
  /** Mean items per executed batch (0 before the first). */
  readonly averageBatchSize: number;
  /** Mean execution time of a batch in ms, from `execute` to its settlement (0 before the first). */
  readonly averageLatencyMs: number;
};

/**
 * Collects items into batches and executes them, settling each caller with its own item's
 * result. Create one with `createBatcher`.
 */
export interface Batcher<TItem, TResult> {
  /** The name given in the options, used in diagnostics and errors. */
  readonly name: string;
  /** True once `close()` has been called. */
  readonly closed: boolean;
  /** A fresh snapshot of counters and the current size target. */
  readonly stats: BatcherStats;
  /**
   * Adds an item to the next batch. Resolves with the item's result or rejects with its error.
   * Rejects with `OVERLOADED` when `maxPending` items are pending and `onOverload` is `'reject'`
   * (under `'wait'` it waits for space instead), and with `STORE_CLOSED` after `close()`.
   */
  add(item: TItem): Promise<TResult>;
  /**
   * Adds an item if there is space now, and otherwise returns `undefined` at once, whatever
   * `onOverload` says. The load-shedding path for callers under sustained overload: refusing costs
   * a comparison, where `add` allocates and rejects an error for every refused call. After
   * `close()` it still returns a promise rejected with `STORE_CLOSED`.
   */
  tryAdd(item: TItem): Promise<TResult> | undefined;
  /**
   * Executes every pending item without waiting for its batch's delay, and resolves once all of
   * them are settled (never rejects). Items waiting for space under `onOverload: 'wait'` are
   * not included; the concurrency limit still applies.
   */
  flush(): Promise<void>;
  /**
   * Stops accepting items and drains: everything added before the call, including callers waiting
   * for space, is executed and settled before the promise resolves. Idempotent: every call returns
   * the same promise.
   */
  close(): Promise<void>;
}
