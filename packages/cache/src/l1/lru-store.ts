import { LRUCache } from 'lru-cache';
import type { L1Store, L1StoreOptions } from './l1-store.js';

/** Bytes bound used when none is given: lru-cache tracks sizes only with a `maxSize`. */
const UNBOUNDED_BYTES = Number.MAX_SAFE_INTEGER;

/** The `lru` policy: a thin adapter over lru-cache, whose `get` is the L1 hit path. */
export class LruStore<V extends object> implements L1Store<V> {
  readonly policy = 'lru' as const;
  readonly #lru: LRUCache<string, V>;

  constructor(options: L1StoreOptions<V>) {
    const onEvict = options.onEvict;
    this.#lru = new LRUCache<string, V>({
      max: options.maxEntries,
      maxSize: options.maxBytes ?? UNBOUNDED_BYTES,
      ...(onEvict === undefined
        ? {}
        : {
            dispose: (value: V, key: string, reason: LRUCache.DisposeReason) => {
              if (reason === 'evict') onEvict(key, value);
            },
          }),
    });
  }

  /** The lru-cache instance: its `get` is the L1 hit path, called directly by the cache. */
  get lru(): LRUCache<string, V> {
    return this.#lru;
  }

  get size(): number {
    return this.#lru.size;
  }

  get bytes(): number {
    return this.#lru.calculatedSize;
  }

  get(key: string): V | undefined {
    return this.#lru.get(key);
  }

  peek(key: string): V | undefined {
    return this.#lru.peek(key);
  }

  set(key: string, value: V, bytes: number): void {
    // lru-cache refuses a zero size; every real entry weighs at least its key anyway.
    this.#lru.set(key, value, { size: Math.max(1, bytes) });
  }

  delete(key: string): boolean {
    return this.#lru.delete(key);
  }

  clear(): void {
    this.#lru.clear();
  }

  keys(): IterableIterator<string> {
    return this.#lru.keys();
  }
}
