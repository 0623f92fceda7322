/**
 * An entry of the L1 tier. Deadlines are wall-clock ms (see `Clock`); `Infinity` means never.
 *
 * `checkAt` is what the synchronous hit path compares against: the earliest moment the entry can no
 * longer be answered without looking closer (the end of its freshness, or of its L1 lifetime).
 * `timed` is false when that moment never comes, and then a hit reads no clock at all (a boolean
 * test, cheaper than comparing a double with `Infinity`). Negative entries are timed, with
 * `checkAt` at `-Infinity`, so they always take the slower path that knows how to answer them.
 */
export type CacheEntry = {
  /** The decoded value, shared by every caller (treat it as immutable). Undefined for negative entries. */
  readonly value: unknown;
  /** L2's version of the entry when there is an L2, else a per-cache counter. */
  readonly version: number;
  readonly freshUntil: number;
  readonly staleUntil: number;
  /** When the L1 copy must be dropped even though the entry may still be fresh (`l1.ttlMs`). */
  readonly l1Until: number;
  readonly checkAt: number;
  /** False when `checkAt` is `Infinity`. */
  readonly timed: boolean;
  readonly tags: readonly string[] | undefined;
  /** Set on negative entries: the remembered outcome of a failed or empty load. */
  readonly negative: NegativeOutcome | undefined;
  /** Size weighed against `l1.maxBytes`: the encoded value plus the key. */
  readonly bytes: number;
};

/** A remembered failure (`error` set) or "no such value" (`error` undefined). */
export type NegativeOutcome = { readonly error: unknown };

/** Freshness of an entry at a moment. */
export type Freshness = 'fresh' | 'stale' | 'expired';

/** Classifies deadlines at `now`: fresh before `freshUntil`, stale before `staleUntil`, then expired. */
export function freshness(freshUntil: number, staleUntil: number, now: number): Freshness {
  if (now < freshUntil) return 'fresh';
  return now < staleUntil ? 'stale' : 'expired';
}

/** Deadlines of an entry written at `now`. */
export type Deadlines = { readonly freshUntil: number; readonly staleUntil: number };

/** Deadlines for a TTL (undefined: never expires) and a stale-while-revalidate window. */
export function deadlines(now: number, ttlMs: number | undefined, staleWhileRevalidateMs: number): Deadlines {
  if (ttlMs === undefined) return { freshUntil: Infinity, staleUntil: Infinity };
  const freshUntil = now + ttlMs;
  return { freshUntil, staleUntil: freshUntil + staleWhileRevalidateMs };
}
