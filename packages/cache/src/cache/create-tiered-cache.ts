import { InvalidationBus } from '../invalidation/invalidation-bus.js';
import { L1Tier } from '../l1/l1-tier.js';
import { LmdbTier } from '../l2/lmdb-tier.js';
import { WriteBehindQueue } from '../write-behind/write-behind-queue.js';
import type { CacheContext } from './cache-context.js';
import { CacheCounters } from './cache-stats.js';
import { CacheWriter, writeToSinks, type QueuedWrite } from './cache-writer.js';
import { FlightRegistry } from './single-flight.js';
import type { TieredCache } from './tiered-cache.js';
import type { TieredCacheOptions } from './tiered-cache-options.js';
import { TieredCacheEngine } from './tiered-cache-engine.js';
import { validateTieredCacheOptions } from './validate-tiered-cache-options.js';
import { ValueCodec } from './value-codec.js';

/**
 * Creates a tiered cache: L1 in this thread (lru-cache, or W-TinyLFU), L2 on LMDB at `l2.path`
 * shared by every thread and process that opens it, and below them a remote tier and/or the source
 * (`load`). Opening L2 is synchronous.
 *
 * @throws InvalidArgumentError (`INVALID_ARGUMENT`) naming the offending option in
 * `details.argument`; `STORE_FAILURE` when L2 cannot be opened.
 *
 * @example
 * ```ts
 * const accounts = createTieredCache<Account>({
 *   name: 'accounts',
 *   l1: { maxEntries: 10_000, policy: 'w-tinylfu' },
 *   l2: { path: '/var/cache/app/accounts' },
 *   ttlMs: 60_000,
 *   staleWhileRevalidateMs: 10_000,
 *   load: (id) => db.findAccount(id), // called once per key, however many callers miss at once
 * });
 * const account = await accounts.get('account-42');
 * ```
 */
export function createTieredCache<V>(options: TieredCacheOptions<V>): TieredCache<V> {
  const resolved = validateTieredCacheOptions(options);
  const counters = new CacheCounters(resolved.name);
  const l1 = new L1Tier({
    policy: resolved.l1.policy,
    maxEntries: resolved.l1.maxEntries,
    maxBytes: resolved.l1.maxBytes,
    onEvict: () => counters.evicted('l1', 1),
  });
  const l2 =
    resolved.l2 === undefined
      ? undefined
      : new LmdbTier({ path: resolved.l2.path, maxBytes: resolved.l2.maxBytes, logRetention: resolved.l2.logRetention });
  let localVersion = 0;
  const context: CacheContext<V> = {
    name: resolved.name,
    l1,
    l2,
    remote: resolved.remote,
    load: resolved.load,
    codec: new ValueCodec(resolved.serializer, resolved.maxValueBytes),
    counters,
    clock: resolved.clock,
    ttlMs: resolved.ttlMs,
    staleWhileRevalidateMs: resolved.staleWhileRevalidateMs,
    negativeTtlMs: resolved.negativeTtlMs,
    l1TtlMs: resolved.l1.ttlMs,
    l2TtlMs: resolved.l2?.ttlMs,
    nextLocalVersion: () => ++localVersion,
  };
  const flights = new FlightRegistry<V>();
  let bus: InvalidationBus | undefined;
  const queue =
    resolved.writePolicy === 'behind'
      ? new WriteBehindQueue<QueuedWrite<V>>(resolved.writeBehind, (items) => writeToSinks(resolved.write, resolved.remote, items))
      : undefined;
  const writer = new CacheWriter<V>(context, flights, resolved.write, queue, () => bus);
  return new TieredCacheEngine<V>(
    {
      context,
      writer,
      bus: (onMessage) => {
        bus = resolved.broadcast ? new InvalidationBus(resolved.name, onMessage) : undefined;
        return bus;
      },
      pollIntervalMs: resolved.l2?.pollIntervalMs,
    },
    flights,
  );
}
