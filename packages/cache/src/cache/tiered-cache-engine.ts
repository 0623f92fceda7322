import { StoreClosedError } from '@strata/core';
import type { Clock } from '../internal/clock.js';
import type { InvalidationBus } from '../invalidation/invalidation-bus.js';
import type { InvalidationMessage } from '../invalidation/invalidation-message.js';
import type { L1Tier } from '../l1/l1-tier.js';
import type { LmdbTier } from '../l2/lmdb-tier.js';
import type { CacheContext } from './cache-context.js';
import { freshness, type CacheEntry } from './cache-entry.js';
import { FAST_HIT_BATCH, tierStats, type CacheCounters, type CacheStats } from './cache-stats.js';
import { runFlight } from './load-flight.js';
import { peekL2Value, readL2EncodedFast, readL2Entry } from './read-tiers.js';
import type { CacheWriter } from './cache-writer.js';
import type { FlightRegistry } from './single-flight.js';
import type { SetOptions, TieredCache } from './tiered-cache.js';
import { validateKey } from './validate-key.js';

/** Returned by the synchronous read path when no synchronous tier has the key. */
const MISS: unique symbol = Symbol('miss');
/** The L1 reader of a closed cache: every lookup takes the slow path, which fails with STORE_CLOSED. */
const CLOSED_READER: L1Tier['reader'] = { get: () => undefined };
/** Changes read from L2's log per poll round. */
const POLL_BATCH = 1_000;

/** The parts an engine is assembled from (see `createTieredCache`). */
export type EngineParts<V> = {
  context: CacheContext<V>;
  writer: CacheWriter<V>;
  bus: (onMessage: (message: InvalidationMessage) => void) => InvalidationBus | undefined;
  pollIntervalMs: number | undefined;
};

/**
 * The tiered cache. Reads: L1's hit path is inline and synchronous; everything else goes through
 * {@link TieredCacheEngine.#readSlow} (L1 deadlines, negative entries, L2) and, on a miss, a
 * single flight ({@link runFlight}). Writes and invalidations are delegated to a {@link CacheWriter}.
 * Changes from other threads arrive on the bus; changes from other processes are polled from L2.
 */
export class TieredCacheEngine<V> implements TieredCache<V> {
  readonly name: string;
  readonly #context: CacheContext<V>;
  readonly #l1: L1Tier;
  /** L1's reader; replaced by {@link CLOSED_READER} on close, so the hit path needs no closed check. */
  #l1Reader: L1Tier['reader'];
  readonly #l2: LmdbTier | undefined;
  readonly #clock: Clock;
  readonly #counters: CacheCounters;
  readonly #flights: FlightRegistry<V>;
  readonly #writer: CacheWriter<V>;
  readonly #bus: InvalidationBus | undefined;
  readonly #poller: ReturnType<typeof setInterval> | undefined;
  #l2Seen = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(parts: EngineParts<V>, flights: FlightRegistry<V>) {
    const context = parts.context;
    this.name = context.name;
    this.#context = context;
    this.#l1 = context.l1;
    this.#l1Reader = context.l1.reader;
    this.#l2 = context.l2;
    this.#clock = context.clock;
    this.#counters = context.counters;
    this.#flights = flights;
    this.#writer = parts.writer;
    this.#bus = parts.bus((message) => this.#apply(message.kind, message.pattern, message.version));
    if (this.#l2 !== undefined && parts.pollIntervalMs !== undefined) {
      this.#l2Seen = this.#l2.head();
      this.#poller = setInterval(() => this.#poll(), parts.pollIntervalMs);
      this.#poller.unref();
    }
  }

  getSync(key: string): V | undefined {
    const entry = this.#l1Reader.get(key);
    if (entry !== undefined && (!entry.timed || this.#clock() < entry.checkAt)) {
      if ((++this.#counters.l1FastHits & (FAST_HIT_BATCH - 1)) === 0) this.#counters.flushFastHits();
      return entry.value as V;
    }
    const found = this.#readSlow(key, entry);
    return found === MISS ? undefined : found;
  }

  get(key: string): Promise<V | undefined> {
    const entry = this.#l1Reader.get(key);
    if (entry !== undefined && (!entry.timed || this.#clock() < entry.checkAt)) {
      if ((++this.#counters.l1FastHits & (FAST_HIT_BATCH - 1)) === 0) this.#counters.flushFastHits();
      return Promise.resolve(entry.value as V);
    }
    let found: V | undefined | typeof MISS;
    try {
      found = this.#readSlow(key, entry);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (found !== MISS) return Promise.resolve(found);
    return this.#flights.get(key)?.promise ?? this.#startFlight(key, false);
  }

  peekL1(key: string): V | undefined {
    this.#assertOpen();
    const entry = this.#l1.peek(key);
    if (entry === undefined || entry.negative !== undefined) return undefined;
    const now = this.#clock();
    return now < entry.l1Until && now < entry.freshUntil ? (entry.value as V) : undefined;
  }

  peekL2(key: string): V | undefined {
    this.#assertOpen();
    validateKey(key);
    return peekL2Value(this.#context, key, this.#clock()) as V | undefined;
  }

  peekL2EncodedFast(key: string): Uint8Array | undefined {
    this.#assertOpen();
    validateKey(key);
    return readL2EncodedFast(this.#context, key);
  }

  set(key: string, value: V, options?: SetOptions): Promise<void> {
    this.#assertOpen();
    return this.#writer.set(key, value, options);
  }

  delete(key: string): Promise<void> {
    this.#assertOpen();
    return this.#writer.delete(key);
  }

  invalidate(key: string): Promise<void> {
    this.#assertOpen();
    return this.#writer.invalidate('key', key);
  }

  invalidatePrefix(prefix: string): Promise<void> {
    this.#assertOpen();
    return this.#writer.invalidate('prefix', prefix);
  }

  invalidateTag(tag: string): Promise<void> {
    this.#assertOpen();
    return this.#writer.invalidate('tag', tag);
  }

  flush(): Promise<void> {
    this.#assertOpen();
    return this.#writer.flush();
  }

  stats(): CacheStats {
    const c = this.#counters;
    c.flushFastHits();
    const l2 = this.#l2;
    return {
      name: this.name,
      l1: { ...tierStats({ ...c.l1, hits: c.l1.hits + c.l1FastHits }), entries: this.#l1.size, bytes: this.#l1.bytes },
      l2: l2 === undefined || this.#closed ? undefined : { ...tierStats(c.l2), bytes: l2.bytes },
      l3: {
        ...tierStats(c.l3),
        loads: c.loads,
        loadFailures: c.loadFailures,
        meanLoadMs: c.loads === 0 ? null : c.loadMsTotal / c.loads,
        maxLoadMs: c.loadMsMax,
      },
      staleHits: c.staleHits,
      negativeHits: c.negativeHits,
      refreshes: c.refreshes,
      discardedLoads: c.discardedLoads,
      tierFailures: c.tierFailures,
      invalidations: c.invalidations,
      writeBehind: this.#writer.counters(),
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#close().catch((err: unknown) => {
      this.#closing = undefined;
      throw err;
    });
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#l1Reader = CLOSED_READER;
    this.#counters.flushFastHits();
    if (this.#poller !== undefined) clearInterval(this.#poller);
    this.#bus?.close();
    await this.#writer.flush();
    await this.#flights.settled();
    await this.#l2?.close();
  }

  /** The synchronous read path beyond L1's inline hit: deadlines, negative entries, pending writes, L2. */
  #readSlow(key: string, entry: CacheEntry | undefined): V | undefined | typeof MISS {
    this.#assertOpen();
    const now = this.#clock();
    const counters = this.#counters;
    if (entry !== undefined) {
      if (entry.negative !== undefined) {
        if (now < entry.freshUntil) {
          counters.negativeHits++;
          counters.hit('l1');
          if (entry.negative.error !== undefined) throw entry.negative.error;
          return undefined;
        }
      } else if (now < entry.l1Until) {
        const state = freshness(entry.freshUntil, entry.staleUntil, now);
        if (state !== 'expired') {
          counters.hit('l1');
          if (state === 'stale') this.#serveStale(key);
          return entry.value as V;
        }
      }
      this.#l1.remove(key);
    }
    counters.miss('l1');
    validateKey(key);
    const pending = this.#writer.pending(key);
    if (pending !== undefined) return pending.type === 'set' ? pending.value : undefined;
    if (this.#l2 === undefined) return MISS;
    // A miss is confirmed against a renewed snapshot: another thread may have just stored the value.
    const found = readL2Entry(this.#context, key, now) ?? readL2Entry(this.#context, key, now, true);
    if (found === undefined) {
      counters.miss('l2');
      return MISS;
    }
    this.#l1.put(key, found);
    counters.hit('l2');
    if (now >= found.freshUntil) this.#serveStale(key);
    return found.value as V;
  }

  /** Counts a stale hit and starts a background refresh unless one is running. */
  #serveStale(key: string): void {
    this.#counters.staleHits++;
    if (this.#flights.get(key) !== undefined) return;
    if (this.#context.load === undefined && this.#context.remote === undefined) return;
    this.#counters.refreshes++;
    // The refresh's failure is counted in the stats; the stale value stays until its deadline.
    this.#startFlight(key, true).catch(() => undefined);
  }

  #startFlight(key: string, refresh: boolean): Promise<V | undefined> {
    if (this.#context.load === undefined && this.#context.remote === undefined) {
      this.#counters.miss('l3');
      return Promise.resolve(undefined);
    }
    const since = this.#l2?.head();
    return this.#flights.start(key, since, (flight) => runFlight(this.#context, flight, refresh)).promise;
  }

  /** Applies a change made elsewhere (another thread, another process) to this thread's L1 and flights. */
  #apply(kind: InvalidationMessage['kind'], pattern: string, version: number | undefined): void {
    if (this.#closed) return;
    // The change is committed in L2: reads from now on must not use a snapshot older than it.
    if (version !== undefined) this.#l2?.renewSnapshot();
    switch (kind) {
      case 'key':
        this.#flights.detach(pattern, version);
        this.#l1.remove(pattern, version);
        break;
      case 'prefix':
        this.#flights.detachPrefix(pattern, version);
        this.#l1.removePrefix(pattern, version);
        break;
      case 'tag':
        this.#flights.detachAll(version);
        this.#l1.removeTag(pattern, version);
        break;
    }
  }

  /** Reads L2's change log from where this cache left off and applies it. */
  #poll(): void {
    const l2 = this.#l2;
    if (l2 === undefined || this.#closed) return;
    for (;;) {
      const { head, reset, changes } = l2.changesSince(this.#l2Seen, POLL_BATCH);
      if (reset) {
        // Changes were pruned before this cache read them: only dropping everything is safe.
        this.#flights.detachAll();
        this.#l1.clear();
      }
      for (const change of changes) {
        this.#apply(change.kind === 'k' ? 'key' : change.kind === 'p' ? 'prefix' : 'tag', change.pattern, change.seq);
      }
      this.#l2Seen = head;
      if (changes.length < POLL_BATCH) return;
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError(`cache '${this.name}'`);
  }
}
