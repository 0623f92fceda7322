import { statSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLmdbEventStore, FORMAT_VERSION, type LmdbEventStore } from '../src/index.js';
import { codeOf, collect, failureOf, tempDir } from './support/helpers.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function storePath(): string {
  const dir = tempDir('reopen');
  cleanups.push(dir.remove);
  return join(dir.path, 'store');
}

async function openStore(path: string, options: Partial<Parameters<typeof createLmdbEventStore>[0]> = {}): Promise<LmdbEventStore> {
  const store = await createLmdbEventStore({ path, ...options });
  cleanups.push(() => store.close());
  return store;
}

describe('reopening a store', () => {
  it('continues positions and versions, and reads back events of every shape it wrote', async () => {
    const path = storePath();
    const first = await createLmdbEventStore({ path });
    await first.append('account-1', [
      { type: 'Opened', data: { owner: 'ada', limits: { daily: 100 } } },
      { type: 'Deposited', data: { amount: 5, at: new Date(0) }, metadata: { by: 'teller' } },
    ]);
    await first.append('account-2', [{ type: 'Opened', data: { owner: 'grace', tags: ['vip'] } }]);
    await first.deleteStream('account-2', { hard: true });
    await first.close();

    const second = await openStore(path);
    expect(await second.headPosition()).toBe(2);
    const result = await second.append('account-1', [{ type: 'Withdrawn', data: { amount: 1 } }], { expectedVersion: 1 });
    expect(result).toEqual({ nextExpectedVersion: 2, position: 3 });
    const events = await collect(second.readStream('account-1'));
    expect(events.map((e) => [e.version, e.position, e.type])).toEqual([
      [0, 0, 'Opened'],
      [1, 1, 'Deposited'],
      [2, 3, 'Withdrawn'],
    ]);
    expect(events[0]!.data).toEqual({ owner: 'ada', limits: { daily: 100 } });
    expect(events[1]!.data).toEqual({ amount: 5, at: new Date(0) });
    expect(events[1]!.metadata).toEqual({ by: 'teller' });
    expect((await second.streamInfo('account-2'))?.hardDeleted).toBe(true);
  });

  it('never reuses the positions of events removed from the end of the log', async () => {
    const path = storePath();
    const first = await createLmdbEventStore({ path });
    await first.append('temp-1', [{ type: 'A', data: 1 }, { type: 'B', data: 2 }]);
    await first.deleteStream('temp-1', { hard: true });
    await first.close();
    const second = await openStore(path);
    expect(await second.headPosition()).toBe(1);
    expect((await second.append('temp-2', [{ type: 'C', data: 3 }])).position).toBe(2);
  });

  it('recognises a generated id read back from the store, before and after a reopen', async () => {
    const path = storePath();
    const first = await createLmdbEventStore({ path });
    const original = await first.append('order-1', [{ type: 'Placed', data: { total: 3 } }]);
    await first.close();
    const store = await openStore(path);
    const [stored] = await collect(store.readStream('order-1'));
    const again = { id: stored!.id, type: stored!.type, data: stored!.data };
    // The same event again (an idempotent retry) returns the original result and stores nothing.
    expect(await store.append('order-1', [again])).toEqual(original);
    expect(await store.headPosition()).toBe(0);
    expect(codeOf(await failureOf(store.append('order-2', [again])))).toBe('DUPLICATE_EVENT');
    expect(codeOf(await failureOf(store.append('order-1', [{ ...again, data: { total: 4 } }])))).toBe('DUPLICATE_EVENT');
    // An id in the store's generated format for a position never written is refused.
    const future = stored!.id.slice(0, 24) + 'fffffffffff0';
    expect(codeOf(await failureOf(store.append('order-3', [{ id: future, type: 'Placed', data: {} }])))).toBe('INVALID_ARGUMENT');
    expect(await store.headPosition()).toBe(0);
  });

  it('lets a second store object on the same path decode what the first wrote (shared structures)', async () => {
    const path = storePath();
    const writer = await openStore(path);
    const reader = await openStore(path);
    for (let shape = 0; shape < 40; shape++) {
      await writer.append('shapes-1', [{ type: 'Shaped', data: { [`field${shape}`]: shape, nested: { [`inner${shape}`]: true } } }]);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
    const read = await collect(reader.readStream('shapes-1'));
    expect(read.map((e) => e.data)).toEqual(Array.from({ length: 40 }, (_, shape) => ({ [`field${shape}`]: shape, nested: { [`inner${shape}`]: true } })));
  });

  it('grows the file as needed, from a tiny initial map size', async () => {
    const path = storePath();
    const store = await openStore(path, { mapSize: 64 * 1024, durability: 'none' });
    const blob = 'x'.repeat(50_000);
    for (let i = 0; i < 100; i++) await store.append('big-1', [{ type: 'Blob', data: { blob, i } }]);
    expect(statSync(join(path, 'data.mdb')).size).toBeGreaterThan(5_000_000);
    expect((await collect(store.readStream('big-1'))).map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('format versioning', () => {
  it('refuses a store of another format version with INCOMPATIBLE_FORMAT naming both versions', async () => {
    const path = storePath();
    const store = await createLmdbEventStore({ path });
    await store.append('account-1', [{ type: 'Opened', data: {} }]);
    await store.close();
    const raw = open({ path, maxDbs: 16 });
    const meta = raw.openDB('strata.meta', { encoding: 'json' });
    await meta.put('format', { store: '@strata/store-lmdb', version: FORMAT_VERSION + 1 });
    await raw.close();
    const error = await failureOf(createLmdbEventStore({ path }));
    expect(codeOf(error)).toBe('INCOMPATIBLE_FORMAT');
    expect((error as { details: Record<string, unknown> }).details).toMatchObject({ foundVersion: FORMAT_VERSION + 1, expectedVersion: FORMAT_VERSION });
    expect((error as Error).message).toContain(`format version ${FORMAT_VERSION + 1}`);
    expect((error as Error).message).toContain(`format version ${FORMAT_VERSION}`);
  });

  it('refuses an LMDB environment that holds other data, and leaves it untouched', async () => {
    const path = storePath();
    const raw = open({ path });
    await raw.put('users/1', { name: 'not an event' });
    await raw.close();
    expect(codeOf(await failureOf(createLmdbEventStore({ path })))).toBe('INCOMPATIBLE_FORMAT');
    const again = open({ path });
    expect([...again.getKeys()]).toEqual(['users/1']);
    await again.close();
  });

  it('refuses to open a store with another serializer format than it was created with', async () => {
    const path = storePath();
    const store = await createLmdbEventStore({ path, serializer: { format: 'json' } });
    await store.append('account-1', [{ type: 'Opened', data: { owner: 'ada' } }]);
    await store.close();
    expect(codeOf(await failureOf(createLmdbEventStore({ path })))).toBe('INCOMPATIBLE_FORMAT');
    const reopened = await openStore(path, { serializer: { format: 'json' } });
    expect((await collect(reopened.readAll())).map((e) => e.data)).toEqual([{ owner: 'ada' }]);
  });
});
