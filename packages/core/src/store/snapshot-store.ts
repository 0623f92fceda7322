import type { StreamId } from '../events/event-data.js';

/** A snapshot of aggregate state at a stream version. */
export type Snapshot<TState = unknown> = {
  streamId: StreamId;
  /** The aggregate (decider) name the state belongs to. */
  aggregate: string;
  /** Schema version of the state shape; a snapshot of another version is ignored on load. */
  stateSchemaVersion: number;
  /** The stream version the state reflects (the last event folded into it). */
  version: number;
  state: TState;
};

/** Stores snapshots of aggregate state, one per (stream, aggregate). */
export interface SnapshotStore {
  /**
   * Loads the latest snapshot of `aggregate` for `stream`, or `undefined` when there is none or
   * it was written under another state schema version.
   */
  load<TState = unknown>(
    stream: StreamId,
    aggregate: string,
    stateSchemaVersion: number,
  ): Promise<Snapshot<TState> | undefined>;
  /** Saves a snapshot; an older version never overwrites a newer one. */
  save(snapshot: Snapshot): Promise<void>;
  /** Deletes the snapshots of a stream. */
  delete(stream: StreamId): Promise<void>;
}
