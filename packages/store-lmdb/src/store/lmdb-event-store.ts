import type { EventStore, ReadAllOptions, ReadStreamOptions } from '@strata/core';
import type { RecordView, Serializer } from '@strata/serialization';
import type { CheckpointStore } from '@strata/core';
import type { RootDatabase } from 'lmdb';
import type { Durability } from '../options/lmdb-event-store-options.js';
import type { InlineContext, InlineProjectionHandler } from '../inline/inline-context.js';

/**
 * An event store on one LMDB environment: the whole `EventStore` contract, plus zero-copy lazy
 * scans and durable checkpoints.
 *
 * Read APIs in order of cost:
 * - `readAllLazy` / `readStreamLazy`: synchronous iterators of one reused {@link RecordView} over
 *   lmdb-js's read buffer. Header fields (type, stream, version, position, recordedAt, id) without
 *   decoding the payload; `serializer.decodeRecord(view)` for the ones you want.
 * - `readAll` / `readStream` / `subscribe`: decoded copies (`RecordedEvent` objects you own).
 */
export interface LmdbEventStore extends EventStore {
  /** The directory of the LMDB environment. */
  readonly path: string;
  /** When appends are acknowledged. */
  readonly durability: Durability;
  /** The serializer events are encoded with (decode lazy views with `decodeRecord`). */
  readonly serializer: Serializer;
  /** Named positions (subscription and projection checkpoints), stored with the events. */
  readonly checkpoints: CheckpointStore;
  /**
   * Scans the global log without decoding payloads: yields one {@link RecordView}, reset over each
   * matching record (same options and filtering as `readAll`; events of deleted streams are hidden).
   *
   * **View lifetime:** the view reads lmdb-js's reused read buffer (or the memory map, for large
   * chunks) without copying. It is valid until the iterator advances, and until any other read of
   * this store or of another lmdb-js database in the same thread, whichever comes first. Values the
   * view returns (strings, numbers, Dates, `decodeRecord` results) are copies and stay valid;
   * `view.payload` and `view.bytes` share the view's lifetime. Keep what you need, not the view.
   *
   * The scan is synchronous and reads one snapshot. Consume it in one go (or break out of the
   * loop): an iterator kept open across turns of the event loop keeps that snapshot alive, and
   * LMDB cannot reuse pages freed after it. Validation errors are thrown by this call; failures
   * while scanning by the iteration step, as Strata errors.
   */
  readAllLazy(options?: ReadAllOptions): IterableIterator<RecordView>;
  /**
   * The lazy counterpart of `readStream` (same options), with the view lifetime and the snapshot
   * rules of {@link LmdbEventStore.readAllLazy}.
   */
  readStreamLazy(stream: string, options?: ReadStreamOptions): IterableIterator<RecordView>;
  /**
   * The store's LMDB environment, for opening read-model databases beside the events (an inline
   * projection writes them in the append's transaction). Do not write the store's own `strata.*`
   * databases, and do not close it: the store does.
   */
  readonly environment: RootDatabase;
  /**
   * Registers a handler that runs inside the write transaction of every later append (see
   * {@link InlineProjectionHandler}), so its writes commit with the events. Returns the function that
   * unregisters it. While no handler is registered an append pays one branch for this feature.
   */
  registerInlineProjection(handler: InlineProjectionHandler): () => void;
  /**
   * Runs `fn` synchronously inside a group-commit write transaction, in order with appends, and
   * resolves with its result once committed. A throw rolls back what `fn` wrote and rejects with
   * `INLINE_PROJECTION_FAILED` (the cause attached). Inline projections catch up with it and go
   * live in the same transaction, so no append falls between the catch-up and the live handler.
   */
  runInWriteTransaction<T>(fn: (context: InlineContext) => T): Promise<T>;
}
