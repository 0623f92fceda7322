import { describe, expect, it } from 'vitest';
import { deferred, nextTurn } from '../../test/support/helpers.js';
import { createTieredCache } from './create-tiered-cache.js';

/** A cache whose loads wait for the test: each load takes the next gate and returns what it is given. */
function gatedCache(tags?: (key: string) => string[]) {
  const gates: Array<ReturnType<typeof deferred<string>>> = [];
  let calls = 0;
  const cache = createTieredCache<string>({
    l1: { maxEntries: 100 },
    broadcast: false,
    load: (key, context) => {
      calls++;
      if (tags !== undefined) context.tags = tags(key);
      const gate = deferred<string>();
      gates.push(gate);
      return gate.promise;
    },
  });
  return { cache, gates, calls: () => calls };
}

describe('invalidation', () => {
  it('removes by key, by prefix and by tag', async () => {
    const cache = createTieredCache<number>({ l1: { maxEntries: 100 }, broadcast: false });
    await cache.set('user:1', 1, { tags: ['users'] });
    await cache.set('user:2', 2, { tags: ['users', 'vip'] });
    await cache.set('order:1', 3, { tags: ['orders'] });
    await cache.set('order:2', 4);
    await cache.invalidate('order:2');
    expect(cache.getSync('order:2')).toBeUndefined();
    await cache.invalidateTag('vip');
    expect(cache.getSync('user:2')).toBeUndefined();
    expect(cache.getSync('user:1')).toBe(1);
    await cache.invalidatePrefix('user:');
    expect(cache.getSync('user:1')).toBeUndefined();
    expect(cache.getSync('order:1')).toBe(3);
    await cache.invalidatePrefix('');
    expect(cache.getSync('order:1')).toBeUndefined();
    expect(cache.stats().invalidations).toBe(4);
    await cache.close();
  });

  it('never caches a value whose load started before an invalidation of its key', async () => {
    const { cache, gates, calls } = gatedCache();
    const before = cache.get('k');
    await nextTurn();
    await cache.invalidate('k');
    const after = cache.get('k');
    await nextTurn();
    expect(calls()).toBe(2);
    gates[1]?.resolve('new');
    expect(await after).toBe('new');
    gates[0]?.resolve('old');
    // The caller that asked before the invalidation gets what its load returned ...
    expect(await before).toBe('old');
    // ... but the cache keeps the value loaded after it.
    expect(cache.getSync('k')).toBe('new');
    expect(await cache.get('k')).toBe('new');
    expect(cache.stats().discardedLoads).toBe(1);
    await cache.close();
  });

  it('never lets a load that started before a set() overwrite it', async () => {
    const { cache, gates } = gatedCache();
    const loading = cache.get('k');
    await nextTurn();
    await cache.set('k', 'written');
    gates[0]?.resolve('loaded earlier');
    await loading;
    expect(cache.getSync('k')).toBe('written');
    await cache.close();
  });

  it('discards loads in flight under an invalidated prefix, and keeps the others', async () => {
    const { cache, gates } = gatedCache();
    const a = cache.get('p:a');
    const b = cache.get('q:b');
    await nextTurn();
    await cache.invalidatePrefix('p:');
    gates[0]?.resolve('a');
    gates[1]?.resolve('b');
    await Promise.all([a, b]);
    expect(cache.getSync('p:a')).toBeUndefined();
    expect(cache.getSync('q:b')).toBe('b');
    await cache.close();
  });

  it('discards a load in flight when a tag it turns out to carry is invalidated', async () => {
    const { cache, gates } = gatedCache(() => ['t']);
    const loading = cache.get('k');
    await nextTurn();
    await cache.invalidateTag('t');
    gates[0]?.resolve('tagged');
    expect(await loading).toBe('tagged');
    expect(cache.getSync('k')).toBeUndefined();
    await cache.close();
  });

  it('removes loaded values by the tags their loader gave them', async () => {
    const cache = createTieredCache<string>({
      l1: { maxEntries: 100 },
      broadcast: false,
      load: (key, context) => {
        context.tags = [`owner:${key.split('/')[0] ?? ''}`];
        return key;
      },
    });
    await cache.get('alice/1');
    await cache.get('bob/1');
    await cache.invalidateTag('owner:alice');
    expect(cache.peekL1('alice/1')).toBeUndefined();
    expect(cache.peekL1('bob/1')).toBe('bob/1');
    await cache.close();
  });
});
