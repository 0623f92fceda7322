import type { Database } from 'lmdb';
import type { RecordView } from '@strata/serialization';
import { recordLengthAt } from '../layout/record-layout.js';

/** The log: chunk key (the first global position of the chunk) → the chunk's records. */
export type Log = Database<Uint8Array, number>;

/** Called per record; return false to stop after it. The view is valid only during the call. */
export type RecordVisitor = (view: RecordView, position: number) => boolean;

/** Where a scan stopped. */
export type ScanResult = {
  /** The position after the last record scanned (the cursor of the next scan). */
  next: number;
  /** True when the scan reached the end of the range (or of the log). */
  exhausted: boolean;
};

/**
 * The key of the chunk that holds `position`: the greatest chunk key at or below it, or
 * `undefined` when there is none. The events of one append are stored as chunks of consecutive
 * positions, so a position inside a chunk is found from the chunk's key.
 */
export function floorChunkKey(log: Log, position: number): number | undefined {
  for (const key of log.getKeys({ start: position, reverse: true, limit: 1 })) return key;
  return undefined;
}

/**
 * Visits the records at positions in `[from, end)`, in position order, at most `maxScan` of them.
 * Chunks are read with lmdb-js's zero-copy range reads, so `view` points into a buffer lmdb-js
 * reuses: it is valid only inside the visitor, which must not read the store.
 */
export function scanForward(log: Log, view: RecordView, from: number, end: number, maxScan: number, visit: RecordVisitor): ScanResult {
  const start = floorChunkKey(log, from) ?? from;
  let next = from;
  let scanned = 0;
  for (const { key, value } of log.getRange(end === Infinity ? { start } : { start, end })) {
    let position = key;
    for (let offset = 0; offset < value.length; position++) {
      const length = recordLengthAt(value, offset);
      if (position >= end) return { next, exhausted: true };
      if (position >= from) {
        if (scanned === maxScan) return { next, exhausted: false };
        scanned++;
        next = position + 1;
        if (!visit(view.reset(value, offset, offset + length), position)) return { next, exhausted: false };
      }
      offset += length;
    }
  }
  return { next, exhausted: true };
}

/**
 * The records at positions in `[from, end)`, in position order, as one view reset over each. The
 * view is valid until the generator resumes; the caller must not read the store while it holds it.
 */
export function* forwardRecords(log: Log, view: RecordView, from: number, end: number): Generator<RecordView, void, undefined> {
  const start = floorChunkKey(log, from) ?? from;
  for (const { key, value } of log.getRange(end === Infinity ? { start } : { start, end })) {
    let position = key;
    for (let offset = 0; offset < value.length; position++) {
      const length = recordLengthAt(value, offset);
      if (position >= end) return;
      if (position >= from) yield view.reset(value, offset, offset + length);
      offset += length;
    }
  }
}

/** The records at positions from `from` down to `low` (inclusive), in reverse order (see {@link forwardRecords}). */
export function* backwardRecords(log: Log, view: RecordView, from: number, low: number): Generator<RecordView, void, undefined> {
  const offsets: number[] = [];
  for (const { key, value } of log.getRange({ start: from, reverse: true })) {
    offsets.length = 0;
    for (let offset = 0; offset < value.length; ) {
      offsets.push(offset);
      offset += recordLengthAt(value, offset);
    }
    for (let i = offsets.length - 1; i >= 0; i--) {
      const position = key + i;
      if (position > from) continue;
      if (position < low) return;
      const offset = offsets[i] as number;
      const next = i + 1 < offsets.length ? (offsets[i + 1] as number) : value.length;
      yield view.reset(value, offset, next);
    }
    if (key <= low) return;
  }
}

/**
 * Points `view` at the record at `position`, or returns `undefined` when the log has none there
 * (never written, or removed by a hard delete). The view is valid until the next read of the store.
 */
export function recordAt(log: Log, view: RecordView, position: number): RecordView | undefined {
  const key = floorChunkKey(log, position);
  if (key === undefined) return undefined;
  const chunk = log.get(key);
  if (chunk === undefined) return undefined;
  let offset = 0;
  for (let at = key; offset < chunk.length; at++) {
    const length = recordLengthAt(chunk, offset);
    if (at === position) return view.reset(chunk, offset, offset + length);
    offset += length;
  }
  return undefined;
}
