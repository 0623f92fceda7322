import { InvalidArgumentError } from '../errors/errors.js';
import type { Snapshot } from '../store/snapshot-store.js';
import { validateStreamId } from '../streams/stream-id.js';

/** Validates the key of a snapshot load. Throws `INVALID_ARGUMENT`. */
export function validateSnapshotKey(stream: unknown, aggregate: unknown, stateSchemaVersion: unknown): void {
  validateStreamId(stream);
  if (typeof aggregate !== 'string' || aggregate.length === 0 || aggregate.length > 200) {
    throw new InvalidArgumentError('aggregate', 'expected a non-empty string of at most 200 characters');
  }
  if (!Number.isSafeInteger(stateSchemaVersion) || (stateSchemaVersion as number) < 1) {
    throw new InvalidArgumentError('stateSchemaVersion', 'expected an integer >= 1');
  }
}

/** Validates a snapshot before it is saved. Throws `INVALID_ARGUMENT`. */
export function validateSnapshot(snapshot: unknown): asserts snapshot is Snapshot {
  if (typeof snapshot !== 'object' || snapshot === null) throw new InvalidArgumentError('snapshot', 'expected an object');
  const { streamId, aggregate, stateSchemaVersion, version } = snapshot as Snapshot;
  validateSnapshotKey(streamId, aggregate, stateSchemaVersion);
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new InvalidArgumentError('snapshot.version', 'expected an integer >= 0');
  }
}
