import type { BatcherStats } from './batcher.js';

/** The live figures of a batcher that the counters do not own. */
export type LiveFigures = Pick<BatcherStats, 'pending' | 'waiting' | 'inFlight' | 'inFlightBatches' | 'targetSize'>;

/** Cumulative counters of a batcher, turned into {@link BatcherStats} on demand. */
export class BatchCounters {
  #batches = 0;
  #items = 0;
  #failedItems = 0;
  #totalLatencyMs = 0;
  /** Calls of `add` answered by another item's execution. */
  deduplicated = 0;
  /** Calls of `add` rejected with `OVERLOADED`. */
  overloaded = 0;

  /** Counts one settled batch. */
  recordBatch(size: number, latencyMs: number, failedItems: number): void {
    this.#batches++;
    this.#items += size;
    this.#failedItems += failedItems;
    this.#totalLatencyMs += latencyMs;
  }

  /** A stats snapshot combining the counters with the engine's live figures. */
  snapshot(live: LiveFigures): BatcherStats {
    const batches = this.#batches;
    return {
      ...live,
      batches,
      items: this.#items,
      failedItems: this.#failedItems,
      deduplicated: this.deduplicated,
      overloaded: this.overloaded,
      averageBatchSize: batches === 0 ? 0 : this.#items / batches,
      averageLatencyMs: batches === 0 ? 0 : this.#totalLatencyMs / batches,
    };
  }
}
