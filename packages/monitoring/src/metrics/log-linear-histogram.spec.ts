import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HISTOGRAM_RELATIVE_PRECISION, LogLinearHistogram } from './log-linear-histogram.js';

const PERCENTILES = [50, 90, 95, 99, 99.9, 100];

/** Nearest-rank percentile of sorted values: the definition the histogram approximates. */
function exactPercentile(sorted: readonly number[], percentile: number): number {
  const rank = Math.max(1, Math.ceil(Math.round(percentile * sorted.length * 1e6) / 1e8));
  return sorted[rank - 1] as number;
}

function expectWithinPrecision(reported: number, exact: number): void {
  expect(reported).toBeGreaterThanOrEqual(exact);
  expect(reported).toBeLessThanOrEqual(exact * (1 + HISTOGRAM_RELATIVE_PRECISION));
}

describe('LogLinearHistogram', () => {
  it('reports every percentile within three significant digits of the exact value', () => {
    const values = fc.oneof(
      fc.integer({ min: 0, max: 5_000 }),
      fc.integer({ min: 0, max: 50_000_000 }),
      fc.integer({ min: 2 ** 31 - 10, max: 2 ** 33 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    );
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 400 }), (recorded) => {
        const histogram = new LogLinearHistogram();
        for (const value of recorded) histogram.record(value);
        const sorted = [...recorded].sort((a, b) => a - b);
        const reported = histogram.percentiles(PERCENTILES);
        PERCENTILES.forEach((percentile, i) => expectWithinPrecision(reported[i] as number, exactPercentile(sorted, percentile)));
        expect(histogram.count).toBe(recorded.length);
        expect(histogram.max).toBe(sorted[sorted.length - 1]);
        expect(histogram.min).toBe(sorted[0]);
      }),
      { numRuns: 300 },
    );
  });

  it('merges histograms as if every value had been recorded into one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { maxLength: 200 }),
        (left, right) => {
          const a = new LogLinearHistogram();
          const b = new LogLinearHistogram();
          const both = new LogLinearHistogram();
          for (const value of left) {
            a.record(value);
            both.record(value);
          }
          for (const value of right) {
            b.record(value);
            both.record(value);
          }
          a.add(b);
          expect(a.count).toBe(both.count);
          expect(a.sum).toBe(both.sum);
          expect(a.percentiles(PERCENTILES)).toEqual(both.percentiles(PERCENTILES));
        },
      ),
    );
  });

  it('forgets everything on reset and can be reused', () => {
    const histogram = new LogLinearHistogram();
    for (let i = 1; i <= 1000; i++) histogram.record(i * 1000);
    histogram.reset();
    expect(histogram.count).toBe(0);
    expect(histogram.percentiles([50, 99])).toEqual([0, 0]);
    histogram.record(7);
    expect(histogram.percentiles([50, 99])).toEqual([7, 7]);
    expect(histogram.min).toBe(7);
  });

  it('ignores NaN, counts negatives as zero and rounds fractions', () => {
    const histogram = new LogLinearHistogram();
    histogram.record(Number.NaN);
    histogram.record(-5);
    histogram.record(2.6);
    expect(histogram.count).toBe(2);
    expect(histogram.sum).toBe(3);
    expect(histogram.percentiles([50, 100])).toEqual([0, 3]);
  });

  it('stays small for microsecond-to-second latencies in nanoseconds', () => {
    const histogram = new LogLinearHistogram();
    histogram.record(1_000);
    histogram.record(1_000_000_000);
    expect(histogram.footprintBytes).toBeLessThan(128 * 1024);
  });
});
