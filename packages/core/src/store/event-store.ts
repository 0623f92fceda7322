import type { AppendResult, EventData, EventMetadata, RecordedEvent, StreamId } from '../events/event-data.js';
import type { ExpectedVersion } from '../events/expected-version.js';
import type { SnapshotStore } from './snapshot-store.js';
import type { Subscription } from './subscription.js';

/** Options of {@link EventStore.append}. */
export type AppendOptions = {
  /** The concurrency check; default `'any'`. */
  expectedVersion?: ExpectedVersion;
};

/** Options of {@link EventStore.readStream}. */
export type ReadStreamOptions = {
  /**
   * First version to read (inclusive). Forward default 0; backward default the last version.
   */
  from?: number;
  direction?: 'forward' | 'backward';
  /** Upper bound on the number of events returned. */
  maxCount?: number;
};

/** Selects events of `readAll` and subscriptions. Both lists narrow; an absent list matches all. */
export type EventFilter = {
  /** Event types to include. */
  types?: readonly string[];
  /** Stream categories to include (`account` for `account-42`). */
  categories?: readonly string[];
};

/** Options of {@link EventStore.readAll}. */
export type ReadAllOptions = {
  /** First global position to read (inclusive); default the start of the log. */
  from?: number;
  maxCount?: number;
  filter?: EventFilter;
};

/** Where a subscription starts. A number is an inclusive position: resume after `p` with `p + 1`. */
export type SubscriptionStart = number | 'start' | 'end';

/** Options of {@link EventStore.subscribe}. */
export type SubscribeOptions = {
  from?: SubscriptionStart;
  filter?: EventFilter;
  /**
   * Called once per matching event, in position order. The next event is not delivered until the
   * returned promise settles (that is the backpressure). A throw or rejection stops the subscription;
   * the error is passed to `onError` and to {@link Subscription.closed}.
   */
  handler(event: RecordedEvent): void | Promise<void>;
  /** Called when the subscription stops because of an error. */
  onError?(error: unknown): void;
  /** Called once the subscription has delivered everything committed when it caught up. */
  onCaughtUp?(position: number): void;
  /** How many events to read per catch-up page (default 512). */
  batchSize?: number;
};

/** Facts about one stream. */
export type StreamInfo = {
  /** Version of the last event; -1 when the stream has no visible events. */
  version: number;
  /** True after a hard delete (tombstone) or a soft delete that has not been followed by an append. */
  deleted: boolean;
  /** Whether the delete was a hard delete (the stream is then closed for good). */
  hardDeleted: boolean;
  /** Stream metadata (set with {@link EventStore.setStreamMetadata}). */
  metadata: EventMetadata;
};

/** Options of {@link EventStore.deleteStream}. */
export type DeleteStreamOptions = {
  expectedVersion?: ExpectedVersion;
  /** Hard delete: tombstone the stream so it refuses further appends with `STREAM_DELETED`. */
  hard?: boolean;
};

/**
 * The event store contract every Strata store implements. The `@strata/testing` contract suite
 * checks each semantic against every implementation.
 */
export interface EventStore {
  /**
   * Appends events atomically. Resolves once the append is durable in the store's configured
   * durability mode. Rejects with `WRONG_EXPECTED_VERSION`, `STREAM_DELETED`, `DUPLICATE_EVENT`,
   * `INVALID_ARGUMENT`, `SERIALIZATION_FAILED` or `STORE_CLOSED`; a rejected append stores nothing.
   */
  append(stream: StreamId, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult>;
  /** Reads one stream's events. A missing or soft-deleted stream yields nothing. */
  readStream(stream: StreamId, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Reads the global log in position order. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catches up from `from`, then goes live; delivers every matching event once, in order. */
  subscribe(options: SubscribeOptions): Subscription;
  /** Facts about a stream, or `undefined` when it was never written. */
  streamInfo(stream: StreamId): Promise<StreamInfo | undefined>;
  /** Replaces a stream's metadata. */
  setStreamMetadata(stream: StreamId, metadata: EventMetadata): Promise<void>;
  /** Soft (default) or hard deletes a stream. */
  deleteStream(stream: StreamId, options?: DeleteStreamOptions): Promise<void>;
  /** The position of the last committed event, or -1 for an empty store. */
  headPosition(): Promise<number>;
  /** Snapshots of aggregate state, per stream. */
  readonly snapshots: SnapshotStore;
  /** Releases resources; every later call rejects with `STORE_CLOSED`. Idempotent. */
  close(): Promise<void>;
}
