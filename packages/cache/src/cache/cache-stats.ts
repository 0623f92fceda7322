import { cacheChannel, type CacheEvent, type CacheMessage, type CacheTierName } from '../diagnostics/cache-message.js';

/** Hit and eviction figures of one tier since the cache was created. */
export type TierStats = {
  hits: number;
  misses: number;
  /** hits / (hits + misses), or null before the first lookup. */
  hitRatio: number | null;
  evictions: number;
};

/** What {@link TieredCache.stats} returns: a snapshot of counters since creation. */
export type CacheStats = {
  name: string;
  l1: TierStats & { entries: number; bytes: number };
  /** Undefined without an L2. `bytes` counts every process's entries. */
  l2: (TierStats & { bytes: number }) | undefined;
  /** The remote tier (hits, misses) and the source (loads). */
  l3: TierStats & {
    loads: number;
    loadFailures: number;
    /** Mean and largest duration of the loads that completed (succeeded or failed), in ms. */
    meanLoadMs: number | null;
    maxLoadMs: number;
  };
  /** Stale values served while a refresh ran (stale-while-revalidate). */
  staleHits: number;
  /** Lookups answered by a remembered failure or absence (negative caching). */
  negativeHits: number;
  /** Background refreshes started. */
  refreshes: number;
  /** Loaded values not stored because their key changed while they loaded. */
  discardedLoads: number;
  /** Failed writes of loaded values to L2 or the remote tier, and failed remote reads (callers still got their value). */
  tierFailures: number;
  /** Invalidations made by this instance (keys, prefixes, tags). */
  invalidations: number;
  /** Write-behind queue: items waiting, written, batches written, failed batch attempts. */
  writeBehind: { pending: number; written: number; batches: number; failures: number };
};

/** Mutable per-tier counters. */
export type TierCounters = { hits: number; misses: number; evictions: number };

/** L1 hits of the inline hit path are published in aggregate, at least once per this many. */
export const FAST_HIT_BATCH = 1024;

/**
 * The counters behind {@link CacheStats}, and the publisher of `strata:cache` messages. Counting is
 * a field increment; publishing builds a message only when someone subscribes.
 *
 * L1 hits of the inline hit path are the exception: checking `hasSubscribers` costs more than the
 * rest of such a hit (diagnostics channels switch prototypes as subscribers come and go, which
 * defeats the property caches), so those hits are only counted, in {@link l1FastHits}, and
 * published as one message with a `count` every {@link FAST_HIT_BATCH} hits and before any other
 * message of the cache — so subscribers see events in order — and when stats are read.
 */
export class CacheCounters {
  /** L1 hits counted by the inline hit path (not in `l1.hits`). */
  l1FastHits = 0;
  #publishedFastHits = 0;
  readonly l1: TierCounters = { hits: 0, misses: 0, evictions: 0 };
  readonly l2: TierCounters = { hits: 0, misses: 0, evictions: 0 };
  readonly l3: TierCounters = { hits: 0, misses: 0, evictions: 0 };
  loads = 0;
  loadFailures = 0;
  loadMsTotal = 0;
  loadMsMax = 0;
  staleHits = 0;
  negativeHits = 0;
  refreshes = 0;
  discardedLoads = 0;
  tierFailures = 0;
  invalidations = 0;
  readonly #name: string;

  constructor(name: string) {
    this.#name = name;
  }

  hit(tier: CacheTierName): void {
    this[tier].hits++;
    if (cacheChannel.hasSubscribers) this.publish(tier, 'hit');
  }

  miss(tier: CacheTierName): void {
    this[tier].misses++;
    if (cacheChannel.hasSubscribers) this.publish(tier, 'miss');
  }

  evicted(tier: CacheTierName, count: number): void {
    this[tier].evictions += count;
    if (cacheChannel.hasSubscribers) this.publish(tier, 'eviction', undefined, count);
  }

  loaded(durationMs: number, failed: boolean): void {
    this.loads++;
    if (failed) this.loadFailures++;
    this.loadMsTotal += durationMs;
    if (durationMs > this.loadMsMax) this.loadMsMax = durationMs;
    if (cacheChannel.hasSubscribers) this.publish('l3', 'load', durationMs);
  }

  /** Counts an invalidation by this instance and reports it for each tier it reached. */
  invalidated(l2: boolean, remote: boolean): void {
    this.invalidations++;
    if (!cacheChannel.hasSubscribers) return;
    this.publish('l1', 'invalidate');
    if (l2) this.publish('l2', 'invalidate');
    if (remote) this.publish('l3', 'invalidate');
  }

  /** Publishes the inline hits not yet published (or, with no subscriber, marks them as handled). */
  flushFastHits(): void {
    const pending = this.l1FastHits - this.#publishedFastHits;
    if (pending === 0) return;
    this.#publishedFastHits = this.l1FastHits;
    if (cacheChannel.hasSubscribers) this.#send('l1', 'hit', undefined, pending);
  }

  publish(tier: CacheTierName, event: CacheEvent, durationMs?: number, count?: number): void {
    this.flushFastHits();
    this.#send(tier, event, durationMs, count);
  }

  #send(tier: CacheTierName, event: CacheEvent, durationMs: number | undefined, count: number | undefined): void {
    const message: CacheMessage = { cache: this.#name, tier, event };
    if (durationMs !== undefined) message.durationMs = durationMs;
    if (count !== undefined && count !== 1) message.count = count;
    cacheChannel.publish(message);
  }
}

/** The figures of one tier. */
export function tierStats(counters: TierCounters): TierStats {
  const lookups = counters.hits + counters.misses;
  return {
    hits: counters.hits,
    misses: counters.misses,
    hitRatio: lookups === 0 ? null : counters.hits / lookups,
    evictions: counters.evictions,
  };
}
