import type { RecordedEvent } from '../events/event-data.js';
import type { EventStore } from '../store/event-store.js';
import type { Aggregate, DomainEvent } from './define-aggregate.js';

/** An aggregate's state as loaded from the store. */
export type LoadedAggregate<TState> = {
  state: TState;
  /** Version of the last event folded in; -1 for a new stream. */
  version: number;
  /** The snapshot version the load started from, if any. */
  snapshotVersion: number | undefined;
  /** Events read after the snapshot. */
  eventsRead: number;
};

/** Loads state from the latest usable snapshot plus the events after it. */
export async function loadAggregate<TState, TCommand, TEvent extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<TState, TCommand, TEvent>,
  streamId: string,
): Promise<LoadedAggregate<TState>> {
  let state: TState;
  let version = -1;
  let snapshotVersion: number | undefined;
  const snapshot =
    aggregate.snapshotEvery === undefined
      ? undefined
      : await store.snapshots.load<TState>(streamId, aggregate.name, aggregate.stateSchemaVersion);
  if (snapshot !== undefined) {
    state = snapshot.state;
    version = snapshot.version;
    snapshotVersion = snapshot.version;
  } else {
    state = aggregate.initialState();
  }
  let eventsRead = 0;
  for await (const event of store.readStream(streamId, { from: version + 1 })) {
    state = aggregate.evolve(state, event as RecordedEvent as unknown as TEvent);
    version = event.version;
    eventsRead++;
  }
  return { state, version, snapshotVersion, eventsRead };
}
