import { startPostgres, type PostgresServer } from '@strata/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresRemoteTier, createTieredCache, type PostgresRemoteTier, type QueryExecutor, type RemoteEntry } from '../src/index.js';
import { createSerializer } from '@strata/serialization';
import { codeOf, deferred, rejectionOf } from './support/helpers.js';

const serializer = createSerializer({ format: 'msgpack' });

let server: PostgresServer;
let pool: pg.Pool;
let tables = 0;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  pool = new pg.Pool({ connectionString: server.connectionString, max: 8 });
  // An idle client may see the server's shutdown after the pool has ended: not a test failure.
  pool.on('error', () => undefined);
});

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

/** A tier on a table of its own, so tests do not see each other's entries. */
async function tier(options: { invalidationRetentionMs?: number } = {}): Promise<PostgresRemoteTier> {
  // A pg.Pool is a QueryExecutor as it is.
  const executor: QueryExecutor = pool;
  return createPostgresRemoteTier({ executor, table: `cache_${++tables}`, ...options });
}

function entry(key: string, text: string, extra: Partial<RemoteEntry> = {}): RemoteEntry {
  return { key, value: Buffer.from(text), freshUntil: Infinity, staleUntil: Infinity, tags: [], ...extra };
}

const text = (e: RemoteEntry | undefined): string | undefined => (e === undefined ? undefined : Buffer.from(e.value).toString());

describe('PostgreSQL remote tier', () => {
  it('creates UNLOGGED tables, idempotently, even when nodes start at once', async () => {
    const table = `cache_${++tables}`;
    await Promise.all(Array.from({ length: 4 }, () => createPostgresRemoteTier({ executor: pool, table })));
    const { rows } = await pool.query<{ relpersistence: string }>(`SELECT relpersistence FROM pg_class WHERE relname = $1`, [table]);
    expect(rows[0]?.relpersistence).toBe('u');
  });

  it('stores, reads, overwrites and invalidates entries by key, prefix and tag', async () => {
    const remote = await tier();
    await remote.setMany([
      entry('user:1', 'one', { tags: ['users'], freshUntil: 1_000, staleUntil: 2_000 }),
      entry('user:2', 'two', { tags: ['users', 'vip'] }),
      entry('order:1', 'o1'),
      entry('order:1', 'o1 again'),
      entry('ordering', 'x'),
    ]);
    const read = await remote.get('user:1');
    expect(text(read.entry)).toBe('one');
    expect(read.entry).toMatchObject({ freshUntil: 1_000, staleUntil: 2_000, tags: ['users'] });
    expect((await remote.get('user:2')).entry).toMatchObject({ freshUntil: Infinity, staleUntil: Infinity });
    expect(text((await remote.get('order:1')).entry)).toBe('o1 again');
    expect((await remote.get('missing')).entry).toBeUndefined();

    await remote.invalidateTag('vip');
    expect((await remote.get('user:2')).entry).toBeUndefined();
    await remote.invalidatePrefix('order:');
    expect((await remote.get('order:1')).entry).toBeUndefined();
    expect(text((await remote.get('ordering')).entry)).toBe('x');
    await remote.invalidate(['user:1']);
    expect((await remote.get('user:1')).entry).toBeUndefined();
    await remote.invalidatePrefix('');
    expect((await remote.get('ordering')).entry).toBeUndefined();
  });

  it('stores a loaded value only if nothing about its key changed since the read', async () => {
    const remote = await tier();
    const fresh = await remote.get('a');
    expect(await remote.setIfUnchanged(entry('a', 'loaded'), fresh.token)).toBe(true);
    expect(text((await remote.get('a')).entry)).toBe('loaded');

    const beforeWrite = await remote.get('a');
    await remote.setMany([entry('a', 'written')]);
    expect(await remote.setIfUnchanged(entry('a', 'stale'), beforeWrite.token)).toBe(false);

    const beforeKey = await remote.get('b');
    await remote.invalidate(['b']);
    expect(await remote.setIfUnchanged(entry('b', 'stale'), beforeKey.token)).toBe(false);

    const beforePrefix = await remote.get('p:1');
    await remote.invalidatePrefix('p:');
    expect(await remote.setIfUnchanged(entry('p:1', 'stale'), beforePrefix.token)).toBe(false);

    const beforeTag = await remote.get('t');
    await remote.invalidateTag('group');
    expect(await remote.setIfUnchanged(entry('t', 'stale', { tags: ['group'] }), beforeTag.token)).toBe(false);

    const unrelated = await remote.get('c');
    await remote.invalidatePrefix('zzz');
    await remote.invalidateTag('other');
    expect(await remote.setIfUnchanged(entry('c', 'fine', { tags: ['group'] }), unrelated.token)).toBe(true);

    expect(codeOf(await rejectionOf(remote.setIfUnchanged(entry('c', 'x'), { forged: true })))).toBe('INVALID_ARGUMENT');
  });

  it('refuses a loaded value whose read is older than the invalidation retention', async () => {
    const remote = await tier({ invalidationRetentionMs: 0 });
    const read = await remote.get('k');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await remote.setIfUnchanged(entry('k', 'late'), read.token)).toBe(false);
  });

  it('prunes expired entries and fails with STORE_CLOSED after close()', async () => {
    const remote = await tier();
    await remote.setMany([entry('old', 'x', { freshUntil: 1, staleUntil: 2 }), entry('new', 'y')]);
    expect(await remote.prune()).toMatchObject({ entries: 1 });
    expect((await remote.get('new')).entry).toBeDefined();
    await remote.close();
    expect(codeOf(await rejectionOf(remote.get('new')))).toBe('STORE_CLOSED');
  });

  it('lets two machines share values: one loads, the other hits the remote tier', async () => {
    const remote = await tier();
    let loads = 0;
    const load = (key: string): { key: string; n: number } => ({ key, n: ++loads });
    const machineA = createTieredCache({ name: 'machine-a', l1: { maxEntries: 10 }, broadcast: false, remote, load });
    const machineB = createTieredCache({ name: 'machine-b', l1: { maxEntries: 10 }, broadcast: false, remote, load });
    expect(await machineA.get('k')).toEqual({ key: 'k', n: 1 });
    expect(await machineB.get('k')).toEqual({ key: 'k', n: 1 });
    expect(loads).toBe(1);
    expect(machineB.stats().l3).toMatchObject({ hits: 1, loads: 0 });
    await machineA.invalidate('k');
    expect(await machineB.get('k')).toEqual({ key: 'k', n: 1 }); // B's own L1 keeps its copy (see l1.ttlMs)
    await Promise.all([machineA.close(), machineB.close()]);
  });

  it('never lets a slow load on one machine overwrite a newer value written by another', async () => {
    const remote = await tier();
    const started = deferred<void>();
    const gate = deferred<string>();
    const slow = createTieredCache<string>({
      name: 'slow',
      l1: { maxEntries: 10 },
      broadcast: false,
      remote,
      load: () => {
        started.resolve(); // called after the slow machine's remote read
        return gate.promise;
      },
    });
    const fast = createTieredCache<string>({ name: 'fast', l1: { maxEntries: 10 }, broadcast: false, remote, load: () => 'fresh' });
    const loading = slow.get('k');
    await started.promise;
    await fast.invalidate('k');
    expect(await fast.get('k')).toBe('fresh');
    gate.resolve('stale');
    expect(await loading).toBe('stale');
    const stored = (await remote.get('k')).entry;
    expect(serializer.decodeValue((stored as RemoteEntry).value)).toBe('fresh');
    expect(slow.peekL1('k')).toBeUndefined();
    expect(slow.stats().discardedLoads).toBe(1);
    await Promise.all([slow.close(), fast.close()]);
  });

  it('writes behind to the remote tier in batches and loses nothing on close()', async () => {
    const remote = await tier();
    const writer = createTieredCache<number>({
      name: 'writer',
      l1: { maxEntries: 1_000 },
      broadcast: false,
      remote,
      writePolicy: 'behind',
      writeBehind: { maxBatchSize: 64, maxDelayMs: 60_000 },
    });
    for (let i = 0; i < 300; i++) await writer.set(`k${i}`, i);
    await writer.delete('k7');
    await writer.close();
    expect(writer.stats().writeBehind).toMatchObject({ pending: 0, written: 300 });
    const reader = createTieredCache<number>({ name: 'reader', l1: { maxEntries: 1_000 }, broadcast: false, remote });
    expect(await reader.get('k299')).toBe(299);
    expect(await reader.get('k0')).toBe(0);
    expect(await reader.get('k7')).toBeUndefined();
    await reader.close();
  });
});
