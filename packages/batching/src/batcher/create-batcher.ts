import type { Batcher } from './batcher.js';
import type { BatcherOptions } from './batcher-options.js';
import { BatcherEngine } from './batcher-engine.js';
import { validateBatcherOptions } from './validate-batcher-options.js';

/**
 * Creates a batcher: items passed to `add` are collected into batches by size and delay (or by
 * event-loop turn when `maxDelayMs` is 0) and handed to `execute`, with at most `concurrency`
 * batches executing at once and at most `maxPending` items waiting.
 *
 * @throws InvalidArgumentError (`INVALID_ARGUMENT`) naming the offending option in
 * `details.argument` when an option is missing, malformed or unknown.
 *
 * @example
 * ```ts
 * const writes = createBatcher({
 *   maxSize: 256,
 *   maxDelayMs: 0, // group commit: one batch per event-loop turn
 *   maxPending: 10_000,
 *   async execute(rows: Row[]) {
 *     await db.insertMany(rows); // one round trip for the whole batch
 *     return rows.map(() => true);
 *   },
 * });
 * await writes.add(row);
 * ```
 */
export function createBatcher<TItem, TResult>(options: BatcherOptions<TItem, TResult>): Batcher<TItem, TResult> {
  return new BatcherEngine(validateBatcherOptions(options));
}
