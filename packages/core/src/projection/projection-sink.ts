/**
 * Where a projection's writes go, with the projection's own generation: `0` is the first build;
 * a rebuild writes a new generation beside the live one until it is promoted.
 */
export type SinkScope = {
  /** The projection's name. */
  readonly projection: string;
  /** The generation being written (see {@link ProjectionSink.beginGeneration}). */
  readonly generation: number;
};

/** The state of one projection in a {@link ProjectionSink}. */
export type SinkProjectionStatus = {
  /** The generation readers see (0 until a rebuild is promoted). */
  liveGeneration: number;
  /** The last position applied to the live generation, or `undefined` when none. */
  checkpoint: number | undefined;
  /** A generation being rebuilt and not yet promoted, with its own checkpoint. */
  building?: { generation: number; checkpoint: number | undefined };
};

/**
 * A read-model store that commits a batch of a projection's writes together with the
 * projection's checkpoint, atomically: after a crash either both are there or neither is, so a
 * projection never applies an event twice or skips one. `@strata/query`'s read-model store
 * implements it; `@strata/projections` drives it. `TTransaction` is the sink's write handle (for
 * the read-model store, an object whose `collection(name)` writes into the scope's generation).
 */
export interface ProjectionSink<TTransaction = unknown> {
  /** The projection's live generation, its checkpoint, and any generation being rebuilt. */
  status(projection: string): Promise<SinkProjectionStatus>;
  /**
   * Runs `apply` with a write handle bound to `scope`, then commits every write made through it
   * and the scope's checkpoint `position` in one transaction. When `apply` throws or rejects,
   * or the commit fails, nothing is committed and the error propagates. Writes are visible to
   * readers only after the commit, and only once `scope.generation` is live.
   *
   * For a generation being built (not yet promoted) a sink may resolve once the batch is queued
   * behind the commits before it (write-behind), so a rebuild prepares its next batch while the
   * disk catches up. Such a sink keeps the batches in order, commits each with its checkpoint,
   * and never commits a batch whose predecessor failed: if a queued commit fails, later calls for
   * that generation, and {@link promote} of it, reject with `SINK_WRITES_LOST`, and the
   * generation must be discarded.
   */
  transact(scope: SinkScope, position: number, apply: (tx: TTransaction) => void | Promise<void>): Promise<void>;
  /**
   * Starts a new, empty generation of the projection's data, invisible to readers, and returns
   * its number. Readers keep seeing the live generation until {@link promote}.
   */
  beginGeneration(projection: string): Promise<number>;
  /**
   * Atomically makes `generation` the live one (readers switch in one step, with its checkpoint)
   * and drops the data of the generation it replaces. Waits for the generation's queued commits
   * first, and rejects with `SINK_WRITES_LOST` if one of them failed.
   */
  promote(projection: string, generation: number): Promise<void>;
  /** Drops a generation that is being built and was not promoted. */
  discard(projection: string, generation: number): Promise<void>;
}
