import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '@strata/store-postgres';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { writeSampleStore } from './support/fixtures.js';
import { runStrata } from './support/run-strata.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-inspect-'));
const lmdbPath = join(dir, 'events');
let server: PostgresServer;

beforeAll(async () => {
  await writeSampleStore(lmdbPath);
  server = await startPostgres({ fast: true });
  const store = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'inspected' });
  try {
    await store.append('account-1', [{ type: 'Opened', data: { owner: 'ann' } }, { type: 'Deposited', data: { amount: 5 } }]);
    await store.append('account_x-2', [{ type: 'Opened', data: { owner: 'bob' } }]);
    await store.append('order-7', [{ type: 'Placed', data: {} }], { expectedVersion: 'no_stream' });
    await store.checkpoints.save('balances', 3);
  } finally {
    await store.close();
  }
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function json(args: string[]): Promise<Record<string, unknown>> {
  const run = await runStrata([...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('strata inspect on LMDB', () => {
  it('reports events, streams, head position, format and size, and leaves the files untouched', async () => {
    const before = createHash('sha256').update(readFileSync(join(lmdbPath, 'data.mdb'))).digest('hex');
    const stats = await json(['inspect', '--store', lmdbPath]);
    expect(stats).toMatchObject({ backend: 'lmdb', events: 33, streams: 8, headPosition: 34 });
    expect(stats['format']).toMatchObject({ store: '@strata/store-lmdb', serializer: 'msgpack' });
    expect((stats['storage'] as { bytes: number }[])[0]!.bytes).toBeGreaterThan(0);
    const text = await runStrata(['inspect', '--store', lmdbPath]);
    expect(text.stdout).toMatch(/events:\s+33/);
    const after = createHash('sha256').update(readFileSync(join(lmdbPath, 'data.mdb'))).digest('hex');
    expect(after).toBe(before);
  });

  it('lists streams by category with a limit', async () => {
    const all = await json(['inspect', 'streams', '--store', lmdbPath]);
    expect(all['total']).toBe(8);
    const accounts = (await json(['inspect', 'streams', '--store', lmdbPath, '--category', 'account', '--limit', '2'])) as {
      total: number;
      streams: { streamId: string; events: number; version: number }[];
    };
    expect(accounts.total).toBe(6);
    expect(accounts.streams).toEqual([
      expect.objectContaining({ streamId: 'account-0', events: 5, version: 4 }),
      expect.objectContaining({ streamId: 'account-1', events: 5, version: 4 }),
    ]);
  });

  it('shows one stream with versions, positions, types, metadata and optionally data', async () => {
    const order = (await json(['inspect', 'stream', 'order-1', '--store', lmdbPath, '--data'])) as {
      info: { metadata: unknown };
      events: { version: number; type: string; id: string; schemaVersion: number; data: unknown }[];
    };
    expect(order.info.metadata).toEqual({ owner: 'ann', tags: ['vip'] });
    expect(order.events.map((e) => [e.version, e.type, e.schemaVersion])).toEqual([
      [0, 'Placed', 1],
      [1, 'Shipped', 2],
    ]);
    expect(order.events[0]!.id).toBe('order-1-placed');
    expect(order.events[0]!.data).toEqual({ total: '12345678901234567890', lines: [{ sku: 'a', qty: 2 }] });
    const soft = (await json(['inspect', 'stream', 'cart-9', '--store', lmdbPath])) as { events: { version: number; data?: unknown }[] };
    expect(soft.events.map((e) => e.version)).toEqual([2]);
    expect(soft.events[0]).not.toHaveProperty('data');
    const backward = (await json(['inspect', 'stream', 'account-2', '--store', lmdbPath, '--backward', '--limit', '2'])) as { events: { version: number }[] };
    expect(backward.events.map((e) => e.version)).toEqual([4, 3]);
    const text = await runStrata(['inspect', 'stream', 'order-1', '--store', lmdbPath]);
    expect(text.stdout).toContain('Shipped (v2)');
  });

  it('pages the global log from a position, with filters', async () => {
    const page = (await json(['inspect', 'events', '--store', lmdbPath, '--from', '28', '--limit', '3'])) as { events: { position: number; streamId: string }[] };
    expect(page.events.map((e) => e.position)).toEqual([28, 29, 30]);
    const typed = (await json(['inspect', 'events', '--store', lmdbPath, '--type', 'ItemAdded'])) as { events: { streamId: string; version: number }[] };
    expect(typed.events.map((e) => e.version)).toEqual([2]);
  });

  it('refuses a bad stream id with a typed error', async () => {
    const run = await runStrata(['inspect', 'stream', 'no category', '--store', lmdbPath]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^INVALID_ARGUMENT: /);
  });
});

describe('strata inspect on PostgreSQL', () => {
  it('reports counts, table sizes, format and checkpoints', async () => {
    const stats = await json(['inspect', '--store', server.connectionString, '--schema', 'inspected']);
    expect(stats).toMatchObject({ backend: 'postgres', events: 4, streams: 3 });
    expect(stats['format']).toMatchObject({ schema: 'inspected', ordering: 'concurrent', payload: 'msgpack' });
    expect((stats['storage'] as { name: string }[]).map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'streams', 'checkpoints']));
    expect(stats['checkpoints']).toEqual([{ name: 'balances', position: 3 }]);
  });

  it('lists streams of a category (an underscore in it is not a wildcard) and reads streams and the log', async () => {
    const accounts = (await json(['inspect', 'streams', '--store', server.connectionString, '--schema', 'inspected', '--category', 'account'])) as {
      total: number;
      streams: { streamId: string; events: number; version: number }[];
    };
    expect(accounts.total).toBe(1);
    expect(accounts.streams).toEqual([expect.objectContaining({ streamId: 'account-1', events: 2, version: 1 })]);
    const stream = (await json(['inspect', 'stream', 'account-1', '--store', server.connectionString, '--schema', 'inspected', '--data'])) as {
      events: { type: string; data: unknown }[];
    };
    expect(stream.events.map((e) => e.type)).toEqual(['Opened', 'Deposited']);
    const log = (await json(['inspect', 'events', '--store', server.connectionString, '--schema', 'inspected'])) as { events: { streamId: string }[] };
    expect(log.events.map((e) => e.streamId)).toEqual(['account-1', 'account-1', 'account_x-2', 'order-7']);
  });

  it('fails with a typed error when the server is unreachable', async () => {
    const run = await runStrata(['inspect', '--store', 'postgres://nobody@127.0.0.1:1/none']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^[A-Z_]+: /);
  });
});
