import { describe, expect, it } from 'vitest';
import { codeOf, thrownBy } from '../../test/support/helpers.js';
import { createL1Store } from './create-l1-store.js';
import type { L1Policy } from './l1-store.js';

type Box = { n: number };
const policies: L1Policy[] = ['lru', 'w-tinylfu'];

describe.each(policies)('L1 store (%s)', (policy) => {
  it('stores, reads, overwrites and deletes', () => {
    const store = createL1Store<Box>({ policy, maxEntries: 10 });
    store.set('a', { n: 1 }, 10);
    store.set('a', { n: 2 }, 12);
    expect(store.get('a')).toEqual({ n: 2 });
    expect(store.peek('a')).toEqual({ n: 2 });
    expect(store.size).toBe(1);
    expect(store.bytes).toBe(12);
    expect(store.delete('a')).toBe(true);
    expect(store.delete('a')).toBe(false);
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('never holds more than maxEntries, and reports each eviction', () => {
    const evicted: string[] = [];
    const store = createL1Store<Box>({ policy, maxEntries: 50, onEvict: (key) => evicted.push(key) });
    for (let i = 0; i < 500; i++) {
      store.set(`k${i}`, { n: i }, 1);
      expect(store.size).toBeLessThanOrEqual(50);
    }
    expect(store.size).toBe(50);
    expect(evicted).toHaveLength(450);
    const held = new Set(store.keys());
    for (const key of evicted) expect(held.has(key)).toBe(false);
  });

  it('never holds more than maxBytes', () => {
    const store = createL1Store<Box>({ policy, maxEntries: 1_000, maxBytes: 1_000 });
    for (let i = 0; i < 200; i++) {
      store.set(`k${i}`, { n: i }, 30 + (i % 7));
      expect(store.bytes).toBeLessThanOrEqual(1_000);
    }
    expect(store.size).toBeGreaterThan(20);
  });

  it('clears without reporting evictions', () => {
    let evictions = 0;
    const store = createL1Store<Box>({ policy, maxEntries: 10, onEvict: () => evictions++ });
    store.set('a', { n: 1 }, 1);
    store.clear();
    expect(store.size).toBe(0);
    expect([...store.keys()]).toEqual([]);
    expect(evictions).toBe(0);
  });
});

describe('W-TinyLFU admission', () => {
  it('keeps frequently used keys through a scan that LRU lets flush them', () => {
    const hot = Array.from({ length: 80 }, (_, i) => `hot-${i}`);
    const run = (policy: L1Policy): number => {
      const store = createL1Store<Box>({ policy, maxEntries: 100 });
      const touch = (key: string): void => {
        if (store.get(key) === undefined) store.set(key, { n: 0 }, 1);
      };
      for (let round = 0; round < 5; round++) for (const key of hot) touch(key);
      for (let i = 0; i < 1_000; i++) touch(`scan-${i}`);
      return hot.filter((key) => store.peek(key) !== undefined).length;
    };
    expect(run('lru')).toBe(0);
    expect(run('w-tinylfu')).toBeGreaterThanOrEqual(75);
  });

  it('has a higher hit ratio than LRU on a loop larger than the cache', () => {
    const ratio = (policy: L1Policy): number => {
      const store = createL1Store<Box>({ policy, maxEntries: 100 });
      let hits = 0;
      let requests = 0;
      for (let loop = 0; loop < 20; loop++) {
        for (let i = 0; i < 150; i++) {
          const key = `loop-${i}`;
          requests++;
          if (store.get(key) !== undefined) hits++;
          else store.set(key, { n: i }, 1);
        }
      }
      return hits / requests;
    };
    expect(ratio('lru')).toBe(0);
    expect(ratio('w-tinylfu')).toBeGreaterThan(0.4);
  });
});

describe('createL1Store options', () => {
  it.each([
    [{ maxEntries: 0 }, 'maxEntries'],
    [{ maxEntries: 1.5 }, 'maxEntries'],
    [{ maxEntries: 10, maxBytes: -1 }, 'maxBytes'],
    [{ maxEntries: 10, policy: 'lfu' }, 'policy'],
    [{ maxEntries: 10, onEvict: 'no' }, 'onEvict'],
    [{ maxEntries: 10, max: 5 }, 'max'],
  ])('refuses %j naming %s', (options, argument) => {
    const error = thrownBy(() => createL1Store(options as never));
    expect(codeOf(error)).toBe('INVALID_ARGUMENT');
    expect((error as { details: { argument: string } }).details.argument).toBe(argument);
  });
});
