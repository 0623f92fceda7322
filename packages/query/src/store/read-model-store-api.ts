import type { ProjectionSink, SinkScope } from '@strata/core';
import type { Collection } from '../collection/collection.js';
import type { PlanCacheStats } from '../planner/plan-cache.js';
import type { CollectionOptions } from './collection-options.js';
import type { ReadModelTransaction } from './read-model-transaction.js';

/**
 * LMDB-backed read models: collections with secondary indexes, queries planned by cost, and the
 * `ProjectionSink` projections commit through. Created by `createReadModelStore`.
 */
export interface ReadModelStore extends ProjectionSink<ReadModelTransaction> {
  /**
   * The collection `name`, created on first use. `options` declare indexes (built over stored
   * documents when missing), field types and caching; they are persisted, and indexes declared
   * once stay until `dropIndex`.
   */
  collection<T extends { id: string } = { id: string } & Record<string, unknown>>(name: string, options?: CollectionOptions): Collection<T>;
  /**
   * Resolves once the data of dropped generations (replaced by `promote`, or dropped by
   * `beginGeneration` and `discard`) is deleted. `promote` returns as soon as readers see the new
   * generation; the old one is deleted in the background in small transactions. `close()` stops
   * that between two of them, and the next open finishes it (also after a crash).
   */
  garbageCollected(): Promise<void>;
  /**
   * The synchronous variant of `transact` for inline projections: runs `apply`, writes its
   * documents, index entries, counters and the scope's checkpoint with `put`/`remove` and returns,
   * WITHOUT opening or committing a transaction. The store must have been created with
   * `{ environment }`, and this must be called inside a running write transaction of that
   * environment. The caller's commit makes everything durable and visible together with its own
   * writes. A throw from `apply` or from a write (for example `UNIQUE_VIOLATION`) propagates; the
   * caller rolls back by letting it escape `env.transactionSync(() => …)`, or, inside lmdb-js's
   * asynchronous `env.transaction()` (which keeps a throwing callback's writes), by running the
   * writes in `env.childTransaction(() => …)` and returning `ABORT` from it.
   */
  transactSync(scope: SinkScope, position: number, apply: (tx: ReadModelTransaction) => void): void;
  /** Plan-cache counters: hits, misses, evictions by re-planning, size. */
  planCacheStats(): PlanCacheStats;
  /** Empties the plan cache (every query shape is planned afresh once). */
  clearPlanCache(): void;
  /** Closes result caches and, when the store opened it, the LMDB environment. Later calls fail with `STORE_CLOSED`. */
  close(): Promise<void>;
}
