import type { EventFilter, ProjectionSink, RecordedEvent } from '@strata/core';

/** What a handler gets when the projection has no sink (plain user code). */
export type ProjectionContext = {
  /** The projection's name. */
  readonly projection: string;
  /** The position of the last event of the batch being applied (the checkpoint after it). */
  readonly position: number;
};

/** What a projection does when a handler still fails after its retries. */
export type ErrorPolicy = 'park' | 'stop';

/** Batching of an async projection. */
export type ProjectionBatchOptions = {
  /** Most events applied in one sink transaction (default 256). */
  maxSize?: number;
  /** Longest an event waits for its batch to fill, in ms; 0 batches by event-loop turn (default 0). */
  maxDelayMs?: number;
};

/** Retries of a failing handler before its event is parked (or the projection stops). */
export type RetryPolicy = {
  /** Attempts per batch, and again per event when a failing batch is split (default 3). */
  attempts?: number;
  /** First backoff, doubled per attempt (default 20 ms). */
  initialDelayMs?: number;
  /** Backoff cap (default 1000 ms). */
  maxDelayMs?: number;
};

/**
 * A projection as declared by the application. `TTx` is the sink's write handle (for the
 * read-model store, its transaction), or {@link ProjectionContext} when there is no sink.
 */
export type ProjectionDefinition<TTx = unknown> = {
  /** Unique name: the checkpoint, lease and sink scope are keyed by it. */
  name: string;
  /** Event types handled, or a filter with `types` and/or `categories`. */
  handles: readonly string[] | EventFilter;
  /**
   * The read-model store. When given, each batch and its checkpoint commit together (exactly
   * once across crashes). Without it, handlers are plain user code and delivery is at least once.
   */
  sink?: ProjectionSink<TTx>;
  /** Applies one event. Give this or `handleBatch`. */
  handle?(event: RecordedEvent, tx: TTx): void | Promise<void>;
  /** Applies a batch of events in position order. Give this or `handle`. */
  handleBatch?(events: readonly RecordedEvent[], tx: TTx): void | Promise<void>;
  /** `'async'` (default): from a subscription; `'inline'`: in the append's transaction (LMDB). */
  mode?: 'async' | 'inline';
  batch?: ProjectionBatchOptions;
  /** After the retries: `'park'` (default) dead-letters the event and goes on; `'stop'` stops the projection. */
  onError?: ErrorPolicy;
  retry?: RetryPolicy;
  /**
   * Partitions by stream-id hash for competing consumers (needs the runner's `leases`): each
   * partition is leased on its own, events of one stream stay in order. Default 1 (single active).
   */
  partitions?: number;
};
