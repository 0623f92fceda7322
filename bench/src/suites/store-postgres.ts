import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { getPostgreSQLEventStore, type PostgresEventStore as EmmettStore } from '@event-driven-io/emmett-postgresql';
import { isStrataError, type EventData } from '@strata/core';
import { createPgPool, type PgPool } from '@strata/pool';
import { createSerializer } from '@strata/serialization';
import { createPostgresEventStore, type PostgresEventStore } from '@strata/store-postgres';
import type { BenchCase, Suite, Target } from '../harness/types.js';
import { createRawTable, multiRowInsert, openStore, rawPool, releaseServer, useServer } from './store-postgres-fixtures.js';
import { catchUpCases, readCases } from './store-postgres-reads.js';

/**
 * The PostgreSQL event store against raw `pg` doing the same work on a table of the same shape
 * (same columns, primary key and unique indexes), and against Emmett's PostgreSQL event store, all
 * on one PostgreSQL server with durable default settings (fsync and synchronous commit on), in the
 * same run. Appends are `expectedVersion: 'any'` over 1,000 streams; the raw single-row INSERT
 * keeps no stream rows and does no version check, which is what the store adds. The store's group
 * commit shares one transaction among the appends of an event-loop turn, where raw pg and Emmett
 * commit each INSERT on its own; the case without group commit shows the store's own path alone.
 * Reads (`store-postgres-reads.ts`) compare a 100-event stream read and catch-up reads with raw
 * SELECTs of the same rows. The last case measures how fast a call fails while the breaker is open.
 */

const event: EventData = { type: 'Deposited', data: { amount: 100, currency: 'EUR', reference: 'bench' } };
const serializer = createSerializer({ format: 'msgpack' });
const encoded = Buffer.from(serializer.encodeEvent(event));
const STREAMS = 1_000;
const BATCH = 100;

let n = 0;

// --- single-event appends, 10 in flight -------------------------------------------------------

let rawSingle: pg.Pool;
const rawVersions = new Map<string, number>();
let single: PostgresEventStore;
let unbatched: PostgresEventStore;
let emmett: EmmettStore;

const singleCases: BenchCase[] = [
  {
    name: 'pg INSERT 1 row, 10 in flight',
    role: 'baseline',
    concurrency: 10,
    async setup() {
      rawSingle = await rawPool((await useServer()).connectionString, 10);
      await createRawTable(rawSingle, 'raw_single');
    },
    fn() {
      const stream = `account-${++n % STREAMS}`;
      const version = rawVersions.get(stream) ?? 0;
      rawVersions.set(stream, version + 1);
      return rawSingle.query({ name: 'raw-single', text: multiRowInsert('raw_single', 1), values: [stream, version, randomUUID(), event.type, encoded] });
    },
    async teardown() {
      await rawSingle.end();
      await releaseServer();
    },
  },
  {
    name: 'strata append 1 event, 10 in flight',
    role: 'subject',
    concurrency: 10,
    async setup() {
      single = await openStore('bench_single', 10);
    },
    fn: () => single.append(`account-${++n % STREAMS}`, [event]),
    async teardown() {
      await single.close();
      await releaseServer();
    },
  },
  {
    name: 'strata append 1 event, 10 in flight, no group commit',
    role: 'subject',
    concurrency: 10,
    async setup() {
      unbatched = await createPostgresEventStore({
        connectionString: (await useServer()).connectionString,
        schema: 'bench_unbatched',
        groupCommit: false,
        poolOptions: { min: 10, max: 10 },
      });
    },
    fn: () => unbatched.append(`account-${++n % STREAMS}`, [event]),
    async teardown() {
      await unbatched.close();
      await releaseServer();
    },
  },
  {
    name: 'Emmett appendToStream 1 event, 10 in flight',
    role: 'baseline',
    concurrency: 10,
    async setup() {
      emmett = getPostgreSQLEventStore((await useServer()).connectionString);
      await emmett.appendToStream('warm-1', [{ type: event.type, data: event.data as Record<string, unknown> }]);
    },
    fn: () => emmett.appendToStream(`account-${++n % STREAMS}`, [{ type: event.type, data: event.data as Record<string, unknown> }]),
    async teardown() {
      await emmett.close();
      await releaseServer();
    },
  },
];

// --- 100-event batches ---------------------------------------------------------------------------

let rawBatch: pg.Pool;
let batchStore: PostgresEventStore;
const batchEvents = Array.from({ length: BATCH }, (_, i) => ({ ...event, data: { amount: i, currency: 'EUR', reference: 'bench' } }));
const batchPayloads = batchEvents.map((e) => Buffer.from(serializer.encodeEvent(e)));
let batchStream = 0;

const batchCases: BenchCase[] = [
  {
    name: 'pg INSERT 100 rows',
    role: 'baseline',
    concurrency: 4,
    opsPerCall: BATCH,
    async setup() {
      rawBatch = await rawPool((await useServer()).connectionString, 4);
      await createRawTable(rawBatch, 'raw_batch');
    },
    fn() {
      const stream = `batch-${++batchStream}`;
      const values = batchPayloads.flatMap((payload, version) => [stream, version, randomUUID(), event.type, payload]);
      return rawBatch.query({ name: 'raw-batch', text: multiRowInsert('raw_batch', BATCH), values });
    },
    async teardown() {
      await rawBatch.end();
      await releaseServer();
    },
  },
  {
    name: 'strata append 100 events',
    role: 'subject',
    concurrency: 4,
    opsPerCall: BATCH,
    async setup() {
      batchStore = await openStore('bench_batch', 4);
    },
    fn: () => batchStore.append(`batch-${++batchStream}`, batchEvents),
    async teardown() {
      await batchStore.close();
      await releaseServer();
    },
  },
];

// --- breaker -------------------------------------------------------------------------------------

let tripped: PgPool;

const breakerCases: BenchCase[] = [
  {
    name: 'breaker open: CIRCUIT_OPEN',
    role: 'subject',
    async setup() {
      // A server that refuses connections: a few failures open the breaker, which then stays open.
      tripped = createPgPool({
        connectionString: 'postgresql://postgres@127.0.0.1:1/none',
        name: 'bench-breaker',
        min: 0,
        max: 1,
        breaker: { volumeThreshold: 1, errorThresholdPercentage: 1, resetTimeoutMs: 3_600_000 },
        retry: { maxAttempts: 1 },
        healthCheck: false,
      });
      for (let i = 0; i < 3; i++) await tripped.query('SELECT 1').catch(() => undefined);
      if (tripped.breakerState !== 'open') throw new Error(`the breaker is ${tripped.breakerState}`);
    },
    fn: () =>
      tripped.query('SELECT 1').then(
        () => {
          throw new Error('a query succeeded through an open breaker');
        },
        (error: unknown) => {
          if (!isStrataError(error, 'CIRCUIT_OPEN')) throw error;
        },
      ),
    teardown: () => tripped.drain(),
  },
];

const targets: Target[] = [
  { kind: 'ratio', subject: 'strata append 1 event, 10 in flight', baseline: 'pg INSERT 1 row, 10 in flight', min: 0.8, description: 'single-event append overhead' },
  { kind: 'ratio', subject: 'strata append 1 event, 10 in flight', baseline: 'Emmett appendToStream 1 event, 10 in flight', min: 2, description: 'against Emmett' },
  { kind: 'ratio', subject: 'strata append 100 events', baseline: 'pg INSERT 100 rows', min: 0.65, description: 'batch append overhead' },
  { kind: 'ratio', subject: 'strata readStream 100 events', baseline: 'pg SELECT 100 rows', min: 0.8, description: 'stream read against rows left undecoded' },
  { kind: 'ratio', subject: 'strata readStream 100 events', baseline: 'pg SELECT 100 rows + decode', min: 0.8, description: 'stream read against the same decoding' },
  { kind: 'ratio', subject: 'strata subscription catch-up', baseline: 'pg keyset SELECT catch-up', min: 0.8, description: 'catch-up against rows left undecoded' },
  { kind: 'ratio', subject: 'strata subscription catch-up', baseline: 'pg keyset SELECT + decode catch-up', min: 0.8, description: 'catch-up against the same decoding' },
  { kind: 'latency', subject: 'breaker open: CIRCUIT_OPEN', percentile: 99, maxMs: 1, description: 'fail fast while open' },
];

const suite: Suite = {
  id: 'store-postgres',
  title: 'PostgreSQL event store',
  description:
    'Appends (single events with 10 in flight, 100-event batches), a 100-event stream read and a full catch-up on one ' +
    'durable PostgreSQL server, against raw pg on a table of the same shape and against Emmett; and the time a call ' +
    'takes to fail while the breaker is open. Every case is measured in interleaved 250 ms slices; a catch-up slice ' +
    'reads on from where the previous one stopped (a subscription resuming at its position), back to the start at the end.',
  cases: [...singleCases, ...batchCases, ...readCases, ...catchUpCases, ...breakerCases],
  targets,
  // One durable server on the same two cores: its commit flushes and checkpoints slow whatever runs
  // at the time. Slices spread that over every case instead of one case's window.
  sliceMs: 250,
};

export default suite;
