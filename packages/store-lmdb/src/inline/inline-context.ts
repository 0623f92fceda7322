import type { RootDatabase } from 'lmdb';
import type { RecordedEvent } from '@strata/core';

/**
 * What an inline handler may touch inside the store's write transaction. Everything written
 * through it (or through any database of `environment`, synchronously, while the handler runs)
 * commits or rolls back together with the append.
 */
export type InlineContext = {
  /** The store's LMDB environment: open read-model databases in it (`environment.openDB(...)`). */
  readonly environment: RootDatabase;
  /** A checkpoint as of this transaction (including writes of earlier operations of the group). */
  checkpoint(name: string): number | undefined;
  /** Saves a checkpoint in this transaction. */
  saveCheckpoint(name: string, position: number): void;
};

/**
 * Runs synchronously inside the write transaction of every append, after its checks passed and
 * before anything of it is written, with the append's events as they will be stored (final
 * versions, positions and ids). A throw fails that append with `INLINE_PROJECTION_FAILED` and rolls
 * back whatever the handlers wrote for it. It must not return a promise, and must not start
 * asynchronous writes of its own: they would not be part of the transaction.
 */
export type InlineProjectionHandler = (events: readonly RecordedEvent[], context: InlineContext) => void;
