import type { Serializer } from '@strata/serialization';
import type { Clock } from '../internal/clock.js';
import type { L1Policy } from '../l1/l1-store.js';
import type { RemoteTier } from '../remote/remote-tier.js';

/** Options of the L1 tier (in-process, one per thread). */
export type L1Options = {
  /** The most entries held. */
  maxEntries: number;
  /** The most bytes held, weighing each entry as its encoded value plus its key (default: unbounded). */
  maxBytes?: number;
  /** Eviction policy (default `lru`; `w-tinylfu` for frequency-aware admission). */
  policy?: L1Policy;
  /**
   * Longest an entry stays in L1, in ms, however long it stays fresh: after it, L1 answers from L2
   * or below again, picking up changes made on other machines (default: as long as it is fresh).
   */
  ttlMs?: number;
};

/** Options of the L2 tier (LMDB, shared by the threads and processes of a machine). */
export type L2Options = {
  /** Directory of the LMDB environment (created if missing). Every cache sharing L2 opens the same path. */
  path: string;
  /** Bytes of entries beyond which the oldest-written are evicted (default 1 GiB). */
  maxBytes?: number;
  /** Longest an entry stays in L2, in ms, however long it stays fresh (default: as long as it is fresh or stale). */
  ttlMs?: number;
  /**
   * How often, in ms, this cache reads L2's change log to drop L1 copies that another process
   * changed or invalidated (default 100). Threads of the same process are told at once.
   */
  pollIntervalMs?: number;
  /** Change-log records kept (default 100,000): enough for every poller and every load in flight. */
  logRetention?: number;
};

/** Options of write-behind batching. */
export type WriteBehindOptions = {
  /** Operations per batch (default 100). */
  maxBatchSize?: number;
  /** The longest an operation waits for its batch, in ms (default 50). */
  maxDelayMs?: number;
  /** First retry delay after a failed batch, in ms, doubled per failure up to 30 s (default 100). */
  retryDelayMs?: number;
};

/**
 * What a loader may set for the value it returns. The object is the loader's own; fields set
 * after the loader settles are ignored.
 */
export type LoadContext = {
  /** The key being loaded. */
  readonly key: string;
  /** True when the load refreshes a stale value in the background (stale-while-revalidate). */
  readonly refresh: boolean;
  /** TTL of the loaded value, in ms (default: the cache's `ttlMs`). */
  ttlMs?: number;
  /** Tags of the loaded value, for `invalidateTag`. */
  tags?: readonly string[];
};

/**
 * Loads the value of a key from the source on a miss. Returning `undefined` means "no such value"
 * (not cached unless `negativeTtlMs` is set). A throw or rejection fails the callers waiting for this
 * load, and is not cached unless `negativeTtlMs` is set.
 */
export type Loader<V> = (key: string, context: LoadContext) => V | undefined | PromiseLike<V | undefined>;

/** A write to the source, as handed to {@link Writer}. */
export type WriteOperation<V> = { readonly type: 'set'; readonly key: string; readonly value: V } | { readonly type: 'delete'; readonly key: string };

/**
 * Writes to the source. Write-through calls it with one operation per `set`/`delete` and waits;
 * write-behind calls it with batches (at most one operation per key: the latest).
 */
export type Writer<V> = (operations: readonly WriteOperation<V>[]) => void | PromiseLike<void>;

/** Options of {@link createTieredCache}. */
export type TieredCacheOptions<V> = {
  /**
   * Names the cache in stats and diagnostics, and joins caches across threads: every cache of
   * this name in the process receives this one's invalidations (default `cache`).
   */
  name?: string;
  l1: L1Options;
  l2?: L2Options;
  /** A tier shared by several machines, consulted after L2 and before `load`. */
  remote?: RemoteTier;
  /** The source, called on a miss of every tier. Without it, a miss is `undefined`. */
  load?: Loader<V>;
  /** Writes `set` and `delete` to the source, under `writePolicy`. */
  write?: Writer<V>;
  /**
   * `through` (default): `set` and `delete` resolve after `write` and the remote tier succeeded,
   * and change nothing if they fail. `behind`: they change the cache at once, and `write` and the
   * remote tier get them later in batches; `flush()` and `close()` write everything.
   */
  writePolicy?: 'through' | 'behind';
  writeBehind?: WriteBehindOptions;
  /** Default TTL of entries, in ms (default: entries never expire). */
  ttlMs?: number;
  /** How long after its TTL an entry is still served while a refresh runs, in ms (default 0). */
  staleWhileRevalidateMs?: number;
  /** Remember failed and empty loads for this many ms (default: not remembered). */
  negativeTtlMs?: number;
  /** Largest encoded value accepted, in bytes (default 1 MiB). */
  maxValueBytes?: number;
  /** Encodes values for L2, the remote tier and byte accounting (default MessagePack). */
  serializer?: Serializer;
  /** Wall clock in ms since the epoch (default `Date.now`); tests pass a fake one. */
  clock?: Clock;
  /** Announce invalidations to other threads over a BroadcastChannel (default true). */
  broadcast?: boolean;
};
