import type { CacheStats } from './cache-stats.js';

/** Options of {@link TieredCache.set}. */
export type SetOptions = {
  /** TTL of this entry, in ms (default: the cache's `ttlMs`). */
  ttlMs?: number;
  /** Tags of this entry, for {@link TieredCache.invalidateTag}. */
  tags?: readonly string[];
};

/**
 * A multi-tier cache: L1 in-process (per thread), L2 on LMDB (shared by the machine's threads and
 * processes), L3 a remote tier shared by machines and/or the source's `load`. Created by
 * `createTieredCache`.
 *
 * Values are held by reference in L1 and shared by every caller: treat them as immutable. Errors are
 * Strata errors (`INVALID_ARGUMENT`, `SERIALIZATION_FAILED`, `STORE_CLOSED`), except the loader's and
 * writer's own errors, which reach callers untouched.
 */
export interface TieredCache<V> {
  /** The cache's name (stats, diagnostics, cross-thread channel). */
  readonly name: string;

  /**
   * The value of `key`: from L1, else L2, else the remote tier, else `load` (concurrent misses of a
   * key share one load). A stale value within `staleWhileRevalidateMs` is returned at once while a
   * refresh runs in the background. `undefined` when no tier and no loader has a value.
   */
  get(key: string): Promise<V | undefined>;

  /**
   * The synchronous fast path: what the cache can answer from L1 and L2 without waiting, counted
   * in the stats like `get`. Never calls `load` or the remote tier (a stale value still schedules a
   * refresh); `undefined` on a miss. An L1 hit on an entry without TTL reads no clock.
   */
  getSync(key: string): V | undefined;

  /** L1's entry for `key` if it is fresh, without counting an access, a hit or a miss. */
  peekL1(key: string): V | undefined;

  /** L2's fresh value for `key`, decoded, without touching L1 or the stats. `undefined` without an L2. */
  peekL2(key: string): V | undefined;

  /**
   * L2's encoded value for `key` (the serializer's value envelope; decode with
   * `serializer.decodeValue`), read without copying and regardless of freshness.
   *
   * **The bytes are valid only until the next L2 read on this thread** (any cache method that may
   * read L2, `get`/`getSync` on an L1 miss included): they live in a buffer lmdb-js reuses, or in
   * the memory map itself for large values. Copy them (`Uint8Array.prototype.slice`) to keep them.
   */
  peekL2EncodedFast(key: string): Uint8Array | undefined;

  /**
   * Stores `value` in every tier and announces the change to the other threads and processes.
   * Under write-through it first writes the source (`write`) and the remote tier and changes nothing
   * if that fails; under write-behind those writes are queued. Loads in flight for the key when it
   * is set never overwrite it.
   */
  set(key: string, value: V, options?: SetOptions): Promise<void>;

  /** Removes `key` from every tier, like {@link invalidate}, and deletes it at the source through `write`. */
  delete(key: string): Promise<void>;

  /** Drops `key` from every tier (L1 of every thread, L2, the remote tier). The source is untouched. */
  invalidate(key: string): Promise<void>;

  /** Drops every key that starts with `prefix` from every tier (`''` drops everything). */
  invalidatePrefix(prefix: string): Promise<void>;

  /** Drops every entry tagged `tag` from every tier. */
  invalidateTag(tag: string): Promise<void>;

  /** Writes every queued write-behind operation; rejects with the writer's error if a batch fails. */
  flush(): Promise<void>;

  /** Counters since creation, per tier. */
  stats(): CacheStats;

  /**
   * Flushes write-behind, waits for loads in flight, and releases L2 and the channel. Every other
   * method then fails with `STORE_CLOSED`. If the final flush fails, `close()` rejects and keeps the
   * queued writes: call it again to retry. The remote tier is not closed (it may be shared).
   */
  close(): Promise<void>;
}
