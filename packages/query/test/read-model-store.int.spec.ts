import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ABORT, open } from 'lmdb';
import { isStrataError } from '@strata/core';
import { createReadModelStore, type ReadModelStore } from '../src/index.js';

const dirs: string[] = [];
const stores: ReadModelStore[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-query-'));
  dirs.push(dir);
  return dir;
}
async function openStore(path = tempDir()): Promise<ReadModelStore> {
  const store = await createReadModelStore({ path, durability: 'none' });
  stores.push(store);
  return store;
}
function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isStrataError(error) ? error.code : `not strata: ${String(error)}`;
  }
  return undefined;
}
async function codeAsync(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return isStrataError(error) ? error.code : `not strata: ${String(error)}`;
  }
  return undefined;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Account = { id: string; owner: string; status: string; balance: number };

async function seed(store: ReadModelStore, n: number) {
  const accounts = store.collection<Account>('accounts', { indexes: ['owner', 'status', { fields: ['status', 'balance'] }] });
  await store.transact({ projection: 'p', generation: 0 }, 1, (tx) => {
    const c = tx.collection<Account>('accounts');
    for (let i = 0; i < n; i++) c.put({ id: `a${i}`, owner: `o${i % 500}`, status: i % 10 === 0 ? 'closed' : 'open', balance: i });
  });
  return accounts;
}

describe('collections', () => {
  it('writes, reads and maintains indexes', async () => {
    const store = await openStore();
    const users = store.collection<{ id: string; email: string; age: number }>('users', {
      indexes: [{ fields: ['email'], unique: true }, 'age'],
    });
    await users.insert({ id: 'u1', email: 'a@x', age: 30 });
    await users.put({ id: 'u2', email: 'b@x', age: 40 });
    expect(await codeAsync(() => users.insert({ id: 'u1', email: 'c@x', age: 1 }))).toBe('DOCUMENT_EXISTS');
    expect(await codeAsync(() => users.put({ id: 'u3', email: 'a@x', age: 1 }))).toBe('UNIQUE_VIOLATION');
    expect(users.get('u3')).toBeUndefined();
    expect(await users.patch('u1', { age: 31 })).toEqual({ id: 'u1', email: 'a@x', age: 31 });
    expect(users.find({ where: { age: 31 } }).items.map((u) => u.id)).toEqual(['u1']);
    expect(users.find({ where: { age: 30 } }).items).toEqual([]);
    expect(users.find({ where: { email: 'b@x' } }).items.map((u) => u.id)).toEqual(['u2']);
    expect(await users.delete('u2')).toBe(true);
    expect(await users.delete('u2')).toBe(false);
    expect(users.find({ where: { email: 'b@x' } }).items).toEqual([]);
    await users.put({ id: 'u4', email: 'b@x', age: 2 });
    expect(users.getMany(['u4', 'nope'])).toEqual([{ id: 'u4', email: 'b@x', age: 2 }, undefined]);
    expect(users.count()).toBe(2);
    expect(users.find({ where: { age: { gte: 2 } }, select: ['age'] }).items).toEqual([{ id: 'u1', age: 31 }, { id: 'u4', age: 2 }]);
  });

  it('keeps documents in covering index entries current', async () => {
    const store = await openStore();
    const c = store.collection<{ id: string; n: number; label: string }>('covered', { indexes: [{ fields: ['n'], covering: true }] });
    for (let i = 0; i < 10; i++) await c.put({ id: `k${i}`, n: i, label: 'old' });
    await c.patch('k3', { label: 'new' });
    await c.patch('k4', { n: 40 });
    await c.delete('k5');
    const found = c.find({ where: { n: { gte: 2, lt: 50 } }, orderBy: 'n' });
    expect(c.explain({ where: { n: { gte: 2, lt: 50 } }, orderBy: 'n' }).chosen.access).toMatchObject({ type: 'indexScan', covering: true });
    expect(found.items.map((d) => [d.id, d.n, d.label])).toEqual([
      ['k2', 2, 'old'], ['k3', 3, 'new'], ['k6', 6, 'old'], ['k7', 7, 'old'], ['k8', 8, 'old'], ['k9', 9, 'old'], ['k4', 40, 'old'],
    ]);
    expect(code(() => store.collection('covered2', { indexes: [{ fields: ['n'], covering: true, unique: true }] }))).toBe('INVALID_ARGUMENT');
  });

  it('reads documents in index order, forward and backward, whether or not the index follows the ids', async () => {
    const store = await openStore();
    type Row = { id: string; seq: number; mixed: number; gone?: boolean };
    const c = store.collection<Row>('ordered', { indexes: ['seq', 'mixed'] });
    const rows: Row[] = Array.from({ length: 1_000 }, (_, i) => ({ id: `k${String(i).padStart(4, '0')}`, seq: i, mixed: (i * 7919) % 1_000 }));
    await store.transact({ projection: 'ordered', generation: 0 }, 1, (tx) => rows.forEach((row) => tx.collection<Row>('ordered').put(row)));
    // Holes in the id order the walks pass over.
    for (let i = 0; i < 1_000; i += 7) await c.delete(rows[i]!.id);
    const kept = rows.filter((_, i) => i % 7 !== 0);
    c.analyze();
    for (const field of ['seq', 'mixed'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const sign = direction === 'asc' ? 1 : -1;
        const expected = kept.filter((row) => row[field] >= 100 && row[field] < 700).sort((a, b) => sign * (a[field] - b[field]));
        const query = { where: { [field]: { gte: 100, lt: 700 } }, orderBy: { field, direction } };
        expect(c.explain(query).chosen.access).toMatchObject({ type: 'indexScan', index: field, ordered: true });
        expect(c.find(query).items.map((d) => d.id)).toEqual(expected.map((row) => row.id));
        const paged: string[] = [];
        let after: string | undefined;
        do {
          const page = c.find({ ...query, limit: 45, ...(after === undefined ? {} : { after }) });
          paged.push(...page.items.map((d) => d.id));
          after = page.cursor;
        } while (after !== undefined);
        expect(paged).toEqual(expected.map((row) => row.id));
      }
    }
  });

  it('builds an index over existing data at runtime and drops it', async () => {
    const store = await openStore();
    const c = store.collection<{ id: string; tag: string }>('tags');
    for (let i = 0; i < 20; i++) await c.put({ id: `t${i}`, tag: i % 2 ? 'odd' : 'even' });
    await c.ensureIndex('tag');
    const plan = c.explain({ where: { tag: 'odd' } });
    expect(plan.alternatives.some((a) => a.plan.access.type === 'indexScan')).toBe(true);
    expect(c.count({ tag: 'odd' })).toBe(10);
    await expect(c.ensureIndex({ fields: ['tag'], unique: true, name: 'u' })).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
    expect(await c.dropIndex('tag')).toBe(true);
    expect(c.explain({ where: { tag: 'odd' } }).chosen.access.type).toBe('fullScan');
    expect(c.count({ tag: 'odd' })).toBe(10);
  });
});

describe('optimizer', () => {
  it('picks the index where it is selective and the scan where it is not', async () => {
    const store = await openStore();
    const accounts = await seed(store, 2_000);
    const selective = accounts.explain({ where: { owner: 'o7' } }, { execute: true });
    expect(selective.chosen.access).toMatchObject({ type: 'indexScan', index: 'owner' });
    expect(selective.alternatives.find((a) => a.chosen)?.actual?.rows).toBe(4);
    const broad = accounts.explain({ where: { status: 'open' } });
    expect(broad.chosen.access.type).toBe('fullScan');
    expect(broad.alternatives.map((a) => a.plan.access.type)).toContain('indexScan');
    const range = accounts.explain({ where: { status: 'closed', balance: { gte: 100, lt: 300 } } });
    expect(range.chosen.access).toMatchObject({ type: 'indexScan', index: 'status_balance' });
    const ordered = accounts.explain({ where: { status: 'closed' }, orderBy: { field: 'balance', direction: 'desc' }, limit: 5 });
    expect(ordered.chosen.access).toMatchObject({ type: 'indexScan', ordered: true, reverse: true });
    expect(ordered.chosen.sort).toBe('none');
    expect(Object.isFrozen(ordered.chosen)).toBe(true);
    const page = accounts.find({ where: { status: 'closed' }, orderBy: { field: 'balance', direction: 'desc' }, limit: 5 });
    expect(page.items.map((a) => a.balance)).toEqual([1990, 1980, 1970, 1960, 1950]);
    const next = accounts.find({ where: { status: 'closed' }, orderBy: { field: 'balance', direction: 'desc' }, limit: 5, after: page.cursor! });
    expect(next.items.map((a) => a.balance)).toEqual([1940, 1930, 1920, 1910, 1900]);
  });

  it('caches plans by shape and invalidates them when an index is added', async () => {
    const store = await openStore();
    const accounts = await seed(store, 500);
    accounts.find({ where: { balance: 5 } });
    expect(accounts.explain({ where: { balance: 7 } }).planCacheHit).toBe(true);
    const before = store.planCacheStats().hits;
    accounts.find({ where: { balance: 9 } });
    expect(store.planCacheStats().hits).toBe(before + 1);
    expect(accounts.explain({ where: { balance: 9 } }).chosen.access.type).toBe('fullScan');
    await accounts.ensureIndex('balance');
    const after = accounts.explain({ where: { balance: 9 } });
    expect(after.planCacheHit).toBe(false);
    expect(after.chosen.access).toMatchObject({ type: 'indexScan', index: 'balance' });
    expect(accounts.find({ where: { balance: 9 } }).items.map((a) => a.id)).toEqual(['a9']);
  });
});

describe('ProjectionSink', () => {
  it('commits writes with the checkpoint, and nothing when apply throws or a write fails', async () => {
    const path = tempDir();
    const store = await openStore(path);
    const c = store.collection<{ id: string; email: string }>('people', { indexes: [{ fields: ['email'], unique: true }] });
    await store.transact({ projection: 'people', generation: 0 }, 10, (tx) => {
      tx.collection('people').put({ id: 'p1', email: 'a' });
      expect(tx.collection('people').get('p1')).toEqual({ id: 'p1', email: 'a' });
    });
    expect(await store.status('people')).toEqual({ liveGeneration: 0, checkpoint: 10 });
    await expect(
      store.transact({ projection: 'people', generation: 0 }, 11, async (tx) => {
        tx.collection('people').put({ id: 'p2', email: 'b' });
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    await expect(
      store.transact({ projection: 'people', generation: 0 }, 12, (tx) => {
        tx.collection('people').put({ id: 'p3', email: 'c' });
        tx.collection('people').put({ id: 'p4', email: 'a' });
      }),
    ).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
    expect(c.get('p2')).toBeUndefined();
    expect(c.get('p3')).toBeUndefined();
    expect((await store.status('people')).checkpoint).toBe(10);
    expect(await codeAsync(() => store.transact({ projection: 'other', generation: 0 }, 1, (tx) => void tx.collection('people')))).toBe('OWNERSHIP_CONFLICT');
  });

  it('builds a generation beside the live one, promotes it atomically, discards, and survives a reopen', async () => {
    const path = tempDir();
    let store = await openStore(path);
    const scope0 = { projection: 'bal', generation: 0 };
    await store.transact(scope0, 5, (tx) => {
      tx.collection('balances').put({ id: 'x', amount: 1 });
      tx.collection('balances').put({ id: 'old', amount: 9 });
    });
    const readers = store.collection('balances', { indexes: ['amount'] });
    const g = await store.beginGeneration('bal');
    expect(g).toBe(1);
    await store.transact({ projection: 'bal', generation: g }, 3, (tx) => tx.collection('balances').put({ id: 'x', amount: 2 }));
    expect(readers.get('x')).toEqual({ id: 'x', amount: 1 });
    expect(await store.status('bal')).toEqual({ liveGeneration: 0, checkpoint: 5, building: { generation: 1, checkpoint: 3 } });
    await store.promote('bal', g);
    expect(readers.get('x')).toEqual({ id: 'x', amount: 2 });
    expect(readers.get('old')).toBeUndefined();
    expect(readers.find({ where: { amount: 2 } }).items.map((d) => d.id)).toEqual(['x']);
    expect(await store.status('bal')).toEqual({ liveGeneration: 1, checkpoint: 3 });
    const g2 = await store.beginGeneration('bal');
    await store.transact({ projection: 'bal', generation: g2 }, 1, (tx) => tx.collection('balances').put({ id: 'y', amount: 3 }));
    await store.discard('bal', g2);
    expect(await store.status('bal')).toEqual({ liveGeneration: 1, checkpoint: 3 });
    expect(await codeAsync(() => store.transact({ projection: 'bal', generation: g2 }, 2, () => undefined))).toBe('OWNERSHIP_CONFLICT');
    await store.close();
    store = await openStore(path);
    const again = store.collection('balances');
    expect(again.indexes().map((i) => i.name)).toEqual(['amount']);
    expect(again.find({ where: { amount: 2 } }).items).toEqual([{ id: 'x', amount: 2 }]);
    expect(again.get('y')).toBeUndefined();
    expect(await store.status('bal')).toEqual({ liveGeneration: 1, checkpoint: 3 });
  });

  it('commits a rebuilding generation whole or not at all, though it does not wait for each batch\'s flush', async () => {
    const path = tempDir();
    let store = await openStore(path);
    store.collection('mail', { indexes: [{ fields: ['email'], unique: true }] });
    await store.transact({ projection: 'mail', generation: 0 }, 1, (tx) => tx.collection('mail').put({ id: 'live', email: 'l' }));
    const g = await store.beginGeneration('mail');
    const scope = { projection: 'mail', generation: g };
    await store.transact(scope, 10, (tx) => tx.collection('mail').put({ id: 'a', email: 'a' }));
    // A unique violation half-way: the batch's first document, its new shape and its checkpoint are all dropped.
    await expect(
      store.transact(scope, 20, (tx) => {
        tx.collection('mail').put({ id: 'b', email: 'b', nickname: 'bee' });
        tx.collection('mail').put({ id: 'c', email: 'a' });
      }),
    ).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
    await expect(store.transact(scope, 20, () => Promise.reject(new Error('handler failed')))).rejects.toThrow('handler failed');
    expect(await store.status('mail')).toEqual({ liveGeneration: 0, checkpoint: 1, building: { generation: g, checkpoint: 10 } });
    // The next batch, with that same new shape, commits and decodes.
    await store.transact(scope, 30, (tx) => tx.collection('mail').put({ id: 'd', email: 'd', nickname: 'dee' }));
    await store.promote('mail', g);
    await store.close();
    store = await openStore(path);
    const mail = store.collection<{ id: string; email: string; nickname?: string }>('mail');
    expect(mail.find({}).items).toEqual([
      { id: 'a', email: 'a' },
      { id: 'd', email: 'd', nickname: 'dee' },
    ]);
    expect(await store.status('mail')).toEqual({ liveGeneration: g, checkpoint: 30 });
    await store.close();
  });

  it('drops a promoted-away generation in slices between which the event loop runs; a close stops it and the next open finishes it', async () => {
    const dir = tempDir();
    const env = open({ path: dir, noSync: true, maxDbs: 8 });
    const docs = env.openDB('strata.query.docs', { encoding: 'msgpack' });
    const index = env.openDB('strata.query.index', { encoding: 'msgpack' });
    const entries = () => docs.getKeysCount() + index.getKeysCount();
    const fill = async (store: ReadModelStore, generation: number) => {
      store.collection('big', { indexes: ['group', 'n'] });
      await store.transact({ projection: 'big', generation }, 1, (tx) => {
        for (let i = 0; i < 5_000; i++) tx.collection('big').put({ id: `d${i}`, group: i % 7, n: i });
      });
    };
    let store = await createReadModelStore({ environment: env });
    await fill(store, 0);
    const live = entries();
    expect(live).toBe(15_000);
    await fill(store, await store.beginGeneration('big'));
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await store.promote('big', 1);
    await store.garbageCollected();
    ticking = false;
    expect(entries()).toBe(live);
    // 15,000 keys in slices of 2,000: the loop turned between slices.
    expect(ticks).toBeGreaterThanOrEqual(7);
    expect(store.collection('big').count()).toBe(5_000);

    // A close in the middle of a drop leaves the rest marked; the next open clears it.
    await fill(store, await store.beginGeneration('big'));
    await store.promote('big', 2);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await store.close();
    expect(entries()).toBeGreaterThan(live);
    store = await createReadModelStore({ environment: env });
    expect(entries()).toBe(live);
    expect(store.collection('big').find({ where: { group: 3 } }).items).toHaveLength(714);
    await store.close();
    await env.close();
  });

  it('transactSync joins the caller’s LMDB transaction: both commit or neither', async () => {
    // lmdb-js rolls back a transactionSync whose callback throws.
    const dir = tempDir();
    const env = open({ path: dir, noSync: true, maxDbs: 8 });
    const other = env.openDB<string, string>('events', {});
    const store = await createReadModelStore({ environment: env });
    const c = store.collection('inline', { indexes: ['n'] });
    env.transactionSync(() => {
      other.put('e1', 'event');
      store.transactSync({ projection: 'inline', generation: 0 }, 1, (tx) => {
        tx.collection('inline').put({ id: 'd1', n: 1 });
        tx.collection('inline-new').put({ id: 'x1', n: 1 });
        expect(tx.collection('inline-new').get('x1')).toEqual({ id: 'x1', n: 1 });
      });
    });
    expect(store.collection('inline-new').get('x1')).toEqual({ id: 'x1', n: 1 });
    expect(other.get('e1')).toBe('event');
    expect(c.find({ where: { n: 1 } }).items).toEqual([{ id: 'd1', n: 1 }]);
    expect(() =>
      env.transactionSync(() => {
        other.put('e2', 'event');
        store.transactSync({ projection: 'inline', generation: 0 }, 2, (tx) => {
          tx.collection('inline').put({ id: 'd2', n: 2 });
          throw new Error('projection failed');
        });
      }),
    ).toThrow('projection failed');
    expect(other.get('e2')).toBeUndefined();
    // Inside lmdb-js's asynchronous transaction(), a child transaction returning ABORT rolls back the projection's writes.
    await env.transaction(() => {
      env.childTransaction(() => {
        try {
          store.transactSync({ projection: 'inline', generation: 0 }, 3, (tx) => {
            tx.collection('inline').put({ id: 'd3', n: 3 });
            tx.collection('inline').insert({ id: 'd1', n: 1 });
          });
        } catch {
          return ABORT;
        }
        return undefined;
      });
    });
    expect(c.get('d3')).toBeUndefined();
    expect(c.get('d2')).toBeUndefined();
    expect((await store.status('inline')).checkpoint).toBe(1);
    await store.close();
    await env.close();
  });
});

describe('result cache and bad input', () => {
  it('never serves a stale result after a write', async () => {
    const store = await openStore();
    const c = store.collection<{ id: string; v: number }>('cached', { indexes: ['v'], resultCache: { ttlMs: 60_000 } });
    await c.put({ id: 'a', v: 1 });
    expect(c.find({ where: { v: 1 } }).items).toHaveLength(1);
    expect(c.find({ where: { v: 1 } }).items).toHaveLength(1);
    await c.put({ id: 'b', v: 1 });
    expect(c.find({ where: { v: 1 } }).items).toHaveLength(2);
    expect(c.count({ v: 1 })).toBe(2);
    await store.transact({ projection: 'cache-writer', generation: 0 }, 1, (tx) => void tx.collection('cached').delete('a'));
    expect(c.find({ where: { v: 1 } }).items.map((d) => d.id)).toEqual(['b']);
    expect(c.count({ v: 1 })).toBe(1);
  });

  it('rejects bad input with typed errors naming the offending part', async () => {
    const store = await openStore();
    const c = store.collection('typed', { fields: { age: 'number', name: 'string' }, indexes: ['age'], maxSortRows: 5 });
    const cases: [unknown, string][] = [
      [{ where: { nope: 1 } }, 'where.nope'],
      [{ where: { age: { between: 1 } } }, 'where.age.between'],
      [{ where: { age: 'x' } }, 'where.age'],
      [{ where: { name: { gt: 3 } } }, 'where.name.gt'],
      [{ where: { age: { in: 'x' } } }, 'where.age.in'],
      [{ where: { age: { prefix: 'x' } } }, 'where.age.prefix'],
      [{ where: { or: [] } }, 'where.or'],
      [{ where: { age: { eq: 'x' } } }, 'where.age.eq'],
      [{ where: { age: { ne: {} } } }, 'where.age.ne'],
      [{ where: { age: { in: [1, 'x'] } } }, 'where.age.in[1]'],
      [{ where: { age: {} } }, 'where.age'],
      [{ where: { age: [1] } }, 'where.age'],
      [{ where: { or: [{ age: 1 }, { not: { nope: 1 } }] } }, 'where.or[1].not.nope'],
      [{ where: { '': 1 } }, 'where.'],
      [{ orderBy: { field: 'zzz' } }, 'orderBy[0].field'],
      [{ limit: 0 }, 'limit'],
      [{ after: 'garbage' }, 'after'],
      [{ select: ['zzz'] }, 'select[0]'],
      [{ bogus: 1 }, 'query.bogus'],
    ];
    for (const [query, argument] of cases) {
      let caught: unknown;
      try {
        c.find(query as never);
      } catch (error) {
        caught = error;
      }
      expect(isStrataError(caught, 'INVALID_ARGUMENT'), JSON.stringify(query)).toBe(true);
      expect((caught as { details: { argument: string } }).details.argument).toBe(argument);
    }
    expect(await codeAsync(() => c.put({ id: 'x', age: 'old' } as never))).toBe('INVALID_ARGUMENT');
    expect(await codeAsync(() => c.put({ id: 'x', other: 1 } as never))).toBe('INVALID_ARGUMENT');
    expect(await codeAsync(() => c.put({ age: 1 } as never))).toBe('INVALID_ARGUMENT');
    expect(c.count()).toBe(0);
    for (let i = 0; i < 8; i++) await c.put({ id: `n${i}`, name: `n${i}`, age: i });
    expect(code(() => c.find({ orderBy: 'name' }))).toBe('SORT_LIMIT_EXCEEDED');
    expect(code(() => c.find({ where: { age: { gte: 0 } }, orderBy: 'name' }))).toBe('SORT_LIMIT_EXCEEDED');
    expect(c.find({ where: { age: { gte: 4 } }, orderBy: 'name' }).items.map((d) => d.id)).toEqual(['n4', 'n5', 'n6', 'n7']);
    expect(c.explain({ orderBy: 'name' }).warnings[0]).toMatch(/in-memory sort/);
    expect(c.explain({ orderBy: 'age' }).warnings).toEqual([]);
    expect(c.find({ orderBy: 'age', limit: 2 }).items.map((d) => d.id)).toEqual(['n0', 'n1']);
    expect(code(() => store.collection('', {}))).toBe('INVALID_ARGUMENT');
    expect(await codeAsync(() => createReadModelStore({ path: tempDir(), planCacheSize: -1 }))).toBe('INVALID_ARGUMENT');
    await store.close();
    expect(code(() => c.find())).toBe('STORE_CLOSED');
  });
});
