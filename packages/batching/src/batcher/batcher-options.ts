/**
 * What `execute` returns for a batch: one entry per item, in the order of the items. An entry that is
 * an `Error` rejects that item's `add` promise; any other value resolves it. Because of this rule,
 * `TResult` should not itself be an `Error` type.
 */
export type BatchResults<TResult> = ReadonlyArray<TResult | Error>;

/** What {@link BatcherOptions.onOverload} does when `maxPending` items are already pending. */
export type OverloadPolicy = 'reject' | 'wait';

/**
 * Settings of the adaptive size controller. The batch size target moves between `minSize` and
 * `maxSize` so that a batch's execution time stays under `targetLatencyMs`.
 */
export type AdaptiveOptions = {
  /** The execution time of one batch (call of `execute` to its settlement) to stay under, in ms. */
  targetLatencyMs: number;
  /** The smallest target the controller shrinks to. */
  minSize: number;
  /** The largest target the controller grows to. */
  maxSize: number;
};

/** Options of {@link createBatcher}. */
export type BatcherOptions<TItem, TResult> = {
  /**
   * Executes one batch. Returns (or resolves to) one result per item, aligned with `items` (see
   * {@link BatchResults}). A throw or rejection rejects every item of the batch with that error.
   * `items` is a fresh array owned by the callee.
   */
  execute(items: readonly TItem[]): BatchResults<TResult> | PromiseLike<BatchResults<TResult>>;
  /**
   * The batch size target: a batch is executed as soon as this many items are pending and a
   * concurrency slot is free. With `adaptive`, the initial target (within the adaptive bounds).
   */
  maxSize: number;
  /**
   * The longest an item waits for its batch to fill before the batch is executed anyway, in ms.
   * `0` is turn mode (group commit): everything added in the same event-loop turn is one batch.
   */
  maxDelayMs: number;
  /**
   * The bound on items added but not yet handed to `execute` (callers deduplicated onto another
   * item count too). Must be at least the largest batch size.
   */
  maxPending: number;
  /** `'reject'` (default) fails `add` with `OVERLOADED` beyond `maxPending`; `'wait'` waits for space. */
  onOverload?: OverloadPolicy;
  /** Batches executing at once (default 1: one in flight while the next one fills). */
  concurrency?: number;
  /** Adapt the size target to the measured batch latency instead of keeping `maxSize` fixed. */
  adaptive?: AdaptiveOptions;
  /**
   * Deduplication key of an item. Items with the same key (SameValueZero, like `Map`) that are
   * pending together are executed once, and every caller gets that one result. Returning
   * `undefined` opts an item out.
   */
  dedupeKey?(item: TItem): unknown;
  /**
   * All-or-nothing batches: an `Error` entry for any item fails the whole batch, and every item
   * rejects with that error (the first in item order). Default `false`: items fail on their own.
   */
  atomic?: boolean;
  /** Name reported in diagnostics and errors (default `'batcher'`). */
  name?: string;
  /** Monotonic clock in ms used to time batches (default `performance.now`; tests pass a fake one). */
  clock?: () => number;
};
