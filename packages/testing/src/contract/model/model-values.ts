import type { ExpectedVersion } from '@strata/core';

/**
 * Structural equality of JSON-like values for the model: key order is ignored, and a key holding
 * `undefined` equals an absent key. Written independently of core's `deepEqual` on purpose.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!sameValue(left[key], right[key])) return false;
  return true;
}

/** Whether `expected` holds for a stream whose last visible version is `current` (-1: none). */
export function versionHolds(expected: ExpectedVersion, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1;
    case 'stream_exists':
      return current >= 0;
    default:
      return expected === current;
  }
}

/**
 * Whether a retry sent with `expected` is the original request of events first stored at
 * `firstVersion`: an expected version under which the original append lands exactly there.
 * `landedOnEmpty` says the stream had no visible events then (version 0, or a restart after a
 * soft delete), where only `'no_stream'`, -1 and `'any'` fit.
 */
export function matchesOriginal(expected: ExpectedVersion, firstVersion: number, landedOnEmpty: boolean): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return landedOnEmpty;
    case 'stream_exists':
      return !landedOnEmpty;
    default:
      return expected === (landedOnEmpty ? -1 : firstVersion - 1);
  }
}

/** The category of a stream id: the part before the first dash. */
export function categoryOf(streamId: string): string {
  return streamId.split('-', 1)[0] ?? streamId;
}
