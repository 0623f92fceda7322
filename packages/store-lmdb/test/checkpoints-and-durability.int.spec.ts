import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLmdbEventStore, type Durability } from '../src/index.js';
import { collect, tempDir } from './support/helpers.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function storePath(): string {
  const dir = tempDir('checkpoints');
  cleanups.push(dir.remove);
  return join(dir.path, 'store');
}

describe('checkpoints', () => {
  it('saves, loads, overwrites and deletes named positions, which survive a reopen', async () => {
    const path = storePath();
    const store = await createLmdbEventStore({ path });
    expect(await store.checkpoints.load('balances')).toBeUndefined();
    await store.checkpoints.save('balances', 41);
    await store.checkpoints.save('balances', 42);
    await store.checkpoints.save('audit', -1);
    await store.checkpoints.save('gone', 7);
    await store.checkpoints.delete('gone');
    await store.close();
    const reopened = await createLmdbEventStore({ path });
    cleanups.push(() => reopened.close());
    expect(await reopened.checkpoints.load('balances')).toBe(42);
    expect(await reopened.checkpoints.load('audit')).toBe(-1);
    expect(await reopened.checkpoints.load('gone')).toBeUndefined();
  });
});

describe('durability modes', () => {
  for (const durability of ['flush', 'commit', 'none'] as Durability[]) {
    it(`'${durability}' acknowledges appends that are then readable, also after a reopen`, async () => {
      const path = storePath();
      const store = await createLmdbEventStore({ path, durability });
      expect(store.durability).toBe(durability);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(`account-${i % 3}`, [{ type: 'Deposited', data: { i } }])));
      expect(results.map((r) => r.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      await store.close();
      const reopened = await createLmdbEventStore({ path, durability });
      cleanups.push(() => reopened.close());
      expect((await collect(reopened.readAll())).map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });
  }
});
