import type { ExpectedVersion } from '@strata/core';

/** How an expected version travels to the store's functions: a kind and a number. */
export function expectedKind(expected: ExpectedVersion): [kind: number, version: number] {
  if (expected === 'any') return [0, -1];
  if (expected === 'no_stream') return [1, -1];
  if (expected === 'stream_exists') return [2, -1];
  return [3, expected];
}

/**
 * SQL that is true when an expected version (as {@link expectedKind} encodes it) fails on a stream
 * whose current version is `current` (-1: no visible events). The same rule as core's
 * `checkExpectedVersion`, for the append and delete functions.
 */
export function expectedVersionFailsSql(kind: string, expected: string, current: string): string {
  return `((${kind} = 1 AND ${current} <> -1) OR (${kind} = 2 AND ${current} = -1) OR (${kind} = 3 AND ${current} <> ${expected}))`;
}
