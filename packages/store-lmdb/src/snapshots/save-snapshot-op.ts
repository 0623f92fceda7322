import type { WriteOp } from '../write/write-op.js';
import type { WriteTransaction } from '../write/write-transaction.js';
import { decodeSnapshotValue } from './snapshot-value.js';
import { removeStreamSnapshots } from '../write/remove-stream-data.js';

/**
 * Saves a snapshot unless a newer one of the same state schema version is stored: the comparison
 * happens inside the write transaction, so racing saves never let an older version win.
 */
export class SaveSnapshotOp implements WriteOp<void> {
  readonly events = 0;
  readonly #key: [string, string];
  readonly #stateSchemaVersion: number;
  readonly #version: number;
  readonly #value: Uint8Array;

  constructor(key: [string, string], stateSchemaVersion: number, version: number, value: Uint8Array) {
    this.#key = key;
    this.#stateSchemaVersion = stateSchemaVersion;
    this.#version = version;
    this.#value = value;
  }

  get bytes(): number {
    return this.#value.length;
  }

  apply(txn: WriteTransaction): void {
    const existing = txn.dbs.snapshots.getBinaryFast(this.#key);
    if (existing !== undefined) {
      const stored = decodeSnapshotValue(existing);
      if (stored.stateSchemaVersion === this.#stateSchemaVersion && stored.version > this.#version) return;
    }
    void txn.dbs.snapshots.put(this.#key, this.#value);
  }
}

/** Deletes every snapshot of a stream. */
export class DeleteSnapshotsOp implements WriteOp<void> {
  readonly events = 0;
  readonly bytes = 0;
  readonly #stream: string;

  constructor(stream: string) {
    this.#stream = stream;
  }

  apply(txn: WriteTransaction): void {
    removeStreamSnapshots(txn, this.#stream);
  }
}
