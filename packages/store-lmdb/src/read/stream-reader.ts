import { createRecordView, type RecordView } from '@strata/serialization';
import type { Databases } from '../layout/databases.js';
import { decodeExtent, MAX_VERSION_KEY, type Extent } from '../layout/extent.js';
import { readStreamHead } from '../layout/read-stream-head.js';
import { backwardRecords, forwardRecords } from './log-scan.js';

/**
 * The visible records of one stream from version `from` (inclusive; default the first visible
 * version forward, the last one backward), in version order or reversed, as one view reset over
 * each (valid until the generator resumes). Reads the stream head, then its extents (one per
 * append) lazily, then each extent's chunks: for a stream written in batches that is about one
 * range read per batch.
 */
export function* streamRecords(dbs: Databases, stream: string, from: number | undefined, backward: boolean): Generator<RecordView, void, undefined> {
  const head = readStreamHead(dbs, stream);
  if (head === undefined) return;
  const last = head.next - 1;
  const view = createRecordView();
  if (!backward) {
    const start = Math.max(from ?? 0, head.visibleFrom);
    if (start > last) return;
    for (const extent of extentsFrom(dbs, stream, start)) {
      const firstVersion = Math.max(start, extent.firstVersion);
      const first = extent.firstPosition + (firstVersion - extent.firstVersion);
      const end = extent.firstPosition + (extent.lastVersion - extent.firstVersion) + 1;
      yield* forwardRecords(dbs.log, view, first, end);
    }
    return;
  }
  const start = Math.min(from ?? last, last);
  if (start < head.visibleFrom) return;
  for (const extent of extentsDownFrom(dbs, stream, start)) {
    if (extent.lastVersion < head.visibleFrom) return;
    const top = extent.firstPosition + (Math.min(start, extent.lastVersion) - extent.firstVersion);
    const low = extent.firstPosition + (Math.max(head.visibleFrom, extent.firstVersion) - extent.firstVersion);
    yield* backwardRecords(dbs.log, view, top, low);
  }
}

/** The extents of `stream` holding versions >= `version`, in version order. */
function* extentsFrom(dbs: Databases, stream: string, version: number): Generator<Extent, void, undefined> {
  for (const { key, value } of dbs.extents.getRange({ start: [stream, version], end: [stream, MAX_VERSION_KEY], inclusiveEnd: true })) {
    yield decodeExtent(key[1], value);
  }
}

/** The extents of `stream` holding versions <= `version`, in reverse version order. */
function* extentsDownFrom(dbs: Databases, stream: string, version: number): Generator<Extent, void, undefined> {
  let top: number | undefined;
  for (const { key } of dbs.extents.getRange({ start: [stream, version], end: [stream, MAX_VERSION_KEY], inclusiveEnd: true, limit: 1 })) {
    top = key[1];
  }
  if (top === undefined) return;
  for (const { key, value } of dbs.extents.getRange({ start: [stream, top], reverse: true })) {
    if (key[0] !== stream) return;
    yield decodeExtent(key[1], value);
  }
}
