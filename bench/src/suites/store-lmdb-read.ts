import type { RecordedEvent } from '@strata/core';
import type { BenchCase, Measurement, RunContext, Suite, Target } from '../harness/types.js';
import { STREAM_LENGTH, readFixture, type ReadFixture } from './store-lmdb-fixtures.js';

/**
 * Reads of the LMDB event store against raw lmdb-js reading the same data, in the same run.
 *
 * Data: 1M events (100k in quick mode) of a 10-field deposit (~150 bytes of MessagePack each),
 * written twice: appended 100 at a time, one append per stream (the store keeps such an append
 * as one log chunk), and appended one at a time round-robin over the same streams (one chunk per
 * event). The raw baseline is an lmdb-js database keyed by the batch store's global positions
 * whose values are the very payload bytes of those events, decoded by msgpackr with the same
 * record structures (the database's encoder is the Packr, so lmdb-js hands it each value without
 * copying: lmdb-js's own decoding path).
 *
 * - readAll decoded: `for await` over `readAll()` (RecordedEvent objects with coordinates, a Date
 *   and decoded data and metadata) against a raw `getRange` over every position decoding each payload.
 *   A second baseline ("whole events") decodes, per position, the whole recorded event stored as
 *   one msgpackr record (the information a RecordedEvent carries), as the serialization suite does.
 * - readAll lazy: `readAllLazy()` reading `type` and `position` of each view, payloads untouched.
 * - readStream: a random stream's 100 events against a raw `getRange` over the same 100 positions
 *   (decoded values collected into an array, as readStream collects events), payloads and whole events.
 * - subscription catch-up: a subscription from 'start' with a no-op handler until it is caught up,
 *   against the raw decoded scan.
 * Bytes on disk per event (data file size over events, both stores and raw) are reported beside
 * the lazy scan, with the payload bytes per event for reference.
 */

let data: ReadFixture;

function scanRaw(db: ReadFixture['raw']): number {
  let count = 0;
  for (const { value } of db.getRange({ start: 0 })) {
    if (value !== undefined) count++;
  }
  return count;
}

async function readAllDecoded(store: ReadFixture['batched']): Promise<number> {
  let count = 0;
  for await (const event of store.readAll()) count += event.version >= 0 ? 1 : 0;
  return count;
}

async function catchUp(store: ReadFixture['batched']): Promise<number> {
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const subscription = store.subscribe({
      from: 'start',
      handler: () => void count++,
      onCaughtUp: () => void subscription.stop().then(resolve, reject),
      onError: reject,
    });
  });
  if (count !== data.events) throw new Error(`catch-up delivered ${count} of ${data.events} events`);
  return count;
}

/** Reads the type and position of every record (and checks them, so the reads cannot be optimised away). */
function lazyScan(store: ReadFixture['batched']): number {
  let count = 0;
  let previous = -1;
  for (const view of store.readAllLazy()) {
    if (view.position <= previous || view.type.length === 0) throw new Error('lazy scan out of order');
    previous = view.position;
    count++;
  }
  return count;
}

/**
 * A case that scans the whole data set again and again: warm-up for the warm-up time, then full
 * scans until the window is over; ops are the events scanned. `extra` adds figures to report.
 */
function scans(scan: () => number | Promise<number>, extra?: () => Record<string, number>): (ctx: RunContext) => Promise<Measurement> {
  return async (ctx) => {
    const warm = performance.now() + ctx.warmupMs;
    while (performance.now() < warm) await scan();
    let ops = 0;
    const started = performance.now();
    do {
      ops += await scan();
      await new Promise((resolve) => setImmediate(resolve));
    } while (performance.now() - started < ctx.durationMs);
    return { ops, elapsedMs: performance.now() - started, ...(extra === undefined ? {} : { extra: extra() }) };
  };
}

function diskUsage(which: 'batched' | 'single'): () => Record<string, number> {
  return () => {
    const { disk, events } = data;
    return {
      storeBytesPerEvent: (which === 'batched' ? disk.batchedBytes : disk.singleBytes) / events,
      rawLmdbBytesPerEvent: disk.rawBytes / events,
      payloadBytesPerEvent: disk.payloadBytes / events,
    };
  };
}

let streamPick = 0;

function randomStream(): number {
  streamPick = (streamPick * 1103515245 + 12345) >>> 0;
  return streamPick % data.firstPositions.length;
}

function rawStream(db: ReadFixture['raw']): void {
  const first = data.firstPositions[randomStream()] as number;
  const values: unknown[] = [];
  for (const { value } of db.getRange({ start: first, end: first + STREAM_LENGTH })) values.push(value);
  if (values.length !== STREAM_LENGTH) throw new Error('short raw range');
}

async function strataStream(): Promise<void> {
  const events: RecordedEvent[] = [];
  for await (const event of data.batched.readStream(`stream-${randomStream()}`)) events.push(event);
  if (events.length !== STREAM_LENGTH) throw new Error('short stream');
}

const cases: BenchCase[] = [
  {
    name: 'raw getRange decoded scan',
    role: 'baseline',
    setup: async (ctx) => {
      data = await readFixture(ctx.tmpDir, ctx.quick);
    },
    measure: scans(() => scanRaw(data.raw)),
    teardown: () => data.close(),
  },
  { name: 'raw getRange decoded scan, whole events', role: 'baseline', measure: scans(() => scanRaw(data.rawRecords)) },
  { name: 'readAll decoded', role: 'subject', measure: scans(() => readAllDecoded(data.batched)) },
  { name: 'readAll decoded, single-event appends', role: 'subject', measure: scans(() => readAllDecoded(data.single)) },
  { name: 'readAll lazy (type + position)', role: 'subject', measure: scans(() => lazyScan(data.batched), diskUsage('batched')) },
  { name: 'readAll lazy, single-event appends', role: 'subject', measure: scans(() => lazyScan(data.single), diskUsage('single')) },
  { name: 'subscription catch-up', role: 'subject', measure: scans(() => catchUp(data.batched)) },
  { name: 'subscription catch-up, single-event appends', role: 'subject', measure: scans(() => catchUp(data.single)) },
  { name: 'raw range read of 100 keys', role: 'baseline', opsPerCall: STREAM_LENGTH, fn: () => rawStream(data.raw) },
  { name: 'raw range read of 100 keys, whole events', role: 'baseline', opsPerCall: STREAM_LENGTH, fn: () => rawStream(data.rawRecords) },
  { name: 'readStream of 100 events', role: 'subject', opsPerCall: STREAM_LENGTH, fn: strataStream },
];

const targets: Target[] = [
  { kind: 'ratio', subject: 'readAll decoded', baseline: 'raw getRange decoded scan', min: 0.9, description: 'decoded scan overhead' },
  { kind: 'opsPerSec', subject: 'readAll lazy (type + position)', min: 3_000_000, description: 'lazy scan, events/s' },
  { kind: 'ratio', subject: 'readStream of 100 events', baseline: 'raw range read of 100 keys', min: 0.8, description: 'stream read overhead' },
  { kind: 'ratio', subject: 'subscription catch-up', baseline: 'raw getRange decoded scan', min: 0.8, description: 'catch-up overhead' },
  { kind: 'ratio', subject: 'readAll decoded', baseline: 'raw getRange decoded scan, whole events', min: 0.9, description: 'decoded scan vs whole-event records' },
  { kind: 'ratio', subject: 'readStream of 100 events', baseline: 'raw range read of 100 keys, whole events', min: 0.8, description: 'stream read vs whole-event records' },
];

const suite: Suite = {
  id: 'store-lmdb-read',
  title: 'LMDB event store: reads',
  description:
    'Decoded and lazy scans of the global log, stream reads and subscription catch-up of the LMDB event store, against raw ' +
    'lmdb-js reading the same MessagePack payloads (decoded by msgpackr with the same record structures) in the same run, and ' +
    'beside that raw lmdb-js decoding whole recorded events stored as msgpackr records. ' +
    '1M events (100k in quick mode), written 100 per append (one log chunk per append) and, for the "single-event appends" ' +
    'cases, one per append. Figures are events/s.',
  cases,
  targets,
  durationMs: 3000,
};

export default suite;
