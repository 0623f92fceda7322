import type { CacheEntry } from '../cache/cache-entry.js';
import type { L1Policy, L1Store } from './l1-store.js';
import { LruStore } from './lru-store.js';
import { TagIndex } from './tag-index.js';
import { WTinyLfuStore } from './w-tiny-lfu-store.js';

/** Settings of the L1 tier. */
export type L1TierSettings = {
  policy: L1Policy;
  maxEntries: number;
  maxBytes: number | undefined;
  /** Reports each entry the policy evicts. */
  onEvict: () => void;
};

/**
 * The L1 tier: a policy store of {@link CacheEntry} plus a tag index. Removal methods take an
 * optional version: a change announced by another thread or process removes only entries older than
 * it, so a value this thread wrote afterwards survives a late announcement.
 */
export class L1Tier {
  /**
   * What the hit path calls `get` on: lru-cache itself under the `lru` policy (one call less on the
   * hottest path), else the store. Counts the access like {@link L1Tier.get}.
   */
  readonly reader: { get(key: string): CacheEntry | undefined };
  readonly #store: L1Store<CacheEntry>;
  readonly #tags = new TagIndex();

  constructor(settings: L1TierSettings) {
    const options = {
      maxEntries: settings.maxEntries,
      ...(settings.maxBytes === undefined ? {} : { maxBytes: settings.maxBytes }),
      onEvict: (key: string, entry: CacheEntry) => {
        if (entry.tags !== undefined) this.#tags.remove(key, entry.tags);
        settings.onEvict();
      },
    };
    if (settings.policy === 'lru') {
      const store = new LruStore<CacheEntry>(options);
      this.#store = store;
      this.reader = store.lru;
    } else {
      this.#store = new WTinyLfuStore<CacheEntry>(options);
      this.reader = this.#store;
    }
  }

  get size(): number {
    return this.#store.size;
  }

  get bytes(): number {
    return this.#store.bytes;
  }

  /** The entry for `key`, counted as an access by the policy. */
  get(key: string): CacheEntry | undefined {
    return this.#store.get(key);
  }

  /** The entry for `key`, not counted as an access. */
  peek(key: string): CacheEntry | undefined {
    return this.#store.peek(key);
  }

  put(key: string, entry: CacheEntry): void {
    const previous = this.#store.peek(key);
    if (previous?.tags !== undefined) this.#tags.remove(key, previous.tags);
    this.#store.set(key, entry, entry.bytes);
    // The policy may have refused or evicted the entry at once (larger than the byte bound).
    if (entry.tags !== undefined && this.#store.peek(key) === entry) this.#tags.add(key, entry.tags);
  }

  /** Removes `key` (only if older than `version`, when given); true when something was removed. */
  remove(key: string, version?: number): boolean {
    const entry = this.#store.peek(key);
    if (entry === undefined || (version !== undefined && entry.version >= version)) return false;
    if (entry.tags !== undefined) this.#tags.remove(key, entry.tags);
    return this.#store.delete(key);
  }

  /** Removes every key starting with `prefix` (a scan of the keys); returns how many. */
  removePrefix(prefix: string, version?: number): number {
    const matching: string[] = [];
    for (const key of this.#store.keys()) if (key.startsWith(prefix)) matching.push(key);
    let removed = 0;
    for (const key of matching) if (this.remove(key, version)) removed++;
    return removed;
  }

  /** Removes every entry tagged `tag`; returns how many. */
  removeTag(tag: string, version?: number): number {
    let removed = 0;
    for (const key of this.#tags.keysOf(tag)) if (this.remove(key, version)) removed++;
    return removed;
  }

  /** Removes every entry older than `version` (every entry when absent); returns how many. */
  clear(version?: number): number {
    if (version === undefined) {
      const removed = this.#store.size;
      this.#store.clear();
      this.#tags.clear();
      return removed;
    }
    return this.removePrefix('', version);
  }
}
