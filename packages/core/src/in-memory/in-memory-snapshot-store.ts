import type { Snapshot, SnapshotStore } from '../store/snapshot-store.js';
import { validateSnapshot, validateSnapshotKey } from '../validation/validate-snapshot.js';

/** Snapshots kept in a map; state is deep-copied in and out so callers cannot alias stored state. */
export class InMemorySnapshotStore implements SnapshotStore {
  #snapshots = new Map<string, Map<string, Snapshot>>();
  #assertOpen: () => void;

  constructor(assertOpen: () => void) {
    this.#assertOpen = assertOpen;
  }

  async load<TState = unknown>(
    stream: string,
    aggregate: string,
    stateSchemaVersion: number,
  ): Promise<Snapshot<TState> | undefined> {
    this.#assertOpen();
    validateSnapshotKey(stream, aggregate, stateSchemaVersion);
    const found = this.#snapshots.get(stream)?.get(aggregate);
    if (found === undefined || found.stateSchemaVersion !== stateSchemaVersion) return undefined;
    return { ...found, state: structuredClone(found.state) as TState };
  }

  async save(snapshot: Snapshot): Promise<void> {
    this.#assertOpen();
    validateSnapshot(snapshot);
    let byAggregate = this.#snapshots.get(snapshot.streamId);
    if (byAggregate === undefined) {
      byAggregate = new Map();
      this.#snapshots.set(snapshot.streamId, byAggregate);
    }
    const existing = byAggregate.get(snapshot.aggregate);
    if (
      existing !== undefined &&
      existing.stateSchemaVersion === snapshot.stateSchemaVersion &&
      existing.version > snapshot.version
    ) {
      return;
    }
    byAggregate.set(snapshot.aggregate, { ...snapshot, state: structuredClone(snapshot.state) });
  }

  async delete(stream: string): Promise<void> {
    this.#assertOpen();
    this.deleteSync(stream);
  }

  /** Drops a stream's snapshots inside a store operation (delete stream). */
  deleteSync(stream: string): void {
    this.#snapshots.delete(stream);
  }
}
