import { describe, expect, it } from 'vitest';
import type { MonitorSnapshot } from '../snapshot/monitor-snapshot.js';
import { parseTopArgs } from './parse-top-args.js';
import { renderTop, visibleLength } from './render-top.js';

const latency = { count: 10, sum: 20, mean: 2, min: 1, max: 9, p50: 1.5, p95: 4, p99: 8, p999: 9 };

const snapshot: MonitorSnapshot = {
  version: 1,
  title: 'Bank',
  time: Date.UTC(2025, 0, 2, 3, 4, 5),
  intervalMs: 1000,
  uptimeMs: 185_000,
  process: { pid: 42, hostname: 'box', node: 'v20.0.0' },
  runtime: {
    eventLoopDelayMs: { p50: 0.1, p99: 1.2, max: 3, mean: 0.2 },
    eventLoopUtilisation: 0.25,
    cpuPercent: 31,
    rssBytes: 120 * 1024 ** 2,
    heapUsedBytes: 40 * 1024 ** 2,
    heapTotalBytes: 64 * 1024 ** 2,
    externalBytes: 0,
    gc: { count: 3, pauseMs: 4.5, maxPauseMs: 2 },
    activeResources: 7,
    activeResourcesByType: {},
  },
  store: {
    appendsPerSec: 1200,
    eventsPerSec: 12_345,
    bytesPerSec: 0,
    appendErrorsPerSec: 0,
    appendLatencyMs: latency,
    readsPerSec: 10,
    readEventsPerSec: 1000,
    readLatencyMs: null,
    subscriptionEventsPerSec: 0,
    totals: { appends: 1, events: 1, appendErrors: 0, reads: 0, readEvents: 0, subscriptionEvents: 0 },
    stores: [],
  },
  commands: { perSec: 800, failedPerSec: 2, retriesPerSec: 1, eventsPerSec: 800, latencyMs: latency, totals: { ok: 1, failed: 0, retries: 0 }, aggregates: [] },
  processor: { queueDepth: 5, stealsPerSec: 1, workers: [{ worker: '0', queueDepth: 5, utilisation: 0.5, stealsPerSec: 1 }] },
  cache: { tiers: [{ cache: 'accounts', tier: 'l1', hitsPerSec: 900, missesPerSec: 100, hitRatio: 0.9, lifetimeHitRatio: 0.9, evictionsPerSec: 0, loadLatencyMs: null }] },
  pools: [{ pool: 'pg', total: 10, idle: 2, inUse: 8, waiting: 3, acquiresPerSec: 50, timeoutsPerSec: 0, errorsPerSec: 0, acquireLatencyMs: latency, breaker: 'open' }],
  batches: [],
  projections: { maxLagEvents: 0, maxLagMs: 0, projections: [] },
  queries: { perSec: 0, planCacheHitRatio: null, latencyMs: null, collections: [] },
  serialization: { failuresPerSec: 0, failures: 0 },
  alerts: [
    { id: 'a', name: 'slow commands', severity: 'critical', state: 'firing', labels: {}, summary: 'p99 above 20 ms', condition: '', value: 34.5, threshold: 20, unit: 'ms', since: 0, firedAt: Date.UTC(2025, 0, 2, 3, 3, 5), resolvedAt: null, source: 'rule' },
  ],
  resolvedAlerts: [],
  profiling: { endpoint: false, busy: null },
};

describe('renderTop', () => {
  it('renders throughput, latency, runtime, tables with data and alerts as plain text', () => {
    const text = renderTop(snapshot, { color: false, width: 120, eventsPerSecHistory: [1, 5, 10] });
    expect(text).toContain('Bank · Strata monitor');
    expect(text).toContain('up 3m 05s');
    expect(text).toMatch(/ CRITICAL {2}slow commands p99 above 20 ms 34.5ms \(firing 1m 00s\)/);
    expect(text).toMatch(/events\s+12.3k\s+▁▄█/);
    expect(text).toMatch(/command\s+10\s+1.5ms\s+4ms\s+8ms\s+9ms\s+9ms/);
    expect(text).toContain('cpu 31%');
    expect(text).toMatch(/accounts · l1\s+90%/);
    expect(text).toMatch(/pg\s+8\/10\s+2\s+3\s+8ms\s+open/);
    expect(text).not.toContain('PROJECTIONS');
    expect(text).not.toContain('\x1b[');
  });

  it('colours with ANSI and keeps every line within the width', () => {
    const text = renderTop(snapshot, { color: true, width: 50 });
    expect(text).toContain('\x1b[1;41;97m CRITICAL \x1b[0m');
    for (const line of text.split('\n')) expect(visibleLength(line)).toBeLessThanOrEqual(50);
  });
});

describe('parseTopArgs', () => {
  it('reads the URL and flags', () => {
    expect(parseTopArgs([])).toEqual({ help: false, url: 'http://127.0.0.1:9464', once: false, color: undefined });
    expect(parseTopArgs(['http://app:3000/monitor', '--once', '--no-color'])).toEqual({ help: false, url: 'http://app:3000/monitor', once: true, color: false });
    expect(parseTopArgs(['--help'])).toEqual({ help: true });
    expect(() => parseTopArgs(['--colour'])).toThrow('unknown option --colour');
    expect(() => parseTopArgs(['a', 'b'])).toThrow('unexpected argument b');
  });
});
