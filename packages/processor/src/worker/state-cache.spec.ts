import { describe, expect, it } from 'vitest';
import { cacheKey, StateCache } from './state-cache.js';

describe('StateCache', () => {
  it('evicts the least recently used entry past its bound', () => {
    const cache = new StateCache(2);
    cache.set(cacheKey('a', 's-1'), 's-1', { state: 1, version: 0, generation: 1 });
    cache.set(cacheKey('a', 's-2'), 's-2', { state: 2, version: 0, generation: 1 });
    expect(cache.get(cacheKey('a', 's-1'), 1)?.state).toBe(1);
    cache.set(cacheKey('a', 's-3'), 's-3', { state: 3, version: 0, generation: 1 });
    expect(cache.get(cacheKey('a', 's-2'), 1)).toBeUndefined();
    expect(cache.get(cacheKey('a', 's-1'), 1)?.state).toBe(1);
    expect(cache.size).toBe(2);
    expect([cache.hits, cache.misses]).toEqual([2, 1]);
  });

  it('never returns state loaded under another ownership generation', () => {
    const cache = new StateCache(10);
    cache.set(cacheKey('a', 's-1'), 's-1', { state: 'old', version: 3, generation: 1 });
    expect(cache.get(cacheKey('a', 's-1'), 2)).toBeUndefined();
  });

  it('drops every aggregate of a stream at once, and updates entries in place', () => {
    const cache = new StateCache(10);
    const entry = { state: 1, version: 0, generation: 1 };
    cache.set(cacheKey('a', 's-1'), 's-1', entry);
    cache.set(cacheKey('b', 's-1'), 's-1', { state: 1, version: 0, generation: 1 });
    cache.set(cacheKey('a', 's-2'), 's-2', { state: 1, version: 0, generation: 1 });
    cache.update(cacheKey('a', 's-1'), 's-1', entry, 5, 4);
    expect(cache.get(cacheKey('a', 's-1'), 1)).toEqual({ state: 5, version: 4, generation: 1 });
    cache.dropStream('s-1');
    expect(cache.get(cacheKey('a', 's-1'), 1)).toBeUndefined();
    expect(cache.get(cacheKey('b', 's-1'), 1)).toBeUndefined();
    expect(cache.get(cacheKey('a', 's-2'), 1)?.state).toBe(1);
  });

  it('keeps nothing with a size of 0', () => {
    const cache = new StateCache(0);
    cache.set(cacheKey('a', 's-1'), 's-1', { state: 1, version: 0, generation: 1 });
    expect(cache.get(cacheKey('a', 's-1'), 1)).toBeUndefined();
  });
});
