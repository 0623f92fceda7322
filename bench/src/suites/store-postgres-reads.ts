import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EventData } from '@strata/core';
import { createSerializer } from '@strata/serialization';
import type { PostgresEventStore } from '@strata/store-postgres';
import type { BenchCase, Measurement, RunContext } from '../harness/types.js';
import { catchUpSlices } from './catch-up-slices.js';
import { RAW_COLUMNS, createRawTable, multiRowInsert, openStore, rawPool, releaseServer, serverUrl, useServer } from './store-postgres-fixtures.js';

/**
 * The read cases of the PostgreSQL suite: a 100-event stream read and catch-up reads of the log, each beside
 * raw pg SELECTs of the same rows. Each has two baselines: the rows alone (payloads left as
 * bytes), and the rows with each payload decoded by the same serializer, which is what the store
 * delivers (events with their data).
 */

const event: EventData = { type: 'Deposited', data: { amount: 100, currency: 'EUR', reference: 'bench' } };
const serializer = createSerializer({ format: 'msgpack' });
const BATCH = 100;
const batchEvents = Array.from({ length: BATCH }, (_, i) => ({ ...event, data: { amount: i, currency: 'EUR', reference: 'bench' } }));
const batchPayloads = batchEvents.map((e) => Buffer.from(serializer.encodeEvent(e)));
/** Events preloaded for the catch-up cases. */
const CATCH_UP_EVENTS = 200_000;
const CATCH_UP_EVENTS_QUICK = 20_000;
const PAGE = 512;

// --- reads ---------------------------------------------------------------------------------------

let rawRead: pg.Pool;
let readStore: PostgresEventStore;
const READ_SQL = `SELECT ${RAW_COLUMNS}, recorded_at FROM raw_read.events WHERE stream_id = $1 ORDER BY version`;

export const readCases: BenchCase[] = [
  {
    name: 'pg SELECT 100 rows',
    role: 'baseline',
    concurrency: 4,
    async setup() {
      rawRead = await rawPool((await useServer()).connectionString, 4);
      await createRawTable(rawRead, 'raw_read');
      const values = batchPayloads.flatMap((payload, version) => ['read-1', version, randomUUID(), event.type, payload]);
      await rawRead.query(multiRowInsert('raw_read', BATCH), values);
    },
    async fn() {
      const { rows } = await rawRead.query({ name: 'raw-read', text: READ_SQL, values: ['read-1'] });
      if (rows.length !== BATCH) throw new Error(`read ${rows.length} rows`);
    },
    async teardown() {
      await rawRead.end();
      await releaseServer();
    },
  },
  {
    name: 'pg SELECT 100 rows + decode',
    role: 'baseline',
    concurrency: 4,
    async fn() {
      const { rows } = await rawRead.query<{ payload: Buffer }>({ name: 'raw-read', text: READ_SQL, values: ['read-1'] });
      for (const row of rows) serializer.decodeEvent(row.payload);
      if (rows.length !== BATCH) throw new Error(`read ${rows.length} rows`);
    },
  },
  {
    name: 'strata readStream 100 events',
    role: 'subject',
    concurrency: 4,
    async setup() {
      readStore = await openStore('bench_read', 4);
      await readStore.append('read-1', batchEvents);
    },
    async fn() {
      let count = 0;
      for await (const _ of readStore.readStream('read-1')) count++;
      if (count !== BATCH) throw new Error(`read ${count} events`);
    },
    async teardown() {
      await readStore.close();
      await releaseServer();
    },
  },
];

// --- catch-up ------------------------------------------------------------------------------------

let catchUpStore: PostgresEventStore;
let rawCatchUpPool: pg.Pool;
const KEYSET_SQL = `SELECT ${RAW_COLUMNS}, recorded_at FROM raw_catchup.events WHERE position > $1 ORDER BY position LIMIT ${PAGE}`;

async function fillCatchUp(ctx: RunContext): Promise<void> {
  const catchUpCount = ctx.quick ? CATCH_UP_EVENTS_QUICK : CATCH_UP_EVENTS;
  catchUpStore = await openStore('bench_catchup', 4);
  // The raw copy shares the store's server (and its one reference to it).
  rawCatchUpPool = await rawPool(serverUrl(), 1);
  const appends = catchUpCount / 1_000;
  for (let i = 0; i < appends; i += 4) {
    await Promise.all(
      Array.from({ length: Math.min(4, appends - i) }, (_, k) =>
        catchUpStore.append(`catchup-${i + k}`, Array.from({ length: 1_000 }, (_, e) => ({ ...event, data: { amount: e, currency: 'EUR', reference: 'bench' } }))),
      ),
    );
  }
  await createRawTable(rawCatchUpPool, 'raw_catchup');
  // The same rows, copied: the baseline reads exactly what the store reads.
  await rawCatchUpPool.query(
    `INSERT INTO raw_catchup.events (${RAW_COLUMNS}, recorded_at) SELECT ${RAW_COLUMNS}, recorded_at FROM bench_catchup.events`,
  );
  await rawCatchUpPool.query('VACUUM ANALYZE raw_catchup.events');
  await rawCatchUpPool.query('VACUUM ANALYZE bench_catchup.events');
}

/**
 * Catch-up is measured in the suite's slices: each case reads the log on from where its previous
 * slice stopped, for the slice's duration, and starts again at the beginning once it has read
 * everything. Over a repetition every case reads the whole log several times; slices put the
 * baselines and the store in the same moments of the machine.
 */
const rawCursors = { plain: -1, decoded: -1 };

/** Keyset pages of the raw copy for `ms`; `decode` turns each payload into its event the way the store does. */
async function rawCatchUpFor(decode: boolean, ms: number): Promise<Measurement> {
  const key = decode ? 'decoded' : 'plain';
  const started = performance.now();
  let after = rawCursors[key];
  let ops = 0;
  let elapsedMs: number;
  do {
    const { rows } = await rawCatchUpPool.query<{ position: string; payload: Buffer }>({ name: 'raw-keyset', text: KEYSET_SQL, values: [after] });
    if (decode) for (const row of rows) serializer.decodeEvent(row.payload);
    ops += rows.length;
    after = rows.length < PAGE ? -1 : Number(rows.at(-1)!.position);
    elapsedMs = performance.now() - started;
  } while (elapsedMs < ms);
  rawCursors[key] = after;
  return { ops, elapsedMs };
}

async function rawCatchUp(ctx: RunContext, decode: boolean): Promise<Measurement> {
  if (ctx.warmupMs > 0) await rawCatchUpFor(decode, ctx.warmupMs);
  return rawCatchUpFor(decode, ctx.durationMs);
}

export const catchUpCases: BenchCase[] = [
  {
    name: 'pg keyset SELECT catch-up',
    role: 'baseline',
    async setup(ctx) {
      await fillCatchUp(ctx);
    },
    measure: (ctx) => rawCatchUp(ctx, false),
    async teardown() {
      await rawCatchUpPool.end();
      await catchUpStore.close();
      await releaseServer();
    },
  },
  {
    name: 'pg keyset SELECT + decode catch-up',
    role: 'baseline',
    measure: (ctx) => rawCatchUp(ctx, true),
  },
  {
    name: 'strata subscription catch-up',
    role: 'subject',
    measure: catchUpSlices(() => catchUpStore, PAGE),
  },
];

