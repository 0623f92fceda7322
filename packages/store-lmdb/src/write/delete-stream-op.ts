import { StreamDeletedError, checkExpectedVersion, isStrataError, type ExpectedVersion } from '@strata/core';
import { encodeNumber } from '../layout/number-value.js';
import { currentVersion, emptyHead } from '../layout/stream-head.js';
import { removeStreamEvents, removeStreamSnapshots } from './remove-stream-data.js';
import type { WriteOp } from './write-op.js';
import type { WriteTransaction } from './write-transaction.js';

/**
 * A soft or hard delete inside the group transaction. Both hide every version written so far
 * (`visibleFrom` moves to the next version; version numbers are kept) and drop the stream's
 * snapshots; the stream is recorded in the `deleted` database, which read filters load. A hard
 * delete also tombstones the stream and physically removes its events and their id index entries.
 */
export class DeleteStreamOp implements WriteOp<void> {
  readonly events = 0;
  readonly bytes = 0;
  readonly #stream: string;
  readonly #expected: ExpectedVersion;
  readonly #hard: boolean;

  constructor(stream: string, expected: ExpectedVersion, hard: boolean) {
    this.#stream = stream;
    this.#expected = expected;
    this.#hard = hard;
  }

  apply(txn: WriteTransaction): void | Error {
    const stream = this.#stream;
    let head = txn.readHead(stream);
    try {
      if (head?.hardDeleted) throw new StreamDeletedError(stream);
      checkExpectedVersion(stream, this.#expected, currentVersion(head));
    } catch (error) {
      if (isStrataError(error)) return error;
      throw error;
    }
    if (head === undefined) {
      // Soft-deleting a stream that was never written changes nothing; a hard delete tombstones it.
      if (!this.#hard) return;
      head = emptyHead();
    }
    // Every extent goes to the extents database first: the hard delete removes the stream's, and
    // the tail may then assume that no delete happened to a stream since its appends were written.
    txn.moveIndexTail();
    if (this.#hard) removeStreamEvents(txn, stream);
    txn.writeHead(stream, { next: head.next, visibleFrom: head.next, hardDeleted: this.#hard, softDeleted: true });
    void txn.dbs.deleted.put(stream, encodeNumber(head.next));
    txn.markDeletesChanged();
    removeStreamSnapshots(txn, stream);
  }
}
