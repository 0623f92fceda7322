import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../src/harness/latency-recorder.js';

/** HDR histograms with 3 significant digits are exact to within 0.1%. */
const closeTo = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(0.001);
};

describe('LatencyRecorder', () => {
  it('reports percentiles of a uniform distribution in ms', () => {
    const recorder = new LatencyRecorder();
    // 1 µs … 10 ms in 1 µs steps: both the exact table and the histogram take part.
    for (let us = 1; us <= 10_000; us++) recorder.record(us * 1000);
    const summary = recorder.summary();
    expect(summary).toBeDefined();
    closeTo(summary!.p50, 5);
    closeTo(summary!.p99, 9.9);
    closeTo(summary!.p999, 9.99);
    closeTo(summary!.max, 10);
    closeTo(summary!.mean, 5.0005);
    expect(recorder.count).toBe(10_000);
  });

  it('keeps sub-65 µs values exact', () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 990; i++) recorder.record(120);
    for (let i = 0; i < 10; i++) recorder.record(50_000);
    const summary = recorder.summary()!;
    expect(summary.p50).toBe(0.00012);
    closeTo(summary.p99, 0.00012);
    closeTo(summary.p999, 0.05);
    closeTo(summary.max, 0.05);
  });

  it('never reports a percentile above the largest recorded value', () => {
    const recorder = new LatencyRecorder();
    // Its histogram bucket reaches up to 1,252,351 ns.
    recorder.record(1_251_701);
    const summary = recorder.summary()!;
    expect(summary.max).toBe(1.251701);
    expect([summary.p50, summary.p99, summary.p999]).toEqual([1.251701, 1.251701, 1.251701]);
  });

  it('merges values recorded before and after a summary', () => {
    const recorder = new LatencyRecorder();
    recorder.recordAll([1000, 2000]);
    recorder.summary();
    recorder.recordAll(new Float64Array([3000, 4000, 5000]));
    expect(recorder.count).toBe(5);
    closeTo(recorder.summary()!.p50, 0.003);
  });

  it('rounds fractions and treats negative values as zero', () => {
    const recorder = new LatencyRecorder();
    recorder.record(-5);
    recorder.record(0.4);
    recorder.record(999.6);
    const histogram = recorder.histogram();
    expect(histogram.totalCount).toBe(3);
    expect(histogram.minNonZeroValue).toBe(1000);
  });

  it('forgets everything on reset and has no summary when empty', () => {
    const recorder = new LatencyRecorder();
    expect(recorder.summary()).toBeUndefined();
    recorder.record(1000);
    recorder.record(1_000_000);
    recorder.reset();
    expect(recorder.count).toBe(0);
    expect(recorder.summary()).toBeUndefined();
  });
});
