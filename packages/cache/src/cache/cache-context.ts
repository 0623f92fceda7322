import type { Clock } from '../internal/clock.js';
import type { L1Tier } from '../l1/l1-tier.js';
import type { L2EntryMeta } from '../l2/l2-entry.js';
import type { LmdbTier } from '../l2/lmdb-tier.js';
import type { RemoteTier } from '../remote/remote-tier.js';
import type { CacheEntry, Deadlines } from './cache-entry.js';
import type { CacheCounters } from './cache-stats.js';
import type { Loader } from './tiered-cache-options.js';
import type { ValueCodec } from './value-codec.js';

/** What the parts of a cache share: its tiers, codec, clock, counters and TTL settings. */
export type CacheContext<V> = {
  readonly name: string;
  readonly l1: L1Tier;
  readonly l2: LmdbTier | undefined;
  readonly remote: RemoteTier | undefined;
  readonly load: Loader<V> | undefined;
  readonly codec: ValueCodec;
  readonly counters: CacheCounters;
  readonly clock: Clock;
  readonly ttlMs: number | undefined;
  readonly staleWhileRevalidateMs: number;
  readonly negativeTtlMs: number | undefined;
  readonly l1TtlMs: number | undefined;
  readonly l2TtlMs: number | undefined;
  /** Versions for L1 entries of a cache without L2 (which versions them itself). */
  nextLocalVersion(): number;
};

/** Builds an L1 entry for a value written or read at `now`. */
export function valueEntry(
  context: CacheContext<unknown>,
  key: string,
  value: unknown,
  version: number,
  deadlines: Deadlines,
  tags: readonly string[] | undefined,
  encodedBytes: number,
  now: number,
): CacheEntry {
  const l1Until = context.l1TtlMs === undefined ? Infinity : now + context.l1TtlMs;
  const checkAt = Math.min(deadlines.freshUntil, l1Until);
  return {
    value,
    version,
    freshUntil: deadlines.freshUntil,
    staleUntil: deadlines.staleUntil,
    l1Until,
    checkAt,
    timed: checkAt !== Infinity,
    tags,
    negative: undefined,
    bytes: encodedBytes + key.length,
  };
}

/** Builds a negative L1 entry: a remembered failure (`error`) or absence. */
export function negativeEntry(context: CacheContext<unknown>, key: string, error: unknown, ttlMs: number, now: number): CacheEntry {
  return {
    value: undefined,
    version: context.nextLocalVersion(),
    freshUntil: now + ttlMs,
    staleUntil: now + ttlMs,
    l1Until: now + ttlMs,
    checkAt: -Infinity,
    timed: true,
    tags: undefined,
    negative: { error },
    bytes: key.length + 16,
  };
}

/** L2 header fields for an entry written at `now`: its deadlines, capped by `l2.ttlMs`. */
export function l2Meta(context: CacheContext<unknown>, deadlines: Deadlines, tags: readonly string[] | undefined, now: number): L2EntryMeta {
  const keepUntil = context.l2TtlMs === undefined ? deadlines.staleUntil : Math.min(deadlines.staleUntil, now + context.l2TtlMs);
  return { freshUntil: deadlines.freshUntil, staleUntil: deadlines.staleUntil, keepUntil, tags };
}
