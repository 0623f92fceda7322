/**
 * Sub-buckets per power of two. 2048 slots (half of them used above the first bucket) keep every
 * recorded value within 1/1024 of the value it is counted as: three significant digits, the
 * precision HdrHistogram is usually run at.
 */
const SUB_BUCKET_BITS = 11;
const SUB_BUCKET_COUNT = 1 << SUB_BUCKET_BITS;
const SUB_BUCKET_HALF = SUB_BUCKET_COUNT >> 1;
const HALF_BITS = SUB_BUCKET_BITS - 1;
const TWO_POW_32 = 4_294_967_296;
/** Relative error bound of a reported percentile (see {@link LogLinearHistogram}). */
export const HISTOGRAM_RELATIVE_PRECISION = 1 / SUB_BUCKET_HALF;

/** Powers of two as doubles, for shifts past 31 bits where `>>>` no longer applies. */
const POW2: readonly number[] = Array.from({ length: 64 }, (_, i) => 2 ** i);

/** The counts slot of a non-negative integer value. */
function indexOf(value: number): number {
  if (value < SUB_BUCKET_COUNT) return value;
  const msb = value < TWO_POW_32 ? 31 - Math.clz32(value) : 63 - Math.clz32(Math.floor(value / TWO_POW_32));
  const shift = msb - HALF_BITS;
  const sub = value < 2_147_483_648 ? value >>> shift : Math.floor(value / (POW2[shift] as number));
  return shift * SUB_BUCKET_HALF + sub;
}

/** The largest value counted in a slot. */
function highestInSlot(index: number): number {
  if (index < SUB_BUCKET_COUNT) return index;
  const shift = Math.floor(index / SUB_BUCKET_HALF) - 1;
  const sub = index - shift * SUB_BUCKET_HALF;
  const width = POW2[shift] as number;
  return sub * width + width - 1;
}

/**
 * An HDR-style log-linear histogram of non-negative integers (latencies in nanoseconds, batch
 * sizes). Each power of two is split into 1024 linear slots, so a reported percentile `r` of a
 * true (nearest-rank) percentile `v` satisfies `v <= r <= v * (1 + 1/1024)`: three significant
 * digits, never under-reporting a latency.
 *
 * Written here rather than taken from hdr-histogram-js because recording sits on the hot path of
 * every observed append and command: that library computes slots with floating-point logarithms
 * (about 200 ns per value), this one with `Math.clz32` (a few ns). Counts grow on demand: 8 KB to
 * start, about 60 KB once it has seen millisecond latencies in nanoseconds.
 */
export class LogLinearHistogram {
  #counts = new Uint32Array(SUB_BUCKET_COUNT);
  #minIndex = Number.POSITIVE_INFINITY;
  #maxIndex = -1;
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;

  /**
   * Counts one value. Fractions are rounded, negatives count as 0, values past 2^53 are clamped;
   * `NaN` is ignored (a message with a malformed figure must not poison the statistics).
   */
  record(value: number): void {
    let v = Math.round(value);
    if (!(v >= 0)) {
      if (v !== v) return;
      v = 0;
    } else if (v > Number.MAX_SAFE_INTEGER) {
      v = Number.MAX_SAFE_INTEGER;
    }
    const index = indexOf(v);
    if (index >= this.#counts.length) this.#grow(index);
    this.#counts[index]! += 1;
    if (index < this.#minIndex) this.#minIndex = index;
    if (index > this.#maxIndex) this.#maxIndex = index;
    this.#count += 1;
    this.#sum += v;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  /** Adds every count of `other` to this histogram. */
  add(other: LogLinearHistogram): void {
    if (other.#count === 0) return;
    if (other.#maxIndex >= this.#counts.length) this.#grow(other.#maxIndex);
    const source = other.#counts;
    const target = this.#counts;
    for (let i = other.#minIndex; i <= other.#maxIndex; i++) target[i]! += source[i]!;
    if (other.#minIndex < this.#minIndex) this.#minIndex = other.#minIndex;
    if (other.#maxIndex > this.#maxIndex) this.#maxIndex = other.#maxIndex;
    this.#count += other.#count;
    this.#sum += other.#sum;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
  }

  /** Forgets every value; clears only the slots in use, so an idle reset costs nothing. */
  reset(): void {
    if (this.#count > 0) this.#counts.fill(0, this.#minIndex, this.#maxIndex + 1);
    this.#minIndex = Number.POSITIVE_INFINITY;
    this.#maxIndex = -1;
    this.#count = 0;
    this.#sum = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = 0;
  }

  /** Number of values recorded. */
  get count(): number {
    return this.#count;
  }

  /** Sum of the recorded values (after rounding), exact below 2^53. */
  get sum(): number {
    return this.#sum;
  }

  /** Smallest value recorded (exact), or 0 when empty. */
  get min(): number {
    return this.#count === 0 ? 0 : this.#min;
  }

  /** Largest value recorded (exact), or 0 when empty. */
  get max(): number {
    return this.#max;
  }

  /** Bytes held by the counts array. */
  get footprintBytes(): number {
    return this.#counts.byteLength;
  }

  /** The value at a percentile (0–100], or 0 when empty. See the class doc for its precision. */
  valueAtPercentile(percentile: number): number {
    return this.percentiles([percentile])[0] ?? 0;
  }

  /**
   * Values at several percentiles in one pass over the counts. `percentiles` must be ascending;
   * each result is the slot's highest value, capped at the exact maximum.
   */
  percentiles(percentiles: readonly number[]): number[] {
    const out = new Array<number>(percentiles.length).fill(0);
    if (this.#count === 0) return out;
    const counts = this.#counts;
    let next = 0;
    let rank = rankOf(percentiles[0] ?? 100, this.#count);
    let seen = 0;
    for (let i = this.#minIndex; i <= this.#maxIndex && next < percentiles.length; i++) {
      seen += counts[i]!;
      while (seen >= rank && next < percentiles.length) {
        out[next] = Math.min(highestInSlot(i), this.#max);
        next += 1;
        rank = rankOf(percentiles[next] ?? 100, this.#count);
      }
    }
    return out;
  }

  #grow(index: number): void {
    // Whole powers of two at a time: a latency that grew once tends to grow again.
    const slots = (Math.floor(index / SUB_BUCKET_HALF) + 2) * SUB_BUCKET_HALF;
    const grown = new Uint32Array(slots);
    grown.set(this.#counts);
    this.#counts = grown;
  }
}

/**
 * The nearest-rank position (1-based) of a percentile among `count` values. Multiplying before
 * dividing, and forgiving a last-bit rounding error, keeps 99.9% of 1000 at rank 999, not 1000.
 */
function rankOf(percentile: number, count: number): number {
  const exact = (percentile * count) / 100;
  return Math.max(1, Math.ceil(exact - exact * 1e-12));
}
