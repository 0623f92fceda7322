import type { RecordedEvent } from '@strata/core';
import type { BenchCase, Measurement, RunContext, Suite, Target } from '../harness/types.js';
import { catchUpSlices } from './catch-up-slices.js';
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
 * - readAll decoded: `for await` over `readAll({ from, maxCount })` (RecordedEvent objects with
 *   coordinates, a Date and decoded data and metadata) against a raw `getRange({ start, limit })`
 *   decoding each payload, both reading on in steps of 4096 events from where they stopped.
 *   A second baseline ("whole events") decodes, per position, the whole recorded event stored as
 *   one msgpackr record (the information a RecordedEvent carries), as the serialization suite does.
 * - readAll lazy: `readAllLazy({ from, maxCount })` reading `type` and `position` of each view,
 *   payloads untouched.
 * - readStream: a random stream's 100 events against a raw `getRange` over the same 100 positions
 *   (decoded values collected into an array, as readStream collects events), payloads and whole events.
 * - subscription catch-up: a subscription with a no-op handler that resumes where the previous
 *   one stopped (from the start again once it has caught up), against the raw decoded scan.
 * Every case is measured in interleaved 250 ms slices.
 * Bytes on disk per event (data file size over events, both stores and raw) are reported beside
 * the lazy scan, with the payload bytes per event for reference.
 */

let data: ReadFixture;

/**
 * The scans are measured in the suite's interleaved slices: each case reads the log on from where
 * its previous step stopped, {@link STEP} events at a time, and starts again at the beginning once
 * it has read everything. Over a repetition every case reads the whole data set several times;
 * slices put the baselines and the store in the same moments of the machine.
 */
const STEP = 4096;

/** Where a scan goes on: the next global position to read (inclusive). */
type Cursor = { at: number };

/** One step of a scan from `cursor`: the events read; moves the cursor on, back to 0 at the end. */
type Step = (cursor: Cursor) => number | Promise<number>;

function rawStep(db: () => ReadFixture['raw']): Step {
  return (cursor) => {
    let count = 0;
    let last = -1;
    for (const { key, value } of db().getRange({ start: cursor.at, limit: STEP })) {
      if (value === undefined) throw new Error(`no value at ${key}`);
      last = key;
      count++;
    }
    cursor.at = count < STEP ? 0 : last + 1;
    return count;
  };
}

function readAllStep(store: () => ReadFixture['batched']): Step {
  return async (cursor) => {
    let count = 0;
    let last = -1;
    for await (const event of store().readAll({ from: cursor.at, maxCount: STEP })) {
      if (event.position <= last) throw new Error('readAll out of order');
      last = event.position;
      count++;
    }
    cursor.at = count < STEP ? 0 : last + 1;
    return count;
  };
}

/** Reads the type and position of each record (and checks them, so the reads cannot be optimised away). */
function lazyStep(store: () => ReadFixture['batched']): Step {
  return (cursor) => {
    let count = 0;
    let last = -1;
    for (const view of store().readAllLazy({ from: cursor.at, maxCount: STEP })) {
      if (view.position <= last || view.type.length === 0) throw new Error('lazy scan out of order');
      last = view.position;
      count++;
    }
    cursor.at = count < STEP ? 0 : last + 1;
    return count;
  };
}

/**
 * A case that scans the data set in steps from its own cursor: warm-up for the warm-up time, then
 * steps until the window is over; ops are the events read. `extra` adds figures to report.
 */
function scans(step: Step, extra?: () => Record<string, number>): (ctx: RunContext) => Promise<Measurement> {
  const cursor: Cursor = { at: 0 };
  return async (ctx) => {
    const warm = performance.now() + ctx.warmupMs;
    while (performance.now() < warm) await step(cursor);
    let ops = 0;
    const started = performance.now();
    let elapsedMs: number;
    do {
      ops += await step(cursor);
      elapsedMs = performance.now() - started;
    } while (elapsedMs < ctx.durationMs);
    return { ops, elapsedMs, ...(extra === undefined ? {} : { extra: extra() }) };
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
    measure: scans(rawStep(() => data.raw)),
    teardown: () => data.close(),
  },
  { name: 'raw getRange decoded scan, whole events', role: 'baseline', measure: scans(rawStep(() => data.rawRecords)) },
  { name: 'readAll decoded', role: 'subject', measure: scans(readAllStep(() => data.batched)) },
  { name: 'readAll decoded, single-event appends', role: 'subject', measure: scans(readAllStep(() => data.single)) },
  { name: 'readAll lazy (type + position)', role: 'subject', measure: scans(lazyStep(() => data.batched), diskUsage('batched')) },
  { name: 'readAll lazy, single-event appends', role: 'subject', measure: scans(lazyStep(() => data.single), diskUsage('single')) },
  { name: 'subscription catch-up', role: 'subject', measure: catchUpSlices(() => data.batched) },
  { name: 'subscription catch-up, single-event appends', role: 'subject', measure: catchUpSlices(() => data.single) },
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
    'cases, one per append. Figures are events/s. Scans read on in steps of 4096 events from where they stopped, and a ' +
    'catch-up slice resumes a subscription at its position, so every case is measured in interleaved slices.',
  cases,
  targets,
  durationMs: 3000,
  sliceMs: 250,
};

export default suite;
