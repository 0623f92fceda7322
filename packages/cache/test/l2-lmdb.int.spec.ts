import { createSerializer } from '@strata/serialization';
import { afterEach, describe, expect, it } from 'vitest';
import { createTieredCache, type TieredCache, type TieredCacheOptions } from '../src/index.js';
import { deferred, eventually, fakeClock, nextSnapshot, nextTurn, tempDir } from './support/helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function l2Path(): string {
  const dir = tempDir('l2');
  cleanups.push(dir.remove);
  return dir.path;
}

/** A cache on `path`; broadcast off, so only L2 itself connects the instances. */
function open<V>(path: string, options: Partial<TieredCacheOptions<V>> = {}): TieredCache<V> {
  const cache = createTieredCache<V>({
    l1: { maxEntries: 1_000 },
    broadcast: false,
    ...options,
    l2: { path, pollIntervalMs: 10, ...options.l2 },
  });
  cleanups.push(() => cache.close().catch(() => undefined));
  return cache;
}

describe('L2 on LMDB', () => {
  it('shares values between instances: a value set or loaded by one is an L2 hit in the other', async () => {
    const path = l2Path();
    let loads = 0;
    const first = open<{ n: number }>(path, { load: () => ({ n: ++loads }) });
    const second = open<{ n: number }>(path, {
      load: () => {
        throw new Error('must not load: L2 has it');
      },
    });
    await first.set('set', { n: 100 });
    expect(await first.get('loaded')).toEqual({ n: 1 });
    await nextSnapshot();
    expect(await second.get('set')).toEqual({ n: 100 });
    expect(second.getSync('loaded')).toEqual({ n: 1 });
    expect(second.stats().l2).toMatchObject({ hits: 2, misses: 0 });
    expect(second.stats().l1.entries).toBe(2);
  });

  it('reads values without copying: the encoded view decodes to the value and is valid until the next read', async () => {
    const path = l2Path();
    const cache = open<{ name: string }>(path);
    await cache.set('a', { name: 'alpha' });
    await cache.set('b', { name: 'beta' });
    const serializer = createSerializer({ format: 'msgpack' });
    const view = cache.peekL2EncodedFast('a');
    expect(view).toBeDefined();
    const kept = (view as Uint8Array).slice();
    expect(serializer.decodeValue(view as Uint8Array)).toEqual({ name: 'alpha' });
    cache.peekL2EncodedFast('b');
    expect(serializer.decodeValue(kept)).toEqual({ name: 'alpha' });
    expect(cache.peekL2('a')).toEqual({ name: 'alpha' });
    expect(cache.peekL2EncodedFast('missing')).toBeUndefined();
  });

  it('refuses to store a load that started before another instance invalidated and rewrote the key', async () => {
    const path = l2Path();
    const gate = deferred<string>();
    const slow = open<string>(path, { load: () => gate.promise });
    const other = open<string>(path);
    const loading = slow.get('k');
    await nextTurn();
    await other.invalidate('k');
    await other.set('k', 'new');
    gate.resolve('old');
    expect(await loading).toBe('old');
    await nextSnapshot();
    expect(other.peekL2('k')).toBe('new');
    expect(slow.peekL1('k')).toBeUndefined();
    expect(slow.getSync('k')).toBe('new');
    expect(slow.stats().discardedLoads).toBe(1);
  });

  it('refuses to store a load whose key another instance invalidated by prefix or by tag while it ran', async () => {
    const path = l2Path();
    const gates = [deferred<string>(), deferred<string>()];
    let call = 0;
    const slow = open<string>(path, {
      load: (_key, context) => {
        context.tags = ['tagged'];
        return (gates[call++] as ReturnType<typeof deferred<string>>).promise;
      },
    });
    const other = open<string>(path);
    const byPrefix = slow.get('p:1');
    const byTag = slow.get('other');
    await nextTurn();
    await other.invalidatePrefix('p:');
    await other.invalidateTag('tagged');
    gates[0]?.resolve('stale 1');
    gates[1]?.resolve('stale 2');
    await Promise.all([byPrefix, byTag]);
    expect(other.peekL2('p:1')).toBeUndefined();
    expect(other.peekL2('other')).toBeUndefined();
  });

  it('drops L1 copies that another process-like instance changed, by polling the change log', async () => {
    const path = l2Path();
    const reader = open<string>(path);
    const writer = open<string>(path);
    await writer.set('k', 'v1');
    await nextSnapshot();
    expect(reader.getSync('k')).toBe('v1');
    await writer.set('k', 'v2');
    await eventually(() => reader.peekL1('k') === undefined);
    expect(reader.getSync('k')).toBe('v2');
    await writer.invalidatePrefix('');
    await eventually(() => reader.peekL1('k') === undefined);
    expect(reader.getSync('k')).toBeUndefined();
  });

  it('drops every L1 entry when the change log was pruned before it could be read', async () => {
    const path = l2Path();
    const writer = open<number>(path, { l2: { path, logRetention: 4 } });
    const reader = open<number>(path, { l2: { path, pollIntervalMs: 10, logRetention: 4 } });
    await reader.set('own', 1);
    // No timer runs during this loop, so the reader polls only after the log moved past its position.
    for (let i = 0; i < 20; i++) await writer.set(`k${i}`, i);
    await eventually(() => reader.peekL1('own') === undefined);
    expect(reader.getSync('own')).toBe(1);
  });

  it('evicts the oldest-written entries to stay within l2.maxBytes', async () => {
    const path = l2Path();
    const cache = open<string>(path, { l1: { maxEntries: 10 }, maxValueBytes: 4_096, l2: { path, maxBytes: 64 * 1024 } });
    const value = 'x'.repeat(1_000);
    for (let i = 0; i < 200; i++) await cache.set(`k${i}`, value);
    const stats = cache.stats();
    expect(stats.l2?.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(stats.l2?.evictions).toBeGreaterThan(100);
    expect(cache.peekL2('k199')).toBe(value);
    expect(cache.peekL2('k0')).toBeUndefined();
  });

  it('expires entries by their TTL and drops L2 copies after l2.ttlMs (fake clock)', async () => {
    const path = l2Path();
    const clock = fakeClock();
    const cache = open<string>(path, { clock, ttlMs: 10_000, l1: { maxEntries: 10, ttlMs: 1 }, l2: { path, ttlMs: 1_000 } });
    await cache.set('short', 'v', { ttlMs: 500 });
    await cache.set('long', 'v');
    clock.advance(500);
    expect(cache.peekL2('short')).toBeUndefined();
    expect(cache.getSync('short')).toBeUndefined();
    expect(cache.getSync('long')).toBe('v');
    clock.advance(500);
    expect(cache.peekL2('long')).toBeUndefined();
    expect(cache.getSync('long')).toBeUndefined();
  });

  it('serves a stale L2 value while refreshing it', async () => {
    const path = l2Path();
    const clock = fakeClock();
    let loads = 0;
    const writer = open<number>(path, { clock, ttlMs: 100, staleWhileRevalidateMs: 1_000, load: () => ++loads });
    const reader = open<number>(path, { clock, ttlMs: 100, staleWhileRevalidateMs: 1_000, load: () => ++loads + 100 });
    expect(await writer.get('k')).toBe(1);
    await nextSnapshot();
    clock.advance(200);
    expect(await reader.get('k')).toBe(1);
    await eventually(() => reader.peekL2('k') === 102);
  });
});
