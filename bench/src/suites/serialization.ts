import {
  createEventRegistry,
  createInMemoryStructureStore,
  createRecordView,
  createSerializer,
  type RecordToEncode,
  type Serializer,
} from '@strata/serialization';
import { Packr } from 'msgpackr';
import protobuf from 'protobufjs';
import type { IConversionOptions } from 'protobufjs';
import type { BenchCase, Measurement, RunContext, Suite, Target } from '../harness/types.js';
import { seededRandom } from './cache-traces.js';

/**
 * The Strata serializer against the libraries it wraps, on the same events in the same run.
 *
 * The unit is a recorded event: a typical 10-field payload, three metadata fields, and the
 * coordinates a store keeps with it (stream id, version, position, event id, type, schema
 * version, recordedAt). Strata writes it as a record envelope (`encodeRecord`, the value the
 * LMDB store keeps in its log); each baseline writes the same recorded event with its own
 * library in the most direct way: msgpackr records with shared structures, JSON.stringify, and a
 * protobufjs message embedding the payload's message. Decoding ends with a recorded event whose
 * `recordedAt` is a Date on both sides. The event path (`encodeEvent`, no coordinates) is
 * measured too, against the same libraries on `{ type, schemaVersion, data, metadata }`.
 *
 * Every case runs its own tight loop over a fixed set of distinct events (per-call timing would
 * cost as much as the operation), and reports the mean encoded size as `bytesPerEvent`.
 */

/** Events in the data set (distinct ids and values, repeating streams and types). */
const EVENTS = 1024;
const EVENTS_QUICK = 256;
/** Streams the events are spread over. */
const STREAMS = 128;
/** Operations between two clock reads of a measuring loop. */
const CHUNK = 256;

const MONEY_DEPOSITED_PROTO = `
syntax = "proto3";
package bench;
message MoneyDeposited {
  string accountId = 1;
  double amount = 2;
  string currency = 3;
  string reference = 4;
  double balanceAfter = 5;
  string channel = 6;
  bool approved = 7;
  int32 attempts = 8;
  repeated string tags = 9;
  string note = 10;
}
message RecordedMoneyDeposited {
  string streamId = 1;
  int64 version = 2;
  int64 position = 3;
  string id = 4;
  string type = 5;
  uint32 schemaVersion = 6;
  int64 recordedAt = 7;
  MoneyDeposited data = 8;
  map<string, string> metadata = 9;
}
message MoneyDepositedEvent {
  string type = 1;
  uint32 schemaVersion = 2;
  MoneyDeposited data = 3;
  map<string, string> metadata = 4;
}
`;

const protoRoot = protobuf.parse(MONEY_DEPOSITED_PROTO).root;
const MoneyDeposited = protoRoot.lookupType('bench.MoneyDeposited');
const RecordedMoneyDeposited = protoRoot.lookupType('bench.RecordedMoneyDeposited');
const MoneyDepositedEvent = protoRoot.lookupType('bench.MoneyDepositedEvent');
const TO_OBJECT: IConversionOptions = { longs: Number, defaults: true, arrays: true, objects: true };

type MoneyDepositedData = {
  accountId: string;
  amount: number;
  currency: string;
  reference: string;
  balanceAfter: number;
  channel: string;
  approved: boolean;
  attempts: number;
  tags: string[];
  note: string;
};
type BenchRecord = RecordToEncode & { data: MoneyDepositedData; metadata: Record<string, string>; recordedAt: number };

function uuid(next: () => number): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += Math.floor(next() * 16).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Deterministic events (mulberry32 from the trace generator), so every run measures the same ones. */
function createEvents(count: number): BenchRecord[] {
  const next = seededRandom(42);
  const streams = Array.from({ length: STREAMS }, () => `account-${uuid(next)}`);
  const recordedAt = Date.UTC(2025, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    streamId: streams[i % STREAMS] as string,
    version: Math.floor(i / STREAMS),
    position: 1_000_000 + i,
    id: uuid(next),
    type: 'MoneyDeposited',
    schemaVersion: 1,
    recordedAt: recordedAt + i * 37,
    data: {
      accountId: `acc-${100_000 + (i % STREAMS)}`,
      amount: Math.round(next() * 500_000) / 100,
      currency: i % 3 === 0 ? 'USD' : 'EUR',
      reference: `invoice 2025-${String(i).padStart(5, '0')}`,
      balanceAfter: Math.round(next() * 10_000_000) / 100,
      channel: i % 2 === 0 ? 'web' : 'mobile',
      approved: i % 5 !== 0,
      attempts: 1 + (i % 3),
      tags: ['salary', 'monthly'],
      note: 'thanks for the coffee',
    },
    metadata: { correlationId: uuid(next), causationId: uuid(next), userId: `user-${i % 50}` },
  }));
}

/** The recorded event a store would hand to a raw library: a Date, not epoch ms. */
function asRecordedEvent(record: BenchRecord): Record<string, unknown> {
  return { ...record, recordedAt: new Date(record.recordedAt) };
}

/** Everything the cases share, built once per process (setup of the first case that needs it). */
type Fixture = {
  records: BenchRecord[];
  recorded: Record<string, unknown>[];
  events: { type: string; schemaVersion: number; data: MoneyDepositedData; metadata: Record<string, string> }[];
  strata: { msgpack: Serializer; json: Serializer; protobuf: Serializer };
  packr: Packr;
};

let fixture: { quick: boolean; value: Fixture } | undefined;

function getFixture(quick: boolean): Fixture {
  if (fixture?.quick === quick) return fixture.value;
  const records = createEvents(quick ? EVENTS_QUICK : EVENTS);
  const registry = createEventRegistry().register({ type: 'MoneyDeposited', protobuf: MoneyDeposited });
  const value: Fixture = {
    records,
    recorded: records.map(asRecordedEvent),
    events: records.map(({ type, schemaVersion, data, metadata }) => ({ type, schemaVersion: schemaVersion ?? 1, data, metadata })),
    strata: {
      msgpack: createSerializer({ format: 'msgpack', registry, structures: createInMemoryStructureStore() }),
      json: createSerializer({ format: 'json', registry }),
      protobuf: createSerializer({ format: 'protobuf', registry }),
    },
    // The baseline the DESIGN targets name: msgpackr records with shared structures.
    packr: new Packr({ useRecords: true, structures: [] }),
  };
  fixture = { quick, value };
  return value;
}

/** Keeps results reachable so the JIT cannot drop the work. */
const sink: unknown[] = [undefined];

/**
 * Runs `op` over the data set in a tight loop: warm-up for `ctx.warmupMs`, then measured for
 * `ctx.durationMs`, reading the clock every {@link CHUNK} operations.
 */
function loop(ctx: RunContext, count: number, op: (index: number) => unknown, extra?: Record<string, number>): Measurement {
  let index = 0;
  const warmUntil = performance.now() + ctx.warmupMs;
  while (performance.now() < warmUntil) {
    for (let i = 0; i < CHUNK; i++) sink[0] = op(index++ % count);
  }
  let ops = 0;
  const start = performance.now();
  let now: number;
  do {
    for (let i = 0; i < CHUNK; i++) sink[0] = op(index++ % count);
    ops += CHUNK;
    now = performance.now();
  } while (now - start < ctx.durationMs);
  return extra === undefined ? { ops, elapsedMs: now - start } : { ops, elapsedMs: now - start, extra };
}

function meanLength(buffers: readonly Uint8Array[]): number {
  let total = 0;
  for (const buffer of buffers) total += buffer.length;
  return Math.round((total / buffers.length) * 10) / 10;
}

type Codec<T> = { encode(item: T): Uint8Array; decode(bytes: Uint8Array): unknown };

/** An encode case and a decode case for one codec over one view of the data set. */
function casePair<T>(
  name: string,
  role: BenchCase['role'],
  items: (f: Fixture) => readonly T[],
  codec: (f: Fixture) => Codec<T>,
): [BenchCase, BenchCase] {
  let prepared: { items: readonly T[]; codec: Codec<T>; encoded: Uint8Array[] } | undefined;
  const prepare = (ctx: RunContext): void => {
    const f = getFixture(ctx.quick);
    const c = codec(f);
    const list = items(f);
    prepared = { items: list, codec: c, encoded: list.map((item) => c.encode(item)) };
  };
  const encodeCase: BenchCase = {
    name: `${name}: encode`,
    role,
    setup: prepare,
    measure: async (ctx) => {
      const p = prepared!;
      return loop(ctx, p.items.length, (i) => p.codec.encode(p.items[i] as T), { bytesPerEvent: meanLength(p.encoded) });
    },
  };
  const decodeCase: BenchCase = {
    name: `${name}: decode`,
    role,
    setup: prepare,
    measure: async (ctx) => {
      const p = prepared!;
      return loop(ctx, p.encoded.length, (i) => p.codec.decode(p.encoded[i] as Uint8Array), {
        bytesPerEvent: meanLength(p.encoded),
      });
    },
  };
  return [encodeCase, decodeCase];
}

const STRATA_MSGPACK = 'strata msgpack record';
const RAW_MSGPACK = 'msgpackr records (shared structures)';

const recordCases: BenchCase[] = [
  ...casePair(RAW_MSGPACK, 'baseline', (f) => f.recorded, (f) => ({
    encode: (event) => f.packr.pack(event),
    decode: (bytes) => f.packr.unpack(bytes),
  })),
  ...casePair(STRATA_MSGPACK, 'subject', (f) => f.records, (f) => ({
    encode: (record) => f.strata.msgpack.encodeRecord(record),
    decode: (bytes) => f.strata.msgpack.decodeRecord(bytes),
  })),
  ...casePair('JSON.stringify/parse', 'baseline', (f) => f.recorded, () => ({
    encode: (event) => Buffer.from(JSON.stringify(event)),
    decode: (bytes) => {
      const event = JSON.parse((bytes as Buffer).toString('utf8')) as { recordedAt: string | Date };
      event.recordedAt = new Date(event.recordedAt);
      return event;
    },
  })),
  ...casePair('strata json record', 'subject', (f) => f.records, (f) => ({
    encode: (record) => f.strata.json.encodeRecord(record),
    decode: (bytes) => f.strata.json.decodeRecord(bytes),
  })),
  ...casePair('protobufjs', 'baseline', (f) => f.records, () => ({
    encode: (record) => RecordedMoneyDeposited.encode(record as unknown as Record<string, unknown>).finish(),
    decode: (bytes) => {
      const event = RecordedMoneyDeposited.toObject(RecordedMoneyDeposited.decode(bytes), TO_OBJECT);
      event.recordedAt = new Date(event.recordedAt as number);
      return event;
    },
  })),
  ...casePair('strata protobuf record', 'subject', (f) => f.records, (f) => ({
    encode: (record) => f.strata.protobuf.encodeRecord(record),
    decode: (bytes) => f.strata.protobuf.decodeRecord(bytes),
  })),
];

const eventCases: BenchCase[] = [
  ...casePair('msgpackr records event', 'baseline', (f) => f.events, (f) => ({
    encode: (event) => f.packr.pack(event),
    decode: (bytes) => f.packr.unpack(bytes),
  })),
  ...casePair('strata msgpack event', 'subject', (f) => f.events, (f) => ({
    encode: (event) => f.strata.msgpack.encodeEvent(event),
    decode: (bytes) => f.strata.msgpack.decodeEvent(bytes),
  })),
  ...casePair('protobufjs event', 'baseline', (f) => f.events, () => ({
    encode: (event) => MoneyDepositedEvent.encode(event).finish(),
    decode: (bytes) => MoneyDepositedEvent.toObject(MoneyDepositedEvent.decode(bytes), TO_OBJECT),
  })),
  ...casePair('strata protobuf event', 'subject', (f) => f.events, (f) => ({
    encode: (event) => f.strata.protobuf.encodeEvent(event),
    decode: (bytes) => f.strata.protobuf.decodeEvent(bytes),
  })),
];

/** What a store's filtered scan pays per record: the header's type and position, no payload. */
function lazyHeaderCase(): BenchCase {
  let encoded: Uint8Array[] = [];
  // One view and one reader for every slice, as a store's scan keeps one view for all its records.
  const view = createRecordView();
  let positions = 0;
  const readHeader = (i: number): string => {
    view.reset(encoded[i] as Uint8Array);
    positions += view.position;
    return view.type;
  };
  return {
    name: 'strata lazy header (type + position)',
    role: 'subject',
    setup: (ctx) => {
      const f = getFixture(ctx.quick);
      encoded = f.records.map((record) => f.strata.msgpack.encodeRecord(record));
    },
    measure: async (ctx) => {
      positions = 0;
      const result = loop(ctx, encoded.length, readHeader);
      sink[0] = positions;
      return result;
    },
  };
}

const targets: Target[] = [
  {
    kind: 'ratio',
    subject: `${STRATA_MSGPACK}: encode`,
    baseline: `${RAW_MSGPACK}: encode`,
    min: 0.9,
    description: 'serializer overhead vs raw msgpackr records, encode',
  },
  {
    kind: 'ratio',
    subject: `${STRATA_MSGPACK}: decode`,
    baseline: `${RAW_MSGPACK}: decode`,
    min: 0.9,
    description: 'serializer overhead vs raw msgpackr records, decode',
  },
];

const suite: Suite = {
  id: 'serialization',
  title: 'Serialization: Strata codecs vs msgpackr, JSON and protobufjs',
  description:
    'Encode and decode of a recorded 10-field event (with metadata and store coordinates) through the Strata ' +
    'record envelope in each format, beside the raw library doing the same; the event envelope; and the lazy ' +
    'header read a store uses to filter without decoding payloads. bytesPerEvent is the mean encoded size.',
  cases: [...recordCases, ...eventCases, lazyHeaderCase()],
  targets,
  // Sub-microsecond CPU-bound loops: measured in slices, so the ratios do not swing with the
  // machine's speed from one second to the next (it varies by up to 2× on shared hardware).
  sliceMs: 50,
};

export default suite;
