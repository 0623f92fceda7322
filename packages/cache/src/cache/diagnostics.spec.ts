import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ChannelNames } from '@strata/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheMessage } from '../diagnostics/cache-message.js';
import { createTieredCache } from './create-tiered-cache.js';

const received: CacheMessage[] = [];
const listener = (message: unknown): void => {
  received.push(message as CacheMessage);
};

afterEach(() => {
  unsubscribe(ChannelNames.cache, listener);
  received.length = 0;
});

describe('diagnostics', () => {
  it('publishes hits, misses, loads, evictions and invalidations per tier on strata:cache', async () => {
    subscribe(ChannelNames.cache, listener);
    const cache = createTieredCache<number>({ name: 'diag', l1: { maxEntries: 1 }, broadcast: false, load: () => 7 });
    await cache.get('a');
    await cache.get('a');
    await cache.get('b');
    await cache.invalidate('b');
    const events = received.filter((m) => m.cache === 'diag').map((m) => `${m.tier}:${m.event}`);
    expect(events).toEqual([
      'l1:miss',
      'l3:load',
      'l3:hit',
      'l1:hit',
      'l1:miss',
      'l3:load',
      'l3:hit',
      'l1:eviction',
      'l1:invalidate',
    ]);
    const load = received.find((m) => m.event === 'load');
    expect(typeof load?.durationMs).toBe('number');
    await cache.close();
  });

  it('publishes nothing when nobody subscribes, and counts all the same', async () => {
    const cache = createTieredCache<number>({ name: 'quiet', l1: { maxEntries: 10 }, broadcast: false, load: () => 1 });
    await cache.get('a');
    await cache.get('a');
    expect(received).toEqual([]);
    expect(cache.stats().l1).toMatchObject({ hits: 1, misses: 1, hitRatio: 0.5 });
    await cache.close();
  });
});
