import { isStrataError } from '@strata/core';
import { l2FreshUntil, l2KeepUntil, l2StaleUntil, l2Tags, l2ValueOffset, l2Version } from '../l2/l2-entry.js';
import type { LmdbTier } from '../l2/lmdb-tier.js';
import { valueEntry, type CacheContext } from './cache-context.js';
import type { CacheEntry } from './cache-entry.js';

/**
 * Reads L2's entry for `key` at `now` and builds the L1 entry for it, or undefined when L2 has
 * none that is fresh or stale (past `l2.ttlMs` counts as none). The value is decoded straight from
 * the buffer lmdb-js returns, without an intermediate copy. An entry whose bytes do not decode
 * counts as a tier failure and a miss: the next load overwrites it. With `fresh`, the read renews
 * the thread's read snapshot first (see `LmdbTier.readFreshFast`).
 */
export function readL2Entry(context: CacheContext<unknown>, key: string, now: number, fresh = false): CacheEntry | undefined {
  const l2 = context.l2;
  if (l2 === undefined) return undefined;
  const bytes = fresh ? l2.readFreshFast(key) : l2.readFast(key);
  if (bytes === undefined) return undefined;
  const keepUntil = l2KeepUntil(bytes);
  const staleUntil = Math.min(l2StaleUntil(bytes), keepUntil);
  if (now >= staleUntil) return undefined;
  const freshUntil = Math.min(l2FreshUntil(bytes), keepUntil);
  const version = l2Version(bytes);
  const offset = l2ValueOffset(bytes);
  const tags = l2Tags(bytes);
  let value: unknown;
  try {
    value = context.codec.decode(l2.valueView(bytes, offset));
  } catch (err) {
    if (!isStrataError(err, 'SERIALIZATION_FAILED')) throw err;
    context.counters.tierFailures++;
    return undefined;
  }
  return valueEntry(context, key, value, version, { freshUntil, staleUntil }, tags, bytes.length - offset, now);
}

/**
 * L2's encoded value for `key` (a transient view, see `peekL2EncodedFast`), fresh or not. A plain
 * `Uint8Array`, not a `Buffer`: `Buffer#slice` does not copy, and callers keep a value by slicing it.
 */
export function readL2EncodedFast(context: CacheContext<unknown>, key: string): Uint8Array | undefined {
  const bytes = context.l2?.readFast(key);
  if (bytes === undefined) return undefined;
  return (context.l2 as LmdbTier).valueView(bytes, l2ValueOffset(bytes));
}

/**
 * L2's fresh value for `key`, decoded, or undefined: the read of `peekL2`, which builds no L1
 * entry. A value that does not decode counts as a tier failure and reads as absent.
 */
export function peekL2Value(context: CacheContext<unknown>, key: string, now: number): unknown {
  const l2 = context.l2;
  if (l2 === undefined) return undefined;
  const bytes = l2.readFast(key);
  if (bytes === undefined || now >= Math.min(l2FreshUntil(bytes), l2KeepUntil(bytes))) return undefined;
  try {
    return context.codec.decode(l2.valueView(bytes, l2ValueOffset(bytes)));
  } catch (err) {
    if (!isStrataError(err, 'SERIALIZATION_FAILED')) throw err;
    context.counters.tierFailures++;
    return undefined;
  }
}
