import type { Databases, StorageId } from '../storage/databases.js';
import type { CompiledIndex } from '../storage/index-definition.js';
import { compareValues } from '../document/value-order.js';

/** One bucket of an equi-depth histogram: the values up to `upper` (after the previous bucket's). */
export type HistogramBucket = { readonly upper: unknown; readonly rows: number; readonly distinct: number };

/**
 * The value distribution of one field: equi-depth buckets over the non-frequent values plus the
 * exact counts of the most common values (those that would fill a good part of a bucket alone).
 */
export type Histogram = {
  readonly rows: number;
  readonly distinct: number;
  readonly buckets: readonly HistogramBucket[];
  readonly mostCommon: ReadonlyMap<unknown, number>;
};

/** Statistics of one index: entries and distinct counts of each key prefix. */
export type IndexStatistics = {
  readonly entries: number;
  /** `distinctPrefixes[k]` is the number of distinct values of the first `k + 1` fields. */
  readonly distinctPrefixes: readonly number[];
  /** Distribution of the first field. */
  readonly histogram: Histogram;
};

/** Statistics of one collection generation, built by scanning its indexes in key order. */
export type Statistics = {
  readonly rows: number;
  readonly indexes: ReadonlyMap<number, IndexStatistics>;
  /** Histograms by field name (from indexes that lead with the field). */
  readonly fields: ReadonlyMap<string, Histogram>;
};

const BUCKETS = 64;

class HistogramBuilder {
  readonly #depth: number;
  readonly #buckets: HistogramBucket[] = [];
  readonly #mostCommon = new Map<unknown, number>();
  #bucketRows = 0;
  #bucketDistinct = 0;
  #distinct = 0;
  #rows = 0;
  #run: unknown = undefined;
  #runRows = 0;

  constructor(expectedRows: number) {
    this.#depth = Math.max(1, Math.ceil(expectedRows / BUCKETS));
  }

  add(value: unknown): void {
    if (this.#runRows > 0 && compareValues(value, this.#run) === 0) {
      this.#runRows++;
      return;
    }
    this.#closeRun();
    this.#run = value;
    this.#runRows = 1;
  }

  #closeRun(): void {
    if (this.#runRows === 0) return;
    this.#rows += this.#runRows;
    this.#distinct++;
    if (this.#runRows * 4 >= this.#depth && this.#runRows > 1) {
      this.#mostCommon.set(this.#run, this.#runRows);
    } else {
      this.#bucketRows += this.#runRows;
      this.#bucketDistinct++;
    }
    if (this.#bucketRows >= this.#depth) this.#closeBucket(this.#run);
    this.#runRows = 0;
  }

  #closeBucket(upper: unknown): void {
    if (this.#bucketRows === 0) return;
    this.#buckets.push({ upper, rows: this.#bucketRows, distinct: this.#bucketDistinct });
    this.#bucketRows = 0;
    this.#bucketDistinct = 0;
  }

  finish(): Histogram {
    const last = this.#run;
    this.#closeRun();
    this.#closeBucket(last);
    return { rows: this.#rows, distinct: this.#distinct, buckets: this.#buckets, mostCommon: this.#mostCommon };
  }
}

/**
 * Builds statistics by scanning every index of a generation once, in key order (so distinct
 * counts are exact and histograms equi-depth). Cost: one pass over the index keys, without
 * touching documents.
 */
export function buildStatistics(dbs: Databases, sid: StorageId, rows: number, indexes: readonly CompiledIndex[]): Statistics {
  const byIndex = new Map<number, IndexStatistics>();
  const fields = new Map<string, Histogram>();
  for (const index of indexes) {
    const width = index.fields.length;
    const distinct = new Array<number>(width).fill(0);
    const previous = new Array<unknown>(width).fill(undefined);
    const histogram = new HistogramBuilder(rows);
    let entries = 0;
    for (const key of dbs.index.getKeys({ start: [sid, index.id], end: [sid, index.id + 1] })) {
      entries++;
      let changed = entries === 1;
      for (let i = 0; i < width; i++) {
        const value = key[2 + i];
        if (changed || value !== previous[i]) {
          changed = true;
          distinct[i]!++;
          previous[i] = value;
        }
      }
      histogram.add(key[2]);
    }
    const built = histogram.finish();
    byIndex.set(index.id, { entries, distinctPrefixes: distinct, histogram: built });
    if (!fields.has(index.fields[0]!)) fields.set(index.fields[0]!, built);
  }
  return { rows, indexes: byIndex, fields };
}

function bucketIndex(histogram: Histogram, value: unknown): number {
  const { buckets } = histogram;
  let low = 0;
  let high = buckets.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareValues(buckets[mid]!.upper, value) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Estimated rows whose field equals `value`. */
export function estimateEqual(histogram: Histogram, value: unknown): number {
  const common = histogram.mostCommon.get(value);
  if (common !== undefined) return common;
  const bucket = histogram.buckets[bucketIndex(histogram, value)];
  if (bucket === undefined) return Math.min(1, histogram.rows);
  return bucket.rows / Math.max(1, bucket.distinct);
}

/**
 * Estimated rows with a value in the range (bounds `undefined` are open); buckets cut by a bound
 * count half.
 */
export function estimateRange(histogram: Histogram, lower: unknown, upper: unknown): number {
  let rows = 0;
  const { buckets } = histogram;
  const first = lower === undefined ? 0 : bucketIndex(histogram, lower);
  const last = upper === undefined ? buckets.length - 1 : Math.min(buckets.length - 1, bucketIndex(histogram, upper));
  for (let i = first; i <= last; i++) {
    const whole = (lower === undefined || i > first) && (upper === undefined || i < last);
    rows += whole ? buckets[i]!.rows : buckets[i]!.rows / 2;
  }
  for (const [value, count] of histogram.mostCommon) {
    if (lower !== undefined && compareValues(value, lower) < 0) continue;
    if (upper !== undefined && compareValues(value, upper) > 0) continue;
    rows += count;
  }
  return rows;
}
