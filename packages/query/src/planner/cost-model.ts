/**
 * Cost units of the optimizer, relative to a sequential read of one document (1). Measured on
 * lmdb-js: a random `get` with decode costs about two sequential reads; an index entry read
 * in a range about half of one; starting a range scan a few.
 */
export const Cost = {
  seek: 3,
  indexEntry: 0.5,
  fetch: 2,
  scan: 1,
  filter: 0.05,
  sortPerComparison: 0.1,
} as const;

/** Cost of sorting `rows` rows in memory. */
export function sortCost(rows: number): number {
  return rows <= 1 ? 0 : rows * Math.log2(rows) * Cost.sortPerComparison;
}
