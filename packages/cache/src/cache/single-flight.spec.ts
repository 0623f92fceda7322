import { describe, expect, it } from 'vitest';
import { deferred, nextTurn } from '../../test/support/helpers.js';
import { createTieredCache } from './create-tiered-cache.js';

describe('single flight', () => {
  it('calls load once for 1,000 concurrent misses of one key, and every caller gets its value', async () => {
    const gate = deferred<void>();
    let calls = 0;
    const cache = createTieredCache<{ id: string }>({
      l1: { maxEntries: 100 },
      broadcast: false,
      load: async (key) => {
        calls++;
        await gate.promise;
        return { id: key };
      },
    });
    const waiting = Array.from({ length: 1_000 }, () => cache.get('user-1'));
    await nextTurn();
    gate.resolve();
    const values = await Promise.all(waiting);
    expect(calls).toBe(1);
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toEqual({ id: 'user-1' });
    expect(cache.stats().l3.loads).toBe(1);
    expect(await cache.get('user-1')).toBe(values[0]);
    expect(calls).toBe(1);
    await cache.close();
  });

  it('loads different keys independently', async () => {
    const seen: string[] = [];
    const cache = createTieredCache<string>({
      l1: { maxEntries: 100 },
      broadcast: false,
      load: (key) => {
        seen.push(key);
        return key.toUpperCase();
      },
    });
    const values = await Promise.all(['a', 'b', 'a', 'c', 'b'].map((key) => cache.get(key)));
    expect(values).toEqual(['A', 'B', 'A', 'C', 'B']);
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
    await cache.close();
  });

  it('fails only the callers of a failing load, caches nothing, and loads again on the next miss', async () => {
    const gate = deferred<void>();
    let calls = 0;
    const boom = new Error('source down');
    const cache = createTieredCache<string>({
      l1: { maxEntries: 100 },
      broadcast: false,
      load: async (key) => {
        calls++;
        if (key === 'bad' && calls === 1) {
          await gate.promise;
          throw boom;
        }
        return `value of ${key}`;
      },
    });
    const failing = Array.from({ length: 10 }, () => cache.get('bad'));
    const fine = cache.get('good');
    gate.resolve();
    const outcomes = await Promise.allSettled(failing);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason === boom)).toBe(true);
    expect(await fine).toBe('value of good');
    expect(cache.peekL1('bad')).toBeUndefined();
    expect(await cache.get('bad')).toBe('value of bad');
    expect(calls).toBe(3);
    expect(cache.stats().l3.loadFailures).toBe(1);
    await cache.close();
  });

  it('returns undefined for a miss without a loader, and for a loader that finds nothing', async () => {
    const bare = createTieredCache<string>({ l1: { maxEntries: 10 }, broadcast: false });
    expect(await bare.get('nothing')).toBeUndefined();
    await bare.close();
    let calls = 0;
    const empty = createTieredCache<string>({
      l1: { maxEntries: 10 },
      broadcast: false,
      load: () => {
        calls++;
        return undefined;
      },
    });
    expect(await empty.get('nothing')).toBeUndefined();
    expect(await empty.get('nothing')).toBeUndefined();
    expect(calls).toBe(2);
    await empty.close();
  });
});
