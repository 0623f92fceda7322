import { describe, expect, it } from 'vitest';
import { deferred, fakeClock, nextTurn } from '../../test/support/helpers.js';
import { createTieredCache } from './create-tiered-cache.js';

describe('TTL (fake clock)', () => {
  it('expires entries after the cache TTL and loads again', async () => {
    const clock = fakeClock();
    let version = 0;
    const cache = createTieredCache<number>({ l1: { maxEntries: 10 }, broadcast: false, clock, ttlMs: 1_000, load: () => ++version });
    expect(await cache.get('k')).toBe(1);
    clock.advance(999);
    expect(await cache.get('k')).toBe(1);
    expect(cache.getSync('k')).toBe(1);
    clock.advance(1);
    expect(cache.getSync('k')).toBeUndefined();
    expect(await cache.get('k')).toBe(2);
    await cache.close();
  });

  it('honours a per-entry TTL from set() and from the loader, and no TTL means no expiry', async () => {
    const clock = fakeClock();
    const cache = createTieredCache<string>({
      l1: { maxEntries: 10 },
      broadcast: false,
      clock,
      ttlMs: 10_000,
      load: (key, context) => {
        if (key === 'short') context.ttlMs = 100;
        return `loaded ${key}`;
      },
    });
    await cache.set('brief', 'b', { ttlMs: 50 });
    await cache.set('default', 'd');
    expect(await cache.get('short')).toBe('loaded short');
    clock.advance(100);
    expect(cache.getSync('brief')).toBeUndefined();
    expect(cache.getSync('short')).toBeUndefined();
    expect(cache.getSync('default')).toBe('d');
    clock.advance(10_000);
    expect(cache.getSync('default')).toBeUndefined();
    await cache.close();

    const forever = createTieredCache<string>({ l1: { maxEntries: 10 }, broadcast: false, clock });
    await forever.set('k', 'v');
    clock.advance(1e12);
    expect(forever.getSync('k')).toBe('v');
    await forever.close();
  });

  it('serves a stale value at once within the stale-while-revalidate window and refreshes it once in the background', async () => {
    const clock = fakeClock();
    const gate = deferred<void>();
    let calls = 0;
    const cache = createTieredCache<string>({
      l1: { maxEntries: 10 },
      broadcast: false,
      clock,
      ttlMs: 1_000,
      staleWhileRevalidateMs: 5_000,
      load: async (_key, context) => {
        calls++;
        if (context.refresh) await gate.promise;
        return `v${calls}`;
      },
    });
    expect(await cache.get('k')).toBe('v1');
    clock.advance(1_500);
    expect(await cache.get('k')).toBe('v1');
    expect(cache.getSync('k')).toBe('v1');
    expect(await cache.get('k')).toBe('v1');
    expect(calls).toBe(2);
    gate.resolve();
    await nextTurn();
    expect(await cache.get('k')).toBe('v2');
    const stats = cache.stats();
    expect(stats.staleHits).toBe(3);
    expect(stats.refreshes).toBe(1);
    await cache.close();
  });

  it('treats an entry past its stale window as a miss that waits for the load', async () => {
    const clock = fakeClock();
    let calls = 0;
    const cache = createTieredCache<number>({
      l1: { maxEntries: 10 },
      broadcast: false,
      clock,
      ttlMs: 100,
      staleWhileRevalidateMs: 100,
      load: () => ++calls,
    });
    await cache.get('k');
    clock.advance(200);
    expect(await cache.get('k')).toBe(2);
    await cache.close();
  });

  it('keeps serving the stale value when a background refresh fails', async () => {
    const clock = fakeClock();
    let calls = 0;
    const cache = createTieredCache<string>({
      l1: { maxEntries: 10 },
      broadcast: false,
      clock,
      ttlMs: 100,
      staleWhileRevalidateMs: 1_000,
      negativeTtlMs: 1_000,
      load: () => {
        calls++;
        if (calls > 1) throw new Error('source down');
        return 'first';
      },
    });
    await cache.get('k');
    clock.advance(150);
    expect(await cache.get('k')).toBe('first');
    await nextTurn();
    expect(await cache.get('k')).toBe('first');
    expect(cache.stats().l3.loadFailures).toBeGreaterThanOrEqual(1);
    await cache.close();
  });

  it('drops the L1 copy after l1.ttlMs even while the entry is fresh', async () => {
    const clock = fakeClock();
    let calls = 0;
    const cache = createTieredCache<number>({
      l1: { maxEntries: 10, ttlMs: 100 },
      broadcast: false,
      clock,
      ttlMs: 10_000,
      load: () => ++calls,
    });
    expect(await cache.get('k')).toBe(1);
    clock.advance(100);
    expect(cache.peekL1('k')).toBeUndefined();
    expect(await cache.get('k')).toBe(2);
    await cache.close();
  });
});

describe('negative caching', () => {
  it('remembers a failure for negativeTtlMs when asked, then loads again', async () => {
    const clock = fakeClock();
    const boom = new Error('not reachable');
    let calls = 0;
    const cache = createTieredCache<string>({
      l1: { maxEntries: 10 },
      broadcast: false,
      clock,
      negativeTtlMs: 500,
      load: () => {
        calls++;
        if (calls === 1) throw boom;
        return 'ok';
      },
    });
    await expect(cache.get('k')).rejects.toBe(boom);
    await expect(cache.get('k')).rejects.toBe(boom);
    expect(() => cache.getSync('k')).toThrow(boom);
    expect(calls).toBe(1);
    clock.advance(500);
    expect(await cache.get('k')).toBe('ok');
    expect(cache.stats().negativeHits).toBe(2);
    await cache.close();
  });

  it('remembers "no such value" for negativeTtlMs', async () => {
    const clock = fakeClock();
    let calls = 0;
    const cache = createTieredCache<string>({
      l1: { maxEntries: 10 },
      broadcast: false,
      clock,
      negativeTtlMs: 500,
      load: () => {
        calls++;
        return calls === 1 ? undefined : 'appeared';
      },
    });
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.get('k')).toBeUndefined();
    expect(calls).toBe(1);
    clock.advance(500);
    expect(await cache.get('k')).toBe('appeared');
    await cache.close();
  });

  it('a set() replaces a remembered failure', async () => {
    const cache = createTieredCache<string>({
      l1: { maxEntries: 10 },
      broadcast: false,
      negativeTtlMs: 60_000,
      load: () => {
        throw new Error('down');
      },
    });
    await expect(cache.get('k')).rejects.toThrow('down');
    await cache.set('k', 'fixed');
    expect(await cache.get('k')).toBe('fixed');
    await cache.close();
  });
});
