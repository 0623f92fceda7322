import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { createPgPool, type PgClient, type PgPool } from '@strata/pool';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createSerializer } from '@strata/serialization';
import { appendBatchParameters, appendBatchStatement, appendOutcome, NOT_FIRST_WRITE, type AppendRow } from '../src/append/append-batch.js';
import { prepareEvents } from '../src/append/prepare-events.js';
import { SerializerCodec } from '../src/codec/serializer-codec.js';
import { POSITIONS_PER_TRANSACTION, createPostgresEventStore, type PostgresEventStore } from '../src/index.js';
import { tick } from './support/wait.js';

let server: PostgresServer;
let raw: PgPool;
let store: PostgresEventStore;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  raw = createPgPool({ connectionString: server.connectionString, min: 0, max: 4, name: 'raw', healthCheck: false });
  store = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'ordering' });
});

afterAll(async () => {
  await store?.close();
  await raw?.drain();
  await server?.stop();
});

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Holds a transaction that has a transaction id (so it holds the snapshot's xmin back) until `release` resolves. */
async function holdTransaction(release: Promise<void>, started: () => void): Promise<void> {
  await raw.withClient(async (client: PgClient) => {
    await client.query('BEGIN');
    await client.query('SELECT pg_current_xact_id()');
    started();
    await release;
    await client.query('COMMIT');
  });
}

it('numbers an append by its transaction: position = (transaction id - base) * 16384 + index', async () => {
  const result = await store.append('tx-1', [0, 1, 2].map((n) => ({ type: 'T', data: { n } })));
  const { rows } = await raw.query<{ position: string; tx_id: string; base: string }>(
    'SELECT e.position, e.tx_id::text AS tx_id, s.position_base AS base FROM ordering.events e, ordering.store_settings s WHERE e.stream_id = $1 ORDER BY e.position',
    ['tx-1'],
  );
  const base = BigInt(rows[0]!.base);
  expect(rows.map((row) => BigInt(row.position))).toEqual(
    rows.map((row, i) => (BigInt(row.tx_id) - base) * BigInt(POSITIONS_PER_TRANSACTION) + BigInt(i)),
  );
  expect(Number(rows.at(-1)!.position)).toBe(result.position);
});

it('lets an older open transaction hold back global readers, and shows a store its own appends once it ends', async () => {
  let release!: () => void;
  let started!: () => void;
  const open = new Promise<void>((resolve) => (started = resolve));
  const holder = holdTransaction(new Promise<void>((resolve) => (release = resolve)), () => started());
  await open;
  const appended = await store.append('late-1', [{ type: 'T', data: null }]);

  // Another store instance reads the stable prefix at once: the new event is above the bound.
  const other = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'ordering' });
  const seenByOther = await collect(other.readAll());
  expect(seenByOther.some((e) => e.position === appended.position)).toBe(false);
  expect(await collect(other.readStream('late-1')), 'stream reads are not held back').toHaveLength(1);

  // This instance acknowledged the append, so its global read waits for the holder to end.
  let read: RecordedEvent[] | undefined;
  const reading = collect(store.readAll()).then((events) => (read = events));
  for (let i = 0; i < 20; i++) await tick();
  expect(read, 'the read waits while the older transaction is open').toBeUndefined();
  release();
  await holder;
  await reading;
  expect(read!.at(-1)?.position).toBe(appended.position);
  expect((await collect(other.readAll())).at(-1)?.position, 'and now everyone sees it').toBe(appended.position);
  await other.close();
});

it("starts a subscription from 'end' after this instance's own appends, and delivers what comes next", async () => {
  await store.append('end-1', [{ type: 'Before', data: null }]);
  const delivered: RecordedEvent[] = [];
  let caughtUp!: () => void;
  const live = new Promise<void>((resolve) => (caughtUp = resolve));
  const subscription = store.subscribe({ from: 'end', handler: (e) => void delivered.push(e), onCaughtUp: () => caughtUp() });
  await live;
  const next = await store.append('end-1', [{ type: 'After', data: null }]);
  await subscription.waitFor(next.position);
  await subscription.stop();
  expect(delivered.map((e) => e.type)).toEqual(['After']);
});

it('refuses to append in a transaction that already wrote (concurrent ordering), and allows it in strict ordering', async () => {
  const codec = new SerializerCodec(createSerializer({ format: 'msgpack' }));
  const strict = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'ordering_strict', ordering: 'strict' });
  const appendAfterWrite = (schema: string) =>
    raw.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_current_xact_id()');
        const events = prepareEvents(codec, [{ type: 'T', data: null }], 1_000_000);
        await client.query(appendBatchStatement(schema, codec), appendBatchParameters([{ stream: 'late-2', expected: 'any', events }], codec));
        await client.query('COMMIT');
        return 'committed';
      } catch (error) {
        await client.query('ROLLBACK');
        return (error as { code?: string }).code;
      }
    });
  expect(await appendAfterWrite('ordering')).toBe(NOT_FIRST_WRITE);
  expect(await appendAfterWrite('ordering_strict')).toBe('committed');
  expect((await strict.streamInfo('late-2'))?.version).toBe(0);
  await strict.close();
});

it('reads the global log at once after the newest events were hard-deleted', async () => {
  const own = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'ordering_deleted' });
  const kept = await own.append('kept-1', [{ type: 'T', data: 1 }]);
  await own.append('gone-1', [{ type: 'T', data: 2 }]);
  await own.deleteStream('gone-1', { hard: true });
  expect((await collect(own.readAll())).map((e) => e.streamId)).toEqual(['kept-1']);
  expect(await own.headPosition()).toBe(kept.position);
  await own.close();
});

it('recognises an append sent again after a lost answer, with generated event ids, and stores it once', async () => {
  const codec = new SerializerCodec(createSerializer({ format: 'msgpack' }));
  const events = prepareEvents(codec, [0, 1, 2].map((n) => ({ type: 'Resent', data: { n } })), 1_000_000);
  const request = { stream: 'resent-1', expected: 'no_stream' as const, events };
  const send = async () => {
    const { rows } = await raw.query<AppendRow>(
      { ...appendBatchStatement('ordering', codec), rowMode: 'array' },
      appendBatchParameters([request], codec),
    );
    const [outcome, version, position, found] = rows[0]!;
    return appendOutcome(request, [Number(outcome), Number(version), position === null ? null : Number(position), found], codec);
  };
  const first = await send();
  expect(await send()).toEqual(first);
  expect((await collect(store.readStream('resent-1'))).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
});

it('groups concurrent small appends into one transaction and sends large ones on their own', async () => {
  const transactionOf = async (stream: string) => {
    const { rows } = await raw.query<{ tx_id: string }>('SELECT DISTINCT tx_id::text AS tx_id FROM ordering.events WHERE stream_id = $1', [stream]);
    expect(rows).toHaveLength(1);
    return rows[0]!.tx_id;
  };
  const small = ['group-a', 'group-b', 'group-c'];
  await Promise.all(small.map((stream) => store.append(stream, [{ type: 'T', data: stream }])));
  expect(new Set(await Promise.all(small.map(transactionOf))).size, 'one transaction for the small appends').toBe(1);

  const large = ['group-d', 'group-e'];
  const hundred = Array.from({ length: 100 }, (_, n) => ({ type: 'T', data: n }));
  await Promise.all(large.map((stream) => store.append(stream, hundred)));
  expect(new Set(await Promise.all(large.map(transactionOf))).size, 'one transaction per large append').toBe(2);
});
