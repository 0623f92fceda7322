import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { EventData } from '@strata/core';
import { createLmdbEventStore, type LmdbEventStore } from '@strata/store-lmdb';
import type { BenchCase, Measurement, RunContext, Suite, Target } from '../harness/types.js';
import { depositEvent } from './store-lmdb-fixtures.js';

/**
 * Durable appends of the LMDB event store (durability 'flush', the default: acknowledged once the
 * transaction is flushed to disk) against raw lmdb-js doing the same puts in the same run.
 *
 * - 64 writers, one event per append, over 10,000 streams, against 64 writers each doing
 *   `await db.put(key, bytes); await db.flushed` on raw lmdb-js (lmdb-js batches the puts of one
 *   event-loop turn into one transaction). `bytes` is the record the store writes for the same
 *   event (its serializer's output), so the baseline does no encoding and no checks.
 * - 32 writers, 100 events per append, against 32 writers each putting the same 100 encoded
 *   records (100 puts, then awaiting the last put and the flush).
 * - Latency at half load: the maximum single-event rate is measured with 64 writers, then appends
 *   arrive open-loop at half that rate; latency runs from each append's scheduled arrival to its
 *   acknowledgement (p50/p99 over all repetitions).
 */

const STREAMS = 10_000;
const BATCH = 100;
const SINGLE_WRITERS = 64;
const BATCH_WRITERS = 32;
/** Distinct events cycled through (distinct ids and values; encoding work like a real workload). */
const VARIANTS = 1024;

const events: EventData[] = Array.from({ length: VARIANTS }, (_, i) => depositEvent(i));
const batches: EventData[][] = Array.from({ length: 16 }, (_, b) => Array.from({ length: BATCH }, (_, i) => depositEvent(b * BATCH + i)));

type Raw = { root: RootDatabase; log: Database<Uint8Array, number>; records: Uint8Array[] };

/** A raw lmdb-js environment with a binary log, and the store's encoded record of each event variant. */
async function openRaw(ctx: RunContext): Promise<Raw> {
  const encoder = await createLmdbEventStore({ path: join(ctx.tmpDir, 'encoder'), durability: 'none' });
  const records = events.map((event, i) =>
    Buffer.from(
      encoder.serializer.encodeRecord({
        streamId: `account-${i % STREAMS}`,
        version: i,
        position: i,
        id: crypto.randomUUID(),
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        recordedAt: Date.now(),
      }),
    ),
  );
  await encoder.close();
  const root = open({ path: join(ctx.tmpDir, 'raw') });
  return { root, log: root.openDB<Uint8Array, number>('log', { encoding: 'binary' }), records };
}

let rawSingle: Raw;
let rawBatch: Raw;
let single: LmdbEventStore;
let own: LmdbEventStore;
let batched: LmdbEventStore;
let latencyStore: LmdbEventStore;
let key = 0;
let next = 0;

async function rawPut(): Promise<void> {
  const k = ++key;
  await rawSingle.log.put(k, rawSingle.records[k % VARIANTS] as Uint8Array);
  await rawSingle.log.flushed;
}

async function rawPutBatch(): Promise<void> {
  let last: Promise<boolean> | undefined;
  const offset = Math.floor(key / BATCH) % 16;
  for (let i = 0; i < BATCH; i++) last = rawBatch.log.put(++key, rawBatch.records[(offset * BATCH + i) % VARIANTS] as Uint8Array);
  await last;
  await rawBatch.log.flushed;
}

/** The highest single-event rate of 64 closed-loop writers over `ms`, in appends/s. */
async function maxRate(store: LmdbEventStore, ms: number): Promise<number> {
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SINGLE_WRITERS }, async () => {
      while (performance.now() - started < ms) {
        const n = ++next;
        await store.append(`account-${n % STREAMS}`, [events[n % VARIANTS] as EventData]);
        done++;
      }
    }),
  );
  return (done * 1000) / (performance.now() - started);
}

/** Open-loop appends at half the maximum rate; latency from scheduled arrival to acknowledgement. */
async function halfLoadLatency(ctx: RunContext): Promise<Measurement> {
  const max = await maxRate(latencyStore, Math.max(300, ctx.warmupMs));
  const rate = max / 2;
  const latenciesNs: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let issued = 0;
  while (performance.now() - started < ctx.durationMs) {
    const due = Math.floor(((performance.now() - started) * rate) / 1000);
    for (; issued < due; issued++) {
      const scheduled = started + (issued * 1000) / rate;
      const n = ++next;
      const append = latencyStore.append(`account-${n % STREAMS}`, [events[n % VARIANTS] as EventData]).then(() => {
        latenciesNs.push((performance.now() - scheduled) * 1e6);
        inFlight.delete(append);
      });
      inFlight.add(append);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  return { ops: latenciesNs.length, elapsedMs: performance.now() - started, latenciesNs, extra: { maxAppendsPerSec: max, offeredPerSec: rate } };
}

const cases: BenchCase[] = [
  {
    name: 'lmdb-js put + flushed, 64 writers',
    role: 'baseline',
    concurrency: SINGLE_WRITERS,
    setup: async (ctx) => {
      rawSingle = await openRaw(ctx);
    },
    fn: rawPut,
    teardown: () => rawSingle.root.close(),
  },
  {
    name: 'append 1 event, 64 writers',
    role: 'subject',
    concurrency: SINGLE_WRITERS,
    setup: async (ctx) => {
      single = await createLmdbEventStore({ path: join(ctx.tmpDir, 'store') });
    },
    fn: () => {
      const n = ++next;
      return single.append(`account-${n % STREAMS}`, [events[n % VARIANTS] as EventData]);
    },
    teardown: () => single.close(),
  },
  {
    name: 'append 1 event, 64 writers, a stream each',
    role: 'subject',
    concurrency: SINGLE_WRITERS,
    setup: async (ctx) => {
      own = await createLmdbEventStore({ path: join(ctx.tmpDir, 'store') });
    },
    fn: () => {
      const n = ++next;
      return own.append(`account-${n % SINGLE_WRITERS}`, [events[n % VARIANTS] as EventData]);
    },
    teardown: () => own.close(),
  },
  {
    name: 'lmdb-js 100 puts + flushed, 32 writers',
    role: 'baseline',
    concurrency: BATCH_WRITERS,
    opsPerCall: BATCH,
    setup: async (ctx) => {
      rawBatch = await openRaw(ctx);
    },
    fn: rawPutBatch,
    teardown: () => rawBatch.root.close(),
  },
  {
    name: 'append 100 events, 32 writers',
    role: 'subject',
    concurrency: BATCH_WRITERS,
    opsPerCall: BATCH,
    setup: async (ctx) => {
      batched = await createLmdbEventStore({ path: join(ctx.tmpDir, 'store') });
    },
    fn: () => {
      const n = ++next;
      return batched.append(`account-${n % STREAMS}`, batches[n % 16] as EventData[]);
    },
    teardown: () => batched.close(),
  },
  {
    name: 'append latency at half the maximum rate',
    role: 'subject',
    setup: async (ctx) => {
      latencyStore = await createLmdbEventStore({ path: join(ctx.tmpDir, 'store') });
    },
    measure: halfLoadLatency,
    teardown: () => latencyStore.close(),
  },
];

const targets: Target[] = [
  { kind: 'ratio', subject: 'append 1 event, 64 writers', baseline: 'lmdb-js put + flushed, 64 writers', min: 0.8, description: 'durable single-event append overhead' },
  { kind: 'ratio', subject: 'append 100 events, 32 writers', baseline: 'lmdb-js 100 puts + flushed, 32 writers', min: 0.65, description: 'durable batch append overhead' },
  { kind: 'opsPerSec', subject: 'append 100 events, 32 writers', min: 500_000, description: 'durable batch appends, events/s' },
];

const suite: Suite = {
  id: 'store-lmdb-append',
  title: 'LMDB event store: durable appends',
  description:
    "Durable appends (durability 'flush': acknowledged after the flush) of the LMDB event store against raw lmdb-js putting the " +
    "store's own encoded records and awaiting the flush, in the same run: 64 single-event writers, 32 writers of 100-event " +
    'batches (events/s), and the latency of single-event appends arriving open-loop at half the maximum rate.',
  cases,
  targets,
};

export default suite;
