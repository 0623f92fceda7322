import { validateSnapshot, validateSnapshotKey, validateStreamId, type Snapshot, type SnapshotStore } from '@strata/core';
import type { Serializer } from '@strata/serialization';
import type { Databases } from '../layout/databases.js';
import { toStrataError } from '../errors/to-strata-error.js';
import type { WriteQueue } from '../write/write-queue.js';
import { DeleteSnapshotsOp, SaveSnapshotOp } from './save-snapshot-op.js';
import { decodeSnapshotValue, encodeSnapshotValue } from './snapshot-value.js';

/**
 * Snapshots in the `snapshots` database, keyed by `[stream id, aggregate]`, one per aggregate and
 * stream. State is encoded with the store's serializer (`encodeValue`), so it is copied in and out.
 * Saves go through the group-commit queue.
 */
export class LmdbSnapshotStore implements SnapshotStore {
  readonly #dbs: Databases;
  readonly #serializer: Serializer;
  readonly #queue: WriteQueue;
  readonly #assertOpen: () => void;

  constructor(dbs: Databases, serializer: Serializer, queue: WriteQueue, assertOpen: () => void) {
    this.#dbs = dbs;
    this.#serializer = serializer;
    this.#queue = queue;
    this.#assertOpen = assertOpen;
  }

  async load<TState = unknown>(stream: string, aggregate: string, stateSchemaVersion: number): Promise<Snapshot<TState> | undefined> {
    this.#assertOpen();
    validateSnapshotKey(stream, aggregate, stateSchemaVersion);
    try {
      const bytes = this.#dbs.snapshots.getBinaryFast([stream, aggregate]);
      if (bytes === undefined) return undefined;
      const stored = decodeSnapshotValue(bytes);
      if (stored.stateSchemaVersion !== stateSchemaVersion) return undefined;
      const state = this.#serializer.decodeValue(stored.state) as TState;
      return { streamId: stream, aggregate, stateSchemaVersion, version: stored.version, state };
    } catch (error) {
      throw toStrataError(error, 'snapshots.load');
    }
  }

  async save(snapshot: Snapshot): Promise<void> {
    this.#assertOpen();
    validateSnapshot(snapshot);
    const value = encodeSnapshotValue(snapshot.stateSchemaVersion, snapshot.version, this.#serializer.encodeValue(snapshot.state));
    try {
      await this.#queue.enqueue(new SaveSnapshotOp([snapshot.streamId, snapshot.aggregate], snapshot.stateSchemaVersion, snapshot.version, value));
    } catch (error) {
      throw toStrataError(error, 'snapshots.save');
    }
  }

  async delete(stream: string): Promise<void> {
    this.#assertOpen();
    validateStreamId(stream);
    try {
      await this.#queue.enqueue(new DeleteSnapshotsOp(stream));
    } catch (error) {
      throw toStrataError(error, 'snapshots.delete');
    }
  }
}
