import { statSync } from 'node:fs';
import { join } from 'node:path';
import { asBinary, open, type Database, type RootDatabase } from 'lmdb';
import { Packr } from 'msgpackr';
import type { EventData } from '@strata/core';
import { createInMemoryStructureStore, createSerializer, type RecordView } from '@strata/serialization';
import { createLmdbEventStore, type LmdbEventStore } from '@strata/store-lmdb';

/**
 * Shared data of the LMDB store suites (no default export: not a suite itself).
 *
 * The event is a money deposit with a 10-field payload and two metadata fields, about 150 bytes
 * of MessagePack, like the serialization suite's.
 */
export function depositEvent(i: number): EventData {
  return {
    type: i % 10 === 0 ? 'AccountOpened' : 'MoneyDeposited',
    data: {
      accountId: `acc-${i % 10_000}`,
      amount: (i % 1000) + 0.5,
      currency: 'EUR',
      reference: `ref-${i}`,
      balanceAfter: i * 2.5,
      channel: i % 3 === 0 ? 'web' : 'branch',
      approved: i % 7 !== 0,
      attempts: 1 + (i % 3),
      tags: ['salary', 'monthly'],
      note: 'monthly salary',
    },
    metadata: { correlationId: `c-${i}`, userId: `user-${i % 100}` },
  };
}

/** The number of events of the read data sets. */
export function readEventCount(quick: boolean): number {
  return quick ? 100_000 : 1_000_000;
}

/** Events per append (and per stream) of the batch-written data set. */
export const STREAM_LENGTH = 100;

/** The read suites' data, written once per suite run. */
export type ReadFixture = {
  events: number;
  /** Events appended 100 at a time, one append per stream (`stream-<n>`). */
  batched: LmdbEventStore;
  /** The same events appended one at a time, round-robin over the same number of streams. */
  single: LmdbEventStore;
  /** First global position of each stream of `batched`. */
  firstPositions: number[];
  /** Raw lmdb-js: global position of `batched` → the event's MessagePack payload bytes, decoded by msgpackr. */
  raw: Database<unknown, number>;
  /**
   * Raw lmdb-js: global position of `batched` → the whole recorded event (stream id, version,
   * position, id, type, schema version, recordedAt as a Date, data, metadata) as one msgpackr record.
   */
  rawRecords: Database<unknown, number>;
  rawRoot: RootDatabase;
  /** Sizes for the bytes-per-event figures. */
  disk: { batchedBytes: number; singleBytes: number; rawBytes: number; payloadBytes: number };
  close(): Promise<void>;
};

let fixture: Promise<ReadFixture> | undefined;

/**
 * Builds the read data set once per suite process (the first case's setup calls it; every case
 * shares it). Both stores use one in-memory structure store, so the raw baseline decodes the very
 * same payload bytes with msgpackr and the very same record structures.
 */
export function readFixture(dir: string, quick: boolean): Promise<ReadFixture> {
  fixture ??= buildReadFixture(dir, readEventCount(quick));
  return fixture;
}

/** Flag bit 3 of a record envelope: framed names (see the serialization README's layout). */
const FLAG_FRAMED_NAMES = 0b1000;
/** MessagePack's header of a 2-item array. */
const FIXARRAY_2 = 0x92;

/**
 * An event's payload as one MessagePack value: `data`, or `[data, metadata]`. A record with framed
 * names holds data and metadata as the last items of the array that starts with its names, so the
 * pair's array header is put back in front of them.
 */
function payloadValue(view: RecordView): Buffer {
  const framedPair = (view.flags & FLAG_FRAMED_NAMES) !== 0 && view.hasMetadata;
  return framedPair ? Buffer.concat([Buffer.from([FIXARRAY_2]), view.payload]) : Buffer.from(view.payload);
}

async function buildReadFixture(dir: string, events: number): Promise<ReadFixture> {
  const structures = createInMemoryStructureStore();
  const serializer = createSerializer({ format: 'msgpack', structures });
  const batched = await createLmdbEventStore({ path: join(dir, 'batched'), durability: 'none', serializer });
  const single = await createLmdbEventStore({ path: join(dir, 'single'), durability: 'none', serializer });
  const streams = events / STREAM_LENGTH;
  const firstPositions: number[] = [];
  for (let s = 0; s < streams; s += 64) {
    const appends = [];
    for (let k = s; k < Math.min(streams, s + 64); k++) {
      appends.push(batched.append(`stream-${k}`, Array.from({ length: STREAM_LENGTH }, (_, i) => depositEvent(k * STREAM_LENGTH + i))));
    }
    for (const [k, result] of (await Promise.all(appends)).entries()) firstPositions[s + k] = result.position - STREAM_LENGTH + 1;
  }
  for (let i = 0; i < events; i += 512) {
    const appends = [];
    for (let k = i; k < Math.min(events, i + 512); k++) appends.push(single.append(`stream-${k % streams}`, [depositEvent(k)]));
    await Promise.all(appends);
  }
  const packr = new Packr({ useRecords: true, structures: structures.load()?.map((keys) => [...keys]) ?? [] });
  const rawRoot = open({ path: join(dir, 'raw'), noSync: true });
  const raw = rawRoot.openDB<unknown, number>('payloads', { encoder: packr } as object);
  const recordPackr = new Packr({ useRecords: true, structures: [] });
  const rawRecordsRoot = open({ path: join(dir, 'raw-records'), noSync: true });
  const rawRecords = rawRecordsRoot.openDB<unknown, number>('records', { encoder: recordPackr } as object);
  let payloadBytes = 0;
  await rawRoot.transaction(() => {
    for (const view of batched.readAllLazy()) {
      const payload = payloadValue(view);
      payloadBytes += payload.length;
      void raw.put(view.position, asBinary(payload));
    }
  });
  for await (const event of batched.readAll()) void rawRecords.put(event.position, event);
  await rawRecordsRoot.flushed;
  const size = (name: string): number => statSync(join(dir, name, 'data.mdb')).size;
  return {
    events,
    batched,
    single,
    firstPositions,
    raw,
    rawRecords,
    rawRoot,
    disk: { batchedBytes: size('batched'), singleBytes: size('single'), rawBytes: size('raw'), payloadBytes },
    async close() {
      await Promise.all([batched.close(), single.close(), rawRoot.close(), rawRecordsRoot.close()]);
      fixture = undefined;
    },
  };
}
