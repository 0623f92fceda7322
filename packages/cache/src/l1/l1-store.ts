/**
 * Eviction policies of an L1 store:
 *
 * - `lru`: least recently used, on lru-cache. The cheapest per operation.
 * - `w-tinylfu`: Caffeine's W-TinyLFU — a small LRU window in front of a segmented-LRU main region
 *   guarded by a TinyLFU frequency filter. Higher hit ratios on skewed and scan-heavy workloads, for
 *   a hash per miss and a sketch update per request.
 */
export type L1Policy = 'lru' | 'w-tinylfu';

/** Options of {@link createL1Store}. */
export type L1StoreOptions<V> = {
  /** The eviction policy (default `lru`). */
  policy?: L1Policy;
  /** The most entries held. */
  maxEntries: number;
  /** The most bytes held, as summed from the sizes given to `set` (default: unbounded). */
  maxBytes?: number;
  /** Called for each entry the policy evicts to make room (not for `delete`, `clear` or overwrites). */
  onEvict?: (key: string, value: V) => void;
};

/**
 * A bounded in-process map with an eviction policy: the L1 tier's storage, usable on its own.
 * Not thread-safe and not shared: one per thread. Values are held by reference.
 */
export interface L1Store<V> {
  /** The policy this store evicts by. */
  readonly policy: L1Policy;
  /** Entries held. */
  readonly size: number;
  /** Bytes held, as summed from the sizes given to `set`. */
  readonly bytes: number;
  /** The value for `key`, recording the access for the policy (recency, frequency); a miss is recorded too. */
  get(key: string): V | undefined;
  /** The value for `key` without recording an access. */
  peek(key: string): V | undefined;
  /**
   * Stores `value` under `key`, weighing `bytes` against `maxBytes`. May evict other entries — and,
   * under `w-tinylfu`, entries that lose admission, possibly the new one itself later on.
   */
  set(key: string, value: V, bytes: number): void;
  /** Removes `key`; true when it was present. */
  delete(key: string): boolean;
  /** Removes every entry (no `onEvict` calls). */
  clear(): void;
  /** The keys held, in no particular order. Do not mutate the store while iterating. */
  keys(): IterableIterator<string>;
}
