import {
  DuplicateEventError,
  InvalidArgumentError,
  StreamDeletedError,
  checkExpectedVersion,
  isStrataError,
  type AppendResult,
} from '@strata/core';
import { setRecordCoordinates } from '@strata/serialization';
import { encodeNumber } from '../layout/number-value.js';
import { hasChecksum, recordLengthAt, viewOf, writeCoordinates } from '../layout/record-layout.js';
import { currentVersion } from '../layout/stream-head.js';
import { findRetry, locateId } from './find-retry.js';
import type { PreparedAppend } from './prepare-append.js';
import type { WriteOp } from './write-op.js';
import type { WriteTransaction } from './write-transaction.js';

/** Where a checked append lands. */
type Landing = { version: number; landedOnEmpty: boolean; visibleFrom: number; restarts: boolean };

/**
 * An append inside the group transaction: checks (tombstone, idempotent retry, expected version,
 * reused ids) against the state committed so far, then allocates positions, sets each record's
 * coordinates in place and writes the chunks and the caller-supplied ids; its extent joins the
 * stream index's tail (see `StreamIndex`).
 */
export class AppendOp implements WriteOp<AppendResult> {
  readonly #prepared: PreparedAppend;

  constructor(prepared: PreparedAppend) {
    this.#prepared = prepared;
  }

  get events(): number {
    return this.#prepared.count;
  }

  get bytes(): number {
    return this.#prepared.bytes;
  }

  apply(txn: WriteTransaction): AppendResult | Error {
    let checked: Landing;
    try {
      const outcome = this.#check(txn);
      if (!('version' in outcome)) return outcome;
      checked = outcome;
    } catch (error) {
      if (isStrataError(error)) return error;
      throw error;
    }
    if (txn.inline !== undefined) {
      const failure = txn.inline.applyAppend(this.#prepared, txn.nextPosition, checked.version, txn);
      if (failure !== undefined) return failure;
    }
    return this.#write(txn, checked);
  }

  /** Read-only checks; returns the retry's original result, or where the append lands. */
  #check(txn: WriteTransaction): AppendResult | Landing {
    const prepared = this.#prepared;
    const head = txn.readHead(prepared.stream);
    if (head?.hardDeleted) throw new StreamDeletedError(prepared.stream);
    if (prepared.reservedPosition >= txn.nextPosition) {
      throw new InvalidArgumentError('events[].id', 'an id in the format this store generates names a position that has not been written');
    }
    let located: (number | undefined)[] | undefined;
    if (prepared.userIds !== undefined) {
      located = prepared.userIds.map((id) => (id === undefined ? undefined : locateId(txn, id)));
      const retry = findRetry(txn, prepared, located);
      if (retry !== undefined) return retry;
    }
    const current = currentVersion(head);
    checkExpectedVersion(prepared.stream, prepared.expected, current);
    // A stored id that is not a retry (another expected version than the original's) is never stored twice.
    const reused = located?.findIndex((position) => position !== undefined) ?? -1;
    if (reused >= 0) {
      throw new DuplicateEventError(
        (prepared.userIds as string[])[reused] as string,
        'it was stored by an earlier append sent with another expected version',
      );
    }
    return { version: head?.next ?? 0, landedOnEmpty: current === -1, visibleFrom: head?.visibleFrom ?? 0, restarts: head?.softDeleted === true };
  }

  #write(txn: WriteTransaction, { version, landedOnEmpty, visibleFrom, restarts }: Landing): AppendResult {
    const prepared = this.#prepared;
    const { stream, count, chunks, chunkCounts, offsets, userIds } = prepared;
    const { log, ids } = txn.dbs;
    const first = txn.allocate(count);
    let event = 0;
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c] as Uint8Array;
      const chunkKey = first + event;
      for (let end = event + (chunkCounts[c] as number); event < end; event++) {
        const position = first + event;
        const offset = offsets[event] as number;
        const userId = userIds?.[event];
        if (hasChecksum(chunk, offset)) {
          // The serializer re-seals the checksum over the record, so it gets exactly the record.
          const record = viewOf(chunk, offset, recordLengthAt(chunk, offset));
          setRecordCoordinates(record, position, version + event, userId === undefined ? txn.ids.idFor(position) : undefined);
        } else {
          writeCoordinates(chunk, offset, position, version + event, userId === undefined);
        }
        if (userId !== undefined) void ids.put(userId, encodeNumber(position));
      }
      void log.put(chunkKey, chunk);
    }
    const lastVersion = version + count - 1;
    txn.recordAppend(stream, version, count, first, landedOnEmpty);
    // The head follows from the extent; only a restart of a soft-deleted stream has a stored head
    // to update (it is no longer deleted).
    if (restarts) txn.writeHead(stream, { next: version + count, visibleFrom, hardDeleted: false, softDeleted: false });
    return { nextExpectedVersion: lastVersion, position: first + count - 1 };
  }
}
