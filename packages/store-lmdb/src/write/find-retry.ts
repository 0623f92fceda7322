import {
  DuplicateEventError,
  expectedVersionMatchesOriginal,
  sameEventContent,
  type AppendResult,
  type RecordedEvent,
} from '@strata/core';
import { createRecordView } from '@strata/serialization';
import { decodeNumber } from '../layout/number-value.js';
import { recordLengthAt, viewOf } from '../layout/record-layout.js';
import { recordAt } from '../read/log-scan.js';
import type { PreparedAppend } from './prepare-append.js';
import type { WriteTransaction } from './write-transaction.js';

const view = createRecordView();

/**
 * Where a caller-supplied event id is stored, or `undefined`. An id in the format this store
 * generates names its position, so it is looked up in the log there; other ids (and generated-format
 * ids a caller stored after the original was hard-deleted) are in the `ids` index.
 */
export function locateId(txn: WriteTransaction, id: string): number | undefined {
  const generated = txn.ids.positionOf(id);
  if (generated !== undefined && recordAt(txn.dbs.log, view, generated)?.id === id) return generated;
  const stored = txn.dbs.ids.getBinaryFast(id);
  return stored === undefined ? undefined : decodeNumber(stored);
}

/**
 * Recognises an idempotent retry, exactly as the reference store does: every event carries an id
 * already stored in this stream, at consecutive versions, with the same content, and the expected
 * version is one under which the original append landed where it did. Returns the original result,
 * `undefined` when the append is not a retry, or throws `DUPLICATE_EVENT` for any other reuse of
 * stored ids. `located` holds the stored position of each event's id (undefined when not stored).
 */
export function findRetry(txn: WriteTransaction, prepared: PreparedAppend, located: readonly (number | undefined)[]): AppendResult | undefined {
  const firstFound = located.findIndex((position) => position !== undefined);
  if (firstFound < 0) return undefined;
  const userIds = prepared.userIds ?? [];
  let first: RecordedEvent | undefined;
  let previous: RecordedEvent | undefined;
  for (let i = 0; i < prepared.count; i++) {
    const id = userIds[i] ?? '';
    const position = located[i];
    const stored = position === undefined ? undefined : decodeAt(txn, position);
    if (stored === undefined) {
      throw new DuplicateEventError(userIds[firstFound] as string, 'the append repeats only part of an earlier append');
    }
    if (stored.streamId !== prepared.stream) throw new DuplicateEventError(id, `it belongs to stream '${stored.streamId}'`);
    if (!sameEventContent(stored, decodePrepared(txn, prepared, i))) {
      throw new DuplicateEventError(id, 'the stored event has other content');
    }
    if (previous !== undefined && stored.version !== previous.version + 1) {
      throw new DuplicateEventError(id, 'the append repeats only part of an earlier append');
    }
    first ??= stored;
    previous = stored;
  }
  const head = first as RecordedEvent;
  const last = previous as RecordedEvent;
  const landedOnEmpty = head.version === 0 || landedOnEmptyAt(txn, prepared.stream, head.version);
  if (!expectedVersionMatchesOriginal(prepared.expected, head.version, landedOnEmpty)) return undefined;
  return { nextExpectedVersion: last.version, position: last.position };
}

function decodeAt(txn: WriteTransaction, position: number): RecordedEvent | undefined {
  const found = recordAt(txn.dbs.log, view, position);
  return found === undefined ? undefined : txn.serializer.decodeRecord(found);
}

/** Decodes an event of the append being prepared, through the same serializer as the stored one. */
function decodePrepared(txn: WriteTransaction, prepared: PreparedAppend, index: number): RecordedEvent {
  let chunk = 0;
  for (let seen = 0; seen + (prepared.chunkCounts[chunk] as number) <= index; chunk++) seen += prepared.chunkCounts[chunk] as number;
  const bytes = prepared.chunks[chunk] as Uint8Array;
  const offset = prepared.offsets[index] as number;
  return txn.serializer.decodeRecord(viewOf(bytes, offset, recordLengthAt(bytes, offset)));
}

/** Whether the append whose first event has `version` landed on a stream with no visible events. */
function landedOnEmptyAt(txn: WriteTransaction, stream: string, version: number): boolean {
  const extent = txn.index.extentContaining(stream, version);
  return extent !== undefined && extent.firstVersion === version && extent.landedOnEmpty;
}
