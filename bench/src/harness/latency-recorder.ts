import { build, type Histogram } from 'hdr-histogram-js';
import type { CaseResult } from './types.js';

/** Latency percentiles in ms, as reported in a {@link CaseResult}. */
export type LatencySummary = NonNullable<CaseResult['latencyMs']>;

/**
 * Values below this many nanoseconds are counted exactly in a flat table before they reach the
 * HDR histogram. Recording into hdr-histogram-js costs about 100 ns (it computes bucket indexes
 * with floating-point logarithms), as much as a fast call being measured; incrementing a table
 * slot costs a few ns, and the table is folded into the histogram after each repetition.
 */
const EXACT_LIMIT_NS = 1 << 16;

/**
 * Collects call latencies in nanoseconds into an HDR histogram (3 significant digits,
 * auto-resizing), with a cheap exact pre-aggregation for sub-65 µs values so that timing every
 * call stays affordable inside a measured loop.
 */
export class LatencyRecorder {
  readonly #exact = new Uint32Array(EXACT_LIMIT_NS);
  #exactCount = 0;
  readonly #histogram: Histogram = build({ numberOfSignificantValueDigits: 3, autoResize: true, lowestDiscernibleValue: 1 });

  /** Records one latency, in nanoseconds (rounded to whole ns; negative values count as 0). */
  record(ns: number): void {
    const value = ns > 0 ? Math.round(ns) : 0;
    if (value < EXACT_LIMIT_NS) {
      this.#exact[value]! += 1;
      this.#exactCount += 1;
    } else {
      this.#histogram.recordValue(value);
    }
  }

  /** Records every value of `samplesNs` (a `measure` case's latencies). */
  recordAll(samplesNs: ArrayLike<number>): void {
    for (let i = 0; i < samplesNs.length; i++) this.record(samplesNs[i] as number);
  }

  /** Number of latencies recorded so far. */
  get count(): number {
    return this.#exactCount + this.#histogram.totalCount;
  }

  /** Forgets everything recorded (used after warm-up). */
  reset(): void {
    this.#exact.fill(0);
    this.#exactCount = 0;
    this.#histogram.reset();
  }

  /** The HDR histogram with every value recorded so far folded in. */
  histogram(): Histogram {
    if (this.#exactCount > 0) {
      const exact = this.#exact;
      for (let value = 0; value < exact.length; value++) {
        const count = exact[value] as number;
        if (count > 0) this.#histogram.recordValueWithCount(value, count);
      }
      exact.fill(0);
      this.#exactCount = 0;
    }
    return this.#histogram;
  }

  /** p50, p99, p99.9, max and mean in ms, or `undefined` when nothing was recorded. */
  summary(): LatencySummary | undefined {
    const histogram = this.histogram();
    if (histogram.totalCount === 0) return undefined;
    // A percentile is reported as the top of its bucket, which can lie above the largest value
    // actually recorded; clamping keeps p99.9 ≤ max.
    const max = histogram.maxValue;
    const at = (percentile: number): number => nsToMs(Math.min(histogram.getValueAtPercentile(percentile), max));
    return {
      p50: at(50),
      p99: at(99),
      p999: at(99.9),
      max: nsToMs(max),
      mean: nsToMs(histogram.mean),
    };
  }
}

function nsToMs(ns: number): number {
  return ns / 1e6;
}
