import { LRUCache } from 'lru-cache';
import type { ExecutablePlan } from './plan.js';

/** A cached plan, the shape it is for and the statistics epoch it was planned under. */
export type CachedPlan = { readonly executable: ExecutablePlan; readonly epoch: number; readonly tokens: readonly string[] };

/** The cache key of a shape in a storage: its hash, spread over storages. */
export function planKey(sid: number, hash: number): number {
  return sid * 4_294_967_296 + hash;
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Plan-cache counters. */
export type PlanCacheStats = { hits: number; misses: number; replans: number; size: number };

/**
 * Plans by query shape (literals stripped) and storage. An entry planned under an older epoch
 * (indexes changed, statistics refreshed) is a miss; an entry whose execution took far more work
 * than estimated is evicted, so the next query of its shape is planned afresh.
 */
export class PlanCache {
  readonly #lru: LRUCache<number, CachedPlan>;
  #hits = 0;
  #misses = 0;
  #replans = 0;

  constructor(max: number) {
    this.#lru = new LRUCache({ max });
  }

  /**
   * The plan for a shape. Keys are numbers (hashing a freshly built shape string would cost more
   * than the rest of a hit); a hash collision is told apart by comparing the shapes' tokens.
   */
  get(key: number, epoch: number, tokens: readonly string[]): CachedPlan | undefined {
    const entry = this.#lru.get(key);
    if (entry !== undefined && entry.epoch === epoch && sameTokens(entry.tokens, tokens)) {
      this.#hits++;
      return entry;
    }
    this.#misses++;
    return undefined;
  }

  set(key: number, entry: CachedPlan): void {
    this.#lru.set(key, entry);
  }

  /** Drops a plan whose observed cost exceeded its estimate. */
  evict(key: number): void {
    if (this.#lru.delete(key)) this.#replans++;
  }

  clear(): void {
    this.#lru.clear();
  }

  stats(): PlanCacheStats {
    return { hits: this.#hits, misses: this.#misses, replans: this.#replans, size: this.#lru.size };
  }
}
