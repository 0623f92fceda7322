import { hasSubscribers } from 'node:diagnostics_channel';
import { ChannelNames, diagnosticsChannel, isStrataError } from '@strata/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, HISTOGRAM_RELATIVE_PRECISION, type Monitor } from '../src/index.js';

const publish = (key: keyof typeof ChannelNames, message: unknown): void => diagnosticsChannel(ChannelNames[key]).publish(message);

/** Asserts a reported percentile against the exact one, within the histogram's stated precision. */
function expectPercentile(reported: number | undefined, exact: number): void {
  expect(reported).toBeDefined();
  expect(reported as number).toBeGreaterThanOrEqual(exact);
  expect(reported as number).toBeLessThanOrEqual(exact * (1 + HISTOGRAM_RELATIVE_PRECISION));
}

describe('framework metrics from diagnostics channels', () => {
  let monitor: Monitor | undefined;
  let now = 0;
  const create = (): Monitor => {
    now = 1_700_000_000_000;
    monitor = createMonitor({ logger: false, runtime: false, clock: () => now, intervalMs: 3_600_000 });
    return monitor;
  };
  afterEach(async () => {
    await monitor?.close();
    monitor = undefined;
  });

  it('counts 10,000 appends and reports their latency percentiles within 0.1%', () => {
    const m = create();
    let events = 0;
    for (let i = 1; i <= 10_000; i++) {
      // Latencies 1 µs … 10 ms, one of each: the exact percentiles are known.
      events += 1 + (i % 3);
      publish('append', { store: i % 5 < 3 ? 'lmdb' : 'memory', streamId: `account-${i}`, events: 1 + (i % 3), bytes: 100, durationMs: i / 1000 });
    }
    for (let i = 0; i < 25; i++) publish('append', { store: 'lmdb', streamId: 'a-1', events: 1, durationMs: 0.5, failed: true, code: 'WRONG_EXPECTED_VERSION' });
    now += 2000;
    const { store } = m.sample();

    expect(store.totals).toMatchObject({ appends: 10_000, events, appendErrors: 25 });
    expect(store.appendsPerSec).toBe(5000);
    expect(store.eventsPerSec).toBe(events / 2);
    expect(store.bytesPerSec).toBe(500_000);
    expect(store.appendErrorsPerSec).toBe(12.5);
    const latency = store.appendLatencyMs;
    expect(latency?.count).toBe(10_000);
    expectPercentile(latency?.p50, 5);
    expectPercentile(latency?.p95, 9.5);
    expectPercentile(latency?.p99, 9.9);
    expectPercentile(latency?.p999, 9.99);
    expect(latency?.max).toBe(10);
    expect(latency?.min).toBe(0.001);
    expect(latency?.mean).toBeCloseTo(5.0005, 9);
    expect(store.stores).toEqual([
      expect.objectContaining({ store: 'lmdb', appendsPerSec: 3000 }),
      expect.objectContaining({ store: 'memory', appendsPerSec: 2000 }),
    ]);

    // The next interval saw nothing: rates drop to zero, totals stay.
    now += 1000;
    const idle = m.sample().store;
    expect(idle.appendsPerSec).toBe(0);
    expect(idle.appendLatencyMs).toBeNull();
    expect(idle.totals.appends).toBe(10_000);

    // The /metrics view: counts since start, quantiles over the sliding window.
    const json = m.metrics.toJSON();
    const histogram = json.metrics.find((f) => f.name === 'strata_store_append_duration_seconds');
    const count = histogram?.series.reduce((sum, s) => sum + ('count' in s ? s.count : 0), 0);
    expect(count).toBe(10_000);
    const errors = json.metrics.find((f) => f.name === 'strata_store_append_errors_total');
    expect(errors?.series).toEqual([{ labels: { store: 'lmdb', code: 'WRONG_EXPECTED_VERSION' }, value: 25, rate: 0 }]);
  });

  it('reports commands, reads and subscriptions', () => {
    const m = create();
    for (let i = 1; i <= 1000; i++) {
      const ok = i % 100 !== 0;
      publish('command', { aggregate: i % 2 === 0 ? 'account' : 'transfer', streamId: 's', durationMs: i / 100, events: 2, retries: i % 50 === 0 ? 1 : 0, ok, ...(ok ? {} : { code: 'COMMAND_REJECTED' }) });
    }
    for (let i = 0; i < 40; i++) publish('read', { store: 'lmdb', kind: 'stream', events: 100, durationMs: 0.1 });
    publish('subscription', { store: 'lmdb', events: 500, position: 1234, live: true });
    now += 1000;
    const snapshot = m.sample();
    expect(snapshot.commands.perSec).toBe(1000);
    expect(snapshot.commands.failedPerSec).toBe(10);
    expect(snapshot.commands.retriesPerSec).toBe(20);
    expect(snapshot.commands.eventsPerSec).toBe(2000);
    expect(snapshot.commands.totals).toEqual({ ok: 990, failed: 10, retries: 20 });
    expectPercentile(snapshot.commands.latencyMs?.p99, 9.9);
    const account = snapshot.commands.aggregates.find((a) => a.aggregate === 'account');
    expect(account).toMatchObject({ perSec: 500, failedPerSec: 10 });
    expectPercentile(account?.p99Ms ?? undefined, 9.9);
    expect(snapshot.store.readsPerSec).toBe(40);
    expect(snapshot.store.readEventsPerSec).toBe(4000);
    expect(snapshot.store.subscriptionEventsPerSec).toBe(500);
  });

  it('reports cache tiers, pools and breakers, batches, projections, queries and the processor', () => {
    const m = create();
    publish('cache', { cache: 'accounts', tier: 'l1', event: 'hit', count: 900 });
    publish('cache', { cache: 'accounts', tier: 'l1', event: 'miss', count: 100 });
    for (let i = 0; i < 30; i++) publish('cache', { cache: 'accounts', tier: 'l2', event: 'hit' });
    for (let i = 0; i < 70; i++) publish('cache', { cache: 'accounts', tier: 'l2', event: 'miss' });
    publish('cache', { cache: 'accounts', tier: 'l2', event: 'eviction', count: 5 });
    publish('cache', { cache: 'accounts', tier: 'l2', event: 'load', durationMs: 3 });
    publish('pool', { pool: 'pg', event: 'acquire', total: 10, idle: 4, waiting: 2, acquireMs: 1.5, breaker: 'closed' });
    publish('pool', { pool: 'pg', event: 'timeout', waiting: 3 });
    publish('pool', { pool: 'pg', event: 'breaker', breaker: 'open' });
    for (const size of [10, 20, 30]) publish('batch', { name: 'appends', size, durationMs: 1, pending: 7, targetSize: 32 });
    publish('projection', { projection: 'balances', lagEvents: 42, lagMs: 120, applied: 300, position: 999 });
    for (let i = 0; i < 4; i++) publish('query', { collection: 'accounts', planCacheHit: i < 3, durationMs: 0.02 });
    publish('query', { collection: 'accounts', durationMs: 0.02 });
    publish('processor', { event: 'queue', worker: 1, depth: 12 });
    publish('processor', { event: 'queue', worker: 0, depth: 3 });
    publish('processor', { event: 'utilisation', worker: 0, utilisation: 0.75 });
    publish('processor', { event: 'steal', worker: 0, from: 1, streams: 4 });
    publish('serialization', { format: 'msgpack', operation: 'decode', failed: true, code: 'SERIALIZATION_FAILED' });
    now += 1000;
    const s = m.sample();

    expect(s.cache.tiers).toEqual([
      expect.objectContaining({ cache: 'accounts', tier: 'l1', hitsPerSec: 900, missesPerSec: 100, hitRatio: 0.9 }),
      expect.objectContaining({ cache: 'accounts', tier: 'l2', hitRatio: 0.3, lifetimeHitRatio: 0.3, evictionsPerSec: 5 }),
    ]);
    expect(s.cache.tiers[1]?.loadLatencyMs?.count).toBe(1);
    expect(s.pools).toEqual([
      expect.objectContaining({ pool: 'pg', total: 10, idle: 4, inUse: 6, waiting: 3, acquiresPerSec: 1, timeoutsPerSec: 1, breaker: 'open' }),
    ]);
    expect(s.batches).toEqual([expect.objectContaining({ name: 'appends', batchesPerSec: 3, itemsPerSec: 60, pending: 7, targetSize: 32 })]);
    expect(s.batches[0]?.size?.mean).toBe(20);
    expect(s.projections).toEqual({ maxLagEvents: 42, maxLagMs: 120, projections: [{ projection: 'balances', lagEvents: 42, lagMs: 120, appliedPerSec: 300, position: 999 }] });
    expect(s.queries.perSec).toBe(5);
    expect(s.queries.planCacheHitRatio).toBe(0.75);
    expect(s.processor).toEqual({
      queueDepth: 15,
      stealsPerSec: 1,
      workers: [
        { worker: '0', queueDepth: 3, utilisation: 0.75, stealsPerSec: 1 },
        { worker: '1', queueDepth: 12, utilisation: null, stealsPerSec: 0 },
      ],
    });
    expect(s.serialization).toEqual({ failuresPerSec: 1, failures: 1 });
    const ratio = m.metrics.toJSON().metrics.find((f) => f.name === 'strata_cache_hit_ratio');
    expect(ratio?.series).toEqual([
      { labels: { cache: 'accounts', tier: 'l1' }, value: 0.9 },
      { labels: { cache: 'accounts', tier: 'l2' }, value: 0.3 },
    ]);
  });

  it('tolerates malformed and partial messages without throwing into the publisher', () => {
    const m = create();
    for (const key of Object.keys(ChannelNames) as Array<keyof typeof ChannelNames>) {
      for (const message of [undefined, null, 42, 'text', {}, { durationMs: 'slow', events: -1, store: 7, worker: {}, size: Number.NaN }]) {
        expect(() => publish(key, message)).not.toThrow();
      }
    }
    now += 1000;
    const s = m.sample();
    expect(s.store.totals.appends).toBe(2);
    expect(s.store.stores.map((x) => x.store).sort()).toEqual(['7', 'unknown']);
    expect(s.store.appendLatencyMs).toBeNull();
  });

  it('unsubscribes on close, so publishers are back to one branch', async () => {
    const m = create();
    expect(hasSubscribers(ChannelNames.append)).toBe(true);
    expect(hasSubscribers(ChannelNames.cache)).toBe(true);
    await m.close();
    for (const name of Object.values(ChannelNames)) expect(hasSubscribers(name), name).toBe(false);
    expect(m.closed).toBe(true);
    try {
      m.sample();
      expect.unreachable('sample() after close() must throw');
    } catch (error) {
      expect(isStrataError(error, 'STORE_CLOSED')).toBe(true);
    }
    await m.close();
  });

  it('observes only the channels it is given', () => {
    monitor = createMonitor({ logger: false, runtime: false, channels: ['command'] });
    expect(hasSubscribers(ChannelNames.command)).toBe(true);
    expect(hasSubscribers(ChannelNames.append)).toBe(false);
  });
});
