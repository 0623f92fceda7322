import { createHash } from 'node:crypto';
import { deepEqual, type EventStore } from '@strata/core';
import { eventDigest } from './event-digest.js';

/** Per-stream totals: event count and the sum of event digests (mod 2^64). */
type StreamTotals = { events: number; sum: bigint };

/** One difference between source and target. */
export type Mismatch = {
  /** The stream, or `undefined` for a store-wide difference (global order, totals). */
  streamId: string | undefined;
  /** `events` (counts differ), `checksum` (same count, other content), `order`, `metadata`, `missing`, `extra`. */
  kind: 'events' | 'checksum' | 'order' | 'metadata' | 'missing' | 'extra';
  source?: string | number;
  target?: string | number;
};

/** The outcome of a verification. */
export type VerifyReport = {
  ok: boolean;
  sourceEvents: number;
  targetEvents: number;
  streams: number;
  /** SHA-256 over the events' digests in global order, on each side. */
  sourceChecksum: string;
  targetChecksum: string;
  /** The first differences found (at most 20). */
  mismatches: Mismatch[];
};

const MAX_MISMATCHES = 20;
const MASK = (1n << 64n) - 1n;

type Scan = { totals: Map<string, StreamTotals>; checksum: string; events: number };

/**
 * Reads both logs in full and compares them: per stream the number of events and a checksum of
 * their ids, versions, types, schema versions, data, metadata and recorded times; store-wide the
 * total and a checksum of all events in global order (positions themselves differ between stores,
 * their order must not); and the metadata of every stream that has some in the source.
 */
export async function verifyCopy(source: EventStore, target: EventStore, onProgress?: (events: number) => void): Promise<VerifyReport> {
  let progressed = 0;
  const tick = (): void => {
    progressed++;
    if ((progressed & 0x3fff) === 0) onProgress?.(progressed);
  };
  const [from, to] = await Promise.all([scan(source, tick), scan(target, tick)]);
  onProgress?.(progressed);
  const mismatches: Mismatch[] = [];
  const add = (mismatch: Mismatch): void => {
    if (mismatches.length < MAX_MISMATCHES) mismatches.push(mismatch);
  };
  for (const [streamId, expected] of from.totals) {
    const actual = to.totals.get(streamId);
    if (actual === undefined) add({ streamId, kind: 'missing', source: expected.events, target: 0 });
    else if (actual.events !== expected.events) add({ streamId, kind: 'events', source: expected.events, target: actual.events });
    else if (actual.sum !== expected.sum) add({ streamId, kind: 'checksum', source: hex(expected.sum), target: hex(actual.sum) });
  }
  for (const [streamId, actual] of to.totals) {
    if (!from.totals.has(streamId)) add({ streamId, kind: 'extra', source: 0, target: actual.events });
  }
  for (const streamId of from.totals.keys()) {
    const info = await source.streamInfo(streamId);
    if (info === undefined || Object.keys(info.metadata).length === 0) continue;
    const copied = await target.streamInfo(streamId);
    if (!deepEqual(info.metadata, copied?.metadata ?? {})) {
      add({ streamId, kind: 'metadata', source: JSON.stringify(info.metadata), target: JSON.stringify(copied?.metadata ?? {}) });
    }
  }
  if (from.events !== to.events) add({ streamId: undefined, kind: 'events', source: from.events, target: to.events });
  else if (mismatches.length === 0 && from.checksum !== to.checksum) add({ streamId: undefined, kind: 'order', source: from.checksum, target: to.checksum });
  return {
    ok: mismatches.length === 0,
    sourceEvents: from.events,
    targetEvents: to.events,
    streams: from.totals.size,
    sourceChecksum: from.checksum,
    targetChecksum: to.checksum,
    mismatches,
  };
}

async function scan(store: EventStore, tick: () => void): Promise<Scan> {
  const totals = new Map<string, StreamTotals>();
  const overall = createHash('sha256');
  const digestBytes = Buffer.alloc(8);
  let events = 0;
  for await (const event of store.readAll()) {
    const digest = eventDigest(event, true);
    digestBytes.writeBigUInt64BE(digest);
    overall.update(digestBytes);
    const entry = totals.get(event.streamId);
    if (entry === undefined) totals.set(event.streamId, { events: 1, sum: digest });
    else {
      entry.events++;
      entry.sum = (entry.sum + digest) & MASK;
    }
    events++;
    tick();
  }
  return { totals, checksum: overall.digest('hex'), events };
}

function hex(value: bigint): string {
  return value.toString(16).padStart(16, '0');
}
