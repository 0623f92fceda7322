import { describe, expect, it } from 'vitest';
import { codeOf, rejectionOf, thrownBy } from '../../test/support/helpers.js';
import { createTieredCache } from './create-tiered-cache.js';

function cache(options: { maxValueBytes?: number } = {}) {
  return createTieredCache<unknown>({ l1: { maxEntries: 100 }, broadcast: false, ...options });
}

describe('bad input', () => {
  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['a lone surrogate', 'key-\ud800'],
    ['an over-long key', 'k'.repeat(1025)],
    ['a key of 342 three-byte characters', '€'.repeat(342)],
  ])('refuses %s as a key with INVALID_ARGUMENT', async (_, key) => {
    const c = cache();
    expect(codeOf(await rejectionOf(c.get(key as string)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrownBy(() => c.getSync(key as string)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await rejectionOf(c.set(key as string, 1)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await rejectionOf(c.invalidate(key as string)))).toBe('INVALID_ARGUMENT');
    await c.close();
  });

  it('refuses values the format cannot carry with SERIALIZATION_FAILED, and stores nothing', async () => {
    const c = cache();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const value of [() => 1, Symbol('s'), cyclic, { nested: { fn: () => 2 } }]) {
      expect(codeOf(await rejectionOf(c.set('k', value)))).toBe('SERIALIZATION_FAILED');
    }
    expect(c.getSync('k')).toBeUndefined();
    await c.close();
  });

  it('refuses undefined and oversize values with INVALID_ARGUMENT naming the value', async () => {
    const c = cache({ maxValueBytes: 100 });
    const undef = await rejectionOf(c.set('k', undefined));
    expect(codeOf(undef)).toBe('INVALID_ARGUMENT');
    const big = await rejectionOf(c.set('k', 'x'.repeat(200)));
    expect(codeOf(big)).toBe('INVALID_ARGUMENT');
    expect((big as { details: Record<string, unknown> }).details).toMatchObject({ argument: 'value', maxValueBytes: 100 });
    expect(c.getSync('k')).toBeUndefined();
    await c.set('k', 'small');
    expect(c.getSync('k')).toBe('small');
    await c.close();
  });

  it('fails the callers of a load whose value cannot be encoded, and caches nothing', async () => {
    let calls = 0;
    const c = createTieredCache<unknown>({
      l1: { maxEntries: 10 },
      broadcast: false,
      load: () => {
        calls++;
        return { handler: () => 'not data' };
      },
    });
    expect(codeOf(await rejectionOf(c.get('k')))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(await rejectionOf(c.get('k')))).toBe('SERIALIZATION_FAILED');
    expect(calls).toBe(2);
    await c.close();
  });

  it('refuses bad tags and TTLs, from set() and from a loader', async () => {
    const c = createTieredCache<string>({
      l1: { maxEntries: 10 },
      broadcast: false,
      load: (_key, context) => {
        context.ttlMs = -5;
        return 'v';
      },
    });
    for (const options of [{ tags: 'one' }, { tags: [''] }, { tags: ['a\u0000b'] }, { tags: Array(33).fill('t') }, { ttlMs: -1 }, { ttl: 5 }]) {
      const error = await rejectionOf(c.set('k', 'v', options as never));
      expect(codeOf(error)).toBe('INVALID_ARGUMENT');
    }
    const loaded = await rejectionOf(c.get('k'));
    expect((loaded as { details: Record<string, unknown> }).details['argument']).toBe('context.ttlMs');
    await c.close();
  });

  it('fails every call after close() with STORE_CLOSED', async () => {
    const c = cache();
    await c.set('k', 1);
    await c.close();
    await c.close();
    expect(codeOf(thrownBy(() => c.getSync('k')))).toBe('STORE_CLOSED');
    expect(codeOf(await rejectionOf(c.get('k')))).toBe('STORE_CLOSED');
    expect(codeOf(await rejectionOf(Promise.resolve().then(() => c.set('k', 2))))).toBe('STORE_CLOSED');
    expect(codeOf(thrownBy(() => c.peekL1('k')))).toBe('STORE_CLOSED');
  });
});
