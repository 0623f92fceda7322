import { createRecordView } from '@strata/serialization';
import { decodeExtent, MAX_VERSION_KEY, type Extent } from '../layout/extent.js';
import { recordLengthAt } from '../layout/record-layout.js';
import type { WriteTransaction } from './write-transaction.js';

const view = createRecordView();

/**
 * Physically removes a stream's events (hard delete): its log chunks, its extents and the index
 * entries of caller-supplied ids, which become free again. Generated ids need no index entry; with
 * their event gone they are free too. Everything is collected before anything is removed, so no
 * cursor iterates over entries being deleted.
 */
export function removeStreamEvents(txn: WriteTransaction, stream: string): void {
  const { log, extents, ids } = txn.dbs;
  const found: Extent[] = [];
  for (const { key, value } of extents.getRange({ start: [stream, 0], end: [stream, MAX_VERSION_KEY], inclusiveEnd: true })) {
    found.push(decodeExtent(key[1], value));
  }
  const chunkKeys: number[] = [];
  const indexedIds: string[] = [];
  for (const extent of found) {
    const end = extent.firstPosition + (extent.lastVersion - extent.firstVersion) + 1;
    for (const { key, value } of log.getRange({ start: extent.firstPosition, end })) {
      chunkKeys.push(key);
      for (let offset = 0, position = key; offset < value.length; position++) {
        const length = recordLengthAt(value, offset);
        const id = view.reset(value, offset, offset + length).id;
        if (txn.ids.positionOf(id) !== position) indexedIds.push(id);
        offset += length;
      }
    }
  }
  for (const key of chunkKeys) void log.remove(key);
  for (const id of indexedIds) void ids.remove(id);
  for (const extent of found) void extents.remove([stream, extent.lastVersion]);
}

/** Removes every snapshot of a stream (both kinds of delete drop them). */
export function removeStreamSnapshots(txn: WriteTransaction, stream: string): void {
  const keys: [string, string][] = [];
  for (const key of txn.dbs.snapshots.getKeys({ start: [stream] as unknown as [string, string] })) {
    if (key[0] !== stream) break;
    keys.push(key);
  }
  for (const key of keys) void txn.dbs.snapshots.remove(key);
}
