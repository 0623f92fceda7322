import { SinkWritesLostError, type SinkScope } from '@strata/core';
import type { RootDatabase } from 'lmdb';

/** The queued commits of one generation being built. */
type Chain = {
  /** Settles (never rejects) once the last queued batch's transaction has committed or failed. */
  last: Promise<void>;
  /** The checkpoint of the last batch whose writes ran; the stored one once everything committed. */
  position: number | undefined;
  /** Set once a commit of a batch whose writes ran has failed. */
  failure: SinkWritesLostError | undefined;
};

/** What the write-behind queue needs from the store. */
export type WriteBehindOptions = {
  root: Pick<RootDatabase, 'childTransaction'>;
  /** The checkpoint stored for `scope`, read inside the running write transaction. */
  storedCheckpoint(scope: SinkScope): number | undefined;
  /** Called when a queued commit failed (the store reloads what it caches of the database). */
  onCommitFailure(): void;
};

/**
 * Write-behind for generations being built: a batch's writes run in lmdb-js's asynchronous write
 * transaction (as a child transaction, so a throw discards them whole), and {@link queue}
 * resolves as soon as they have run, not when they are committed. The projection then prepares
 * its next batch while the write thread commits this one; lmdb-js commits the batches in the
 * order they were queued.
 *
 * A batch never commits on top of a failed one. Each batch's writes first check that the stored
 * checkpoint is the one the batch before it set: if that batch's transaction failed, the check
 * fails and the batch is refused. Once a commit fails, every later batch of the generation and
 * {@link settled} reject with `SINK_WRITES_LOST`, and the generation is to be discarded.
 */
export class WriteBehind {
  readonly #options: WriteBehindOptions;
  readonly #chains = new Map<string, Chain>();

  constructor(options: WriteBehindOptions) {
    this.#options = options;
  }

  /**
   * Queues `write` (the batch's writes and its checkpoint `position`) behind the generation's
   * earlier batches. Resolves once `write` has run in its transaction; rejects with its error if
   * it threw (nothing of the batch is stored), or with `SINK_WRITES_LOST` after a failed commit.
   */
  queue(scope: SinkScope, position: number, write: () => void): Promise<void> {
    const chain = this.#chain(scope);
    if (chain.failure !== undefined) return Promise.reject(chain.failure);
    return new Promise<void>((resolve, reject) => {
      let ran = false;
      let committed: Promise<unknown>;
      try {
        committed = this.#options.root.childTransaction(() => {
          try {
            this.#checkChain(scope, chain);
            write();
          } catch (error) {
            reject(error);
            throw error;
          }
          ran = true;
          chain.position = position;
          resolve();
        });
      } catch (error) {
        // lmdb-js refused to queue the transaction (a closed or broken environment).
        reject(error);
        return;
      }
      chain.last = committed.then(
        () => undefined,
        (error: unknown) => {
          if (!ran) {
            // The writes threw (already rejected with their error) or never ran: nothing was stored.
            reject(error);
            return;
          }
          chain.failure ??= new SinkWritesLostError(scope.projection, scope.generation, { cause: error });
          this.#options.onCommitFailure();
        },
      );
    });
  }

  /** Waits for the generation's queued commits; rejects with `SINK_WRITES_LOST` if one failed. */
  async settled(scope: SinkScope): Promise<void> {
    const chain = this.#chains.get(key(scope));
    if (chain === undefined) return;
    await chain.last;
    if (chain.failure !== undefined) throw chain.failure;
  }

  /** Forgets a generation once it is promoted or discarded (call after {@link settled}). */
  forget(scope: SinkScope): void {
    this.#chains.delete(key(scope));
  }

  /** Waits for every queued commit, failed or not. */
  async idle(): Promise<void> {
    await Promise.all([...this.#chains.values()].map((chain) => chain.last));
  }

  #chain(scope: SinkScope): Chain {
    const k = key(scope);
    let chain = this.#chains.get(k);
    if (chain === undefined) this.#chains.set(k, (chain = { last: Promise.resolve(), position: undefined, failure: undefined }));
    return chain;
  }

  /** Inside the transaction: the batch before this one must have committed (or be in this transaction). */
  #checkChain(scope: SinkScope, chain: Chain): void {
    if (chain.failure !== undefined) throw chain.failure;
    if (chain.position === undefined) return;
    const stored = this.#options.storedCheckpoint(scope);
    if (stored !== chain.position) {
      chain.failure = new SinkWritesLostError(scope.projection, scope.generation, {
        details: { expectedCheckpoint: chain.position, storedCheckpoint: stored ?? null },
      });
      throw chain.failure;
    }
  }
}

function key(scope: SinkScope): string {
  return `${scope.generation}:${scope.projection}`;
}
