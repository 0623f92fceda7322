import { describe, expect, it } from 'vitest';
import { deferred, nextTurn, rejectionOf } from '../../test/support/helpers.js';
import { createTieredCache } from './create-tiered-cache.js';
import type { WriteOperation } from './tiered-cache-options.js';

type Source = { rows: Map<string, number>; batches: WriteOperation<number>[][] };

function source(): Source & { write(operations: readonly WriteOperation<number>[]): void } {
  const rows = new Map<string, number>();
  const batches: WriteOperation<number>[][] = [];
  return {
    rows,
    batches,
    write(operations) {
      batches.push([...operations]);
      for (const op of operations) {
        if (op.type === 'set') rows.set(op.key, op.value);
        else rows.delete(op.key);
      }
    },
  };
}

describe('write-through', () => {
  it('writes the source before resolving, one operation per call', async () => {
    const db = source();
    const cache = createTieredCache<number>({ l1: { maxEntries: 10 }, broadcast: false, write: (ops) => db.write(ops) });
    await cache.set('a', 1);
    expect(db.rows.get('a')).toBe(1);
    await cache.delete('a');
    expect(db.rows.has('a')).toBe(false);
    expect(db.batches).toEqual([[{ type: 'set', key: 'a', value: 1 }], [{ type: 'delete', key: 'a' }]]);
    await cache.close();
  });

  it('changes nothing when the source write fails', async () => {
    const failure = new Error('constraint violated');
    const cache = createTieredCache<number>({
      l1: { maxEntries: 10 },
      broadcast: false,
      write: () => {
        throw failure;
      },
    });
    expect(await rejectionOf(cache.set('a', 1))).toBe(failure);
    expect(cache.getSync('a')).toBeUndefined();
    await cache.close();
  });
});

describe('write-behind', () => {
  it('acknowledges at once, coalesces writes of a key, and writes in batches', async () => {
    const db = source();
    const cache = createTieredCache<number>({
      l1: { maxEntries: 1_000 },
      broadcast: false,
      write: (ops) => db.write(ops),
      writePolicy: 'behind',
      writeBehind: { maxBatchSize: 50, maxDelayMs: 60_000 },
    });
    for (let i = 0; i < 120; i++) await cache.set(`k${i}`, i);
    await cache.set('k0', 1_000);
    expect(cache.getSync('k0')).toBe(1_000);
    await cache.flush();
    expect(db.rows.size).toBe(120);
    expect(db.rows.get('k0')).toBe(1_000);
    expect(db.batches.every((batch) => batch.length <= 50)).toBe(true);
    expect(db.batches.flat()).toHaveLength(120);
    await cache.close();
  });

  it('loses nothing on close(): every pending write reaches the source', async () => {
    const db = source();
    const cache = createTieredCache<number>({
      l1: { maxEntries: 10 },
      broadcast: false,
      write: async (ops) => {
        await nextTurn();
        db.write(ops);
      },
      writePolicy: 'behind',
      writeBehind: { maxBatchSize: 7, maxDelayMs: 60_000 },
    });
    for (let i = 0; i < 100; i++) await cache.set(`k${i}`, i);
    await cache.delete('k5');
    await cache.close();
    expect(db.rows.size).toBe(99);
    expect(db.rows.get('k99')).toBe(99);
    expect(db.rows.has('k5')).toBe(false);
    expect(cache.stats().writeBehind).toMatchObject({ pending: 0, written: 100 });
  });

  it('keeps failed batches queued, retries them, and rejects close() until they are written', async () => {
    const db = source();
    let failing = true;
    const cache = createTieredCache<number>({
      l1: { maxEntries: 10 },
      broadcast: false,
      write: (ops) => {
        if (failing) throw new Error('source unavailable');
        db.write(ops);
      },
      writePolicy: 'behind',
      writeBehind: { maxDelayMs: 60_000 },
    });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await expect(cache.close()).rejects.toThrow('source unavailable');
    expect(cache.stats().writeBehind.pending).toBe(2);
    failing = false;
    await cache.close();
    expect([...db.rows]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('reads its own pending writes even when no tier holds them, and never reloads a pending delete', async () => {
    const db = source();
    db.rows.set('gone', 1);
    const gate = deferred<void>();
    let loads = 0;
    const cache = createTieredCache<number>({
      l1: { maxEntries: 1 },
      broadcast: false,
      load: (key) => {
        loads++;
        return db.rows.get(key);
      },
      write: async (ops) => {
        await gate.promise;
        db.write(ops);
      },
      writePolicy: 'behind',
    });
    await cache.set('a', 1);
    await cache.set('b', 2); // evicts 'a' from the one-entry L1
    await cache.delete('gone');
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('gone')).toBeUndefined();
    expect(loads).toBe(0);
    gate.resolve();
    await cache.close();
    expect(db.rows.get('a')).toBe(1);
    expect(db.rows.has('gone')).toBe(false);
  });
});
