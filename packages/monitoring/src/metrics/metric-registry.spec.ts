import { isStrataError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { MetricRegistry } from './metric-registry.js';
import { OVERFLOW_LABEL_VALUE } from './metric-family.js';

function codeAndArgument(fn: () => unknown): [string, unknown] {
  try {
    fn();
  } catch (error) {
    if (isStrataError(error)) return [error.code, error.details['argument']];
    throw error;
  }
  throw new Error('expected a Strata error');
}

describe('MetricRegistry', () => {
  it('computes counter rates per interval and keeps totals', () => {
    const registry = new MetricRegistry();
    const requests = registry.counter({ name: 'app_requests_total', help: 'Requests.', labelNames: ['route'] });
    requests.labels('/a').inc(30);
    requests.labels('/b').inc(10);
    registry.tick(2000, 2000);
    expect(requests.labels('/a').rate).toBe(15);
    expect(requests.totalRate()).toBe(20);
    requests.labels('/a').inc(5);
    registry.tick(1000, 3000);
    expect(requests.labels('/a').rate).toBe(5);
    expect(requests.labels('/b').rate).toBe(0);
    expect(requests.totalValue()).toBe(45);
  });

  it('ignores negative counter increments and non-finite gauge values', () => {
    const registry = new MetricRegistry();
    const counter = registry.counter({ name: 'c_total', help: 'c' });
    counter.inc(-3);
    counter.inc(Number.NaN);
    counter.inc(2);
    const gauge = registry.gauge({ name: 'g', help: 'g' });
    gauge.set(4);
    gauge.set(Number.POSITIVE_INFINITY);
    expect(counter.totalValue()).toBe(2);
    expect(gauge.totalValue()).toBe(4);
  });

  it('calls gauge collect callbacks at each tick and scrape', () => {
    const registry = new MetricRegistry();
    let depth = 3;
    registry.gauge({ name: 'queue_depth', help: 'Queued.', collect: (g) => g.set(depth) });
    expect(registry.toPrometheus()).toContain('queue_depth 3');
    depth = 9;
    registry.tick(1000, 1000);
    expect(registry.toJSON(0).metrics[0]?.series).toEqual([{ labels: {}, value: 9 }]);
  });

  it('keeps histogram intervals, totals and a sliding window apart', () => {
    const registry = new MetricRegistry({ quantileWindowMs: 10_000 });
    const latency = registry.histogram({ name: 'op_duration_seconds', help: 'Op latency.' });
    for (let i = 1; i <= 100; i++) latency.observe(i);
    registry.tick(1000, 1000);
    expect(latency.last?.count).toBe(100);
    expect(latency.rate).toBe(100);
    latency.observe(500);
    registry.tick(1000, 2000);
    expect(latency.last?.count).toBe(1);
    expect(latency.last?.max).toBe(500);
    const series = latency.labels();
    expect(series.count).toBe(101);
    expect(latency.windowStats(series)?.count).toBe(101);
    // Two half-window rotations later the first observations have left the window.
    registry.tick(5000, 7000);
    registry.tick(5000, 12_000);
    expect(latency.windowStats(series)).toBeNull();
    expect(series.count).toBe(101);
  });

  it('folds label values past the series limit into one overflow series', () => {
    const registry = new MetricRegistry({ maxSeriesPerMetric: 3 });
    const streams = registry.counter({ name: 'by_stream_total', help: 'Deliberately unbounded.', labelNames: ['stream'] });
    for (let i = 0; i < 10; i++) streams.labels(`s-${i}`).inc();
    expect(streams.series().map((s) => s.labelValues[0])).toEqual(['s-0', 's-1', 's-2', OVERFLOW_LABEL_VALUE]);
    expect(streams.labels(OVERFLOW_LABEL_VALUE).value).toBe(7);
  });

  it('finds series by several labels without mixing them up', () => {
    const registry = new MetricRegistry();
    const c = registry.counter({ name: 'x_total', help: 'x', labelNames: ['a', 'b'] });
    c.labels('1', '2').inc();
    c.labels('12', '').inc(2);
    c.labels('1', '2').inc(3);
    expect(c.series().map((s) => [s.labelValues, s.series.value])).toEqual([
      [['1', '2'], 4],
      [['12', ''], 2],
    ]);
  });

  it('returns the existing family for the same name and shape, and rejects conflicts', () => {
    const registry = new MetricRegistry();
    const first = registry.counter({ name: 'dup_total', help: 'd', labelNames: ['a'] });
    expect(registry.counter({ name: 'dup_total', help: 'd', labelNames: ['a'] })).toBe(first);
    expect(codeAndArgument(() => registry.gauge({ name: 'dup_total', help: 'd', labelNames: ['a'] }))).toEqual(['INVALID_ARGUMENT', 'name']);
    expect(codeAndArgument(() => registry.counter({ name: 'dup_total', help: 'd', labelNames: ['b'] }))).toEqual(['INVALID_ARGUMENT', 'name']);
  });

  it('validates names, labels and units', () => {
    const registry = new MetricRegistry();
    expect(codeAndArgument(() => registry.counter({ name: '9lives', help: 'x' }))).toEqual(['INVALID_ARGUMENT', 'name']);
    expect(codeAndArgument(() => registry.counter({ name: 'ok_total', help: '' }))).toEqual(['INVALID_ARGUMENT', 'help']);
    expect(codeAndArgument(() => registry.counter({ name: 'l_total', help: 'x', labelNames: ['__reserved'] }))).toEqual(['INVALID_ARGUMENT', 'labelNames']);
    expect(codeAndArgument(() => registry.histogram({ name: 'q_seconds', help: 'x', labelNames: ['quantile'] }))).toEqual(['INVALID_ARGUMENT', 'labelNames']);
    expect(codeAndArgument(() => registry.histogram({ name: 'latency_ms', help: 'x' }))).toEqual(['INVALID_ARGUMENT', 'name']);
    const labelled = registry.counter({ name: 'lab_total', help: 'x', labelNames: ['a'] });
    expect(codeAndArgument(() => labelled.labels())).toEqual(['INVALID_ARGUMENT', 'labels']);
    expect(codeAndArgument(() => labelled.inc())).toEqual(['INVALID_ARGUMENT', 'labels']);
  });
});
