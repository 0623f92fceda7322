import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ABORT, open, type Key } from 'lmdb';
import { createReadModelStore, type ReadModelStore } from '../src/index.js';

/**
 * Documents are MessagePack records whose shapes (field-name lists) are stored beside them. A
 * shape first met in a write that rolls back is not stored; these tests write the same shape
 * again afterwards and check that a reopened store, which knows only what was committed, reads
 * every document back.
 */

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-query-shapes-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Card = { id: string; holder: string; limit: number; tier?: string; frozen?: boolean };

async function reopen(path: string, check: (store: ReadModelStore) => void): Promise<void> {
  const store = await createReadModelStore({ path, durability: 'none' });
  try {
    check(store);
  } finally {
    await store.close();
  }
}

describe('document shapes and rolled-back writes', () => {
  it('a shape met in a rolled-back projection batch is stored again by the next write that meets it', async () => {
    const path = tempDir();
    const store = await createReadModelStore({ path, durability: 'none' });
    const cards = store.collection<Card>('cards', { indexes: [{ fields: ['holder'], unique: true }, { fields: ['limit'], covering: true }] });
    await cards.put({ id: 'c1', holder: 'ann', limit: 100 });
    // A new shape (with tier), then a unique violation: the whole batch rolls back.
    await expect(
      store.transact({ projection: 'cards', generation: 0 }, 1, (tx) => {
        const c = tx.collection<Card>('cards');
        c.put({ id: 'c2', holder: 'bob', limit: 200, tier: 'gold' });
        c.put({ id: 'c3', holder: 'ann', limit: 300 });
      }),
    ).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
    expect(cards.get('c2')).toBeUndefined();
    // The same shape again, in a batch that commits.
    await store.transact({ projection: 'cards', generation: 0 }, 2, (tx) => {
      tx.collection<Card>('cards').put({ id: 'c4', holder: 'cy', limit: 400, tier: 'silver' });
    });
    await store.close();
    await reopen(path, (reopened) => {
      const c = reopened.collection<Card>('cards');
      expect(c.get('c4')).toEqual({ id: 'c4', holder: 'cy', limit: 400, tier: 'silver' });
      expect(c.get('c1')).toEqual({ id: 'c1', holder: 'ann', limit: 100 });
      // Through the covering index, whose entries hold the documents too.
      expect(c.find({ where: { limit: { gte: 0 } }, orderBy: [{ field: 'limit', direction: 'asc' }] }).items.map((d) => d.id)).toEqual(['c1', 'c4']);
    });
  });

  it('a shape met in a caller transaction that aborts after transactSync returned is stored again', async () => {
    const path = tempDir();
    const env = open({ path, noSync: true, maxDbs: 8 });
    const store = await createReadModelStore({ environment: env });
    store.collection<Card>('cards', { indexes: ['holder'] });
    // lmdb-js's asynchronous transaction keeps a throwing callback's writes; a child transaction
    // returning ABORT rolls back, here after the projection's writes succeeded.
    await env.transaction(() => {
      env.childTransaction(() => {
        store.transactSync({ projection: 'inline', generation: 0 }, 1, (tx) => {
          tx.collection<Card>('cards').put({ id: 'c1', holder: 'ann', limit: 100, frozen: true });
        });
        return ABORT;
      });
    });
    expect(store.collection<Card>('cards').get('c1')).toBeUndefined();
    env.transactionSync(() => {
      store.transactSync({ projection: 'inline', generation: 0 }, 2, (tx) => {
        tx.collection<Card>('cards').put({ id: 'c2', holder: 'bob', limit: 200, frozen: false });
      });
    });
    // And a synchronous caller transaction that throws after the projection wrote a new shape.
    expect(() =>
      env.transactionSync(() => {
        store.transactSync({ projection: 'inline', generation: 0 }, 3, (tx) => {
          tx.collection<Card>('cards').put({ id: 'c3', holder: 'cy', limit: 300, tier: 'gold' });
        });
        throw new Error('event append failed');
      }),
    ).toThrow('event append failed');
    await store.collection<Card>('cards').put({ id: 'c4', holder: 'di', limit: 400, tier: 'gold' });
    await store.close();
    await env.close();
    await reopen(path, (reopened) => {
      const c = reopened.collection<Card>('cards');
      expect(c.get('c2')).toEqual({ id: 'c2', holder: 'bob', limit: 200, frozen: false });
      expect(c.get('c4')).toEqual({ id: 'c4', holder: 'di', limit: 400, tier: 'gold' });
      expect(c.get('c1')).toBeUndefined();
      expect(c.get('c3')).toBeUndefined();
      expect(c.find({ where: { holder: 'di' } }).items).toEqual([{ id: 'c4', holder: 'di', limit: 400, tier: 'gold' }]);
    });
  });

  it('reads documents stored as plain MessagePack maps, as stores before shared shapes wrote them', async () => {
    const path = tempDir();
    const store = await createReadModelStore({ path, durability: 'none' });
    const cards = store.collection<Card>('cards', { indexes: ['holder'] });
    await cards.put({ id: 'c1', holder: 'ann', limit: 100 });
    await store.close();
    // Rewrite the stored document as a plain map, the encoding earlier versions wrote.
    const env = open({ path, maxDbs: 8, noSync: true });
    // `useRecords` goes on to msgpackr; lmdb-js's option type does not list it.
    const mapsOnly = { encoding: 'msgpack', useRecords: false } as { encoding: 'msgpack' };
    const docs = env.openDB<unknown, Key[]>('strata.query.docs', mapsOnly);
    const [key] = [...docs.getKeys({ start: [0], end: [Number.MAX_SAFE_INTEGER] })];
    expect(key).toBeDefined();
    await docs.put(key!, { id: 'c1', holder: 'ann', limit: 150 });
    await env.close();
    await reopen(path, (reopened) => {
      const c = reopened.collection<Card>('cards');
      expect(c.get('c1')).toEqual({ id: 'c1', holder: 'ann', limit: 150 });
      expect(c.find({ where: { holder: 'ann' } }).items).toEqual([{ id: 'c1', holder: 'ann', limit: 150 }]);
    });
  });
});
