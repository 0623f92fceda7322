import { InvalidArgumentError, type EventStore, type RecordedEvent } from '@strata/core';
import type { Projection } from '../projection/define-projection.js';
import { ProjectionFailedError } from '../errors/projection-errors.js';

/** The synchronous write context an LMDB store hands inline handlers (see `@strata/store-lmdb`). */
export type InlineStoreContext = {
  readonly environment: unknown;
  checkpoint(name: string): number | undefined;
  saveCheckpoint(name: string, position: number): void;
};

/** What inline mode needs of a store: the LMDB store's transaction hooks and lazy reads. */
export type InlineCapableStore = EventStore & {
  registerInlineProjection(handler: (events: readonly RecordedEvent[], context: InlineStoreContext) => void): () => void;
  runInWriteTransaction<T>(fn: (context: InlineStoreContext) => T): Promise<T>;
  readAllLazy(options: { from?: number; maxCount?: number; filter?: unknown }): IterableIterator<unknown>;
  readonly serializer: { decodeRecord(view: never): RecordedEvent };
};

/** A sink that can also write synchronously inside a running LMDB transaction (the read-model store). */
export type SyncSink = {
  transactSync(scope: { projection: string; generation: number }, position: number, apply: (tx: unknown) => void): void;
};

/** The write handle of an inline projection without a sink. */
export type InlineProjectionContext = InlineStoreContext & { readonly projection: string; readonly position: number };

/** Events an inline projection catches up per write transaction. */
const CATCH_UP_PAGE = 2_048;

/** Whether a store supports inline projections. */
export function isInlineCapable(store: EventStore): store is InlineCapableStore {
  const s = store as Partial<InlineCapableStore>;
  return typeof s.registerInlineProjection === 'function' && typeof s.runInWriteTransaction === 'function' && typeof s.readAllLazy === 'function';
}

/**
 * An inline projection: its handler runs inside the write transaction of every append, so the read
 * model commits with the events. Its checkpoint lives in the event store's environment and is
 * written in the same transaction. On start it catches up in write transactions of its own, and
 * the last of them turns the live handler on: no append can fall between the two.
 */
export class InlineWorker {
  readonly #projection: Projection;
  readonly #store: InlineCapableStore;
  readonly #checkpointName: string;
  readonly #scope: { projection: string; generation: number };
  #unregister: (() => void) | undefined;
  #live = false;
  #applied = -1;

  constructor(projection: Projection, store: EventStore, checkpointName: string) {
    if (!isInlineCapable(store)) {
      throw new InvalidArgumentError(`projections['${projection.name}'].mode`, "'inline' needs a store that runs handlers in its write transaction (the LMDB store)");
    }
    const sink = projection.sink as unknown as Partial<SyncSink> | undefined;
    if (sink !== undefined && typeof sink.transactSync !== 'function') {
      throw new InvalidArgumentError(`projections['${projection.name}'].sink`, "'inline' needs a sink with transactSync (the read-model store opened in the event store's environment)");
    }
    this.#projection = projection;
    this.#store = store;
    this.#checkpointName = checkpointName;
    this.#scope = { projection: projection.name, generation: 0 };
  }

  get name(): string {
    return this.#projection.name;
  }

  get applied(): number {
    return this.#applied;
  }

  get live(): boolean {
    return this.#live;
  }

  async start(): Promise<void> {
    const projection = this.#projection;
    this.#unregister = this.#store.registerInlineProjection((events, context) => {
      if (!this.#live) return;
      const matching = projection.matches === undefined ? events : events.filter((e) => projection.matches!(e.type, e.streamId));
      if (matching.length > 0) this.#apply(matching, context);
    });
    try {
      while (!(await this.#store.runInWriteTransaction((context) => this.#catchUpPage(context)))) {
        // Each page commits on its own; the loop ends in the transaction that turns the handler on.
      }
    } catch (error) {
      this.stop();
      throw new ProjectionFailedError(projection.name, `Inline projection '${projection.name}' failed to catch up`, { cause: error });
    }
  }

  stop(): void {
    this.#live = false;
    this.#unregister?.();
    this.#unregister = undefined;
  }

  #catchUpPage(context: InlineStoreContext): boolean {
    const store = this.#store;
    const from = (context.checkpoint(this.#checkpointName) ?? -1) + 1;
    const events: RecordedEvent[] = [];
    for (const view of store.readAllLazy({ from, maxCount: CATCH_UP_PAGE, filter: this.#projection.filter })) {
      events.push(store.serializer.decodeRecord(view as never));
    }
    if (events.length > 0) this.#apply(events, context);
    else this.#applied = from - 1;
    if (events.length < CATCH_UP_PAGE) {
      this.#live = true;
      return true;
    }
    return false;
  }

  #apply(events: readonly RecordedEvent[], context: InlineStoreContext): void {
    const position = (events[events.length - 1] as RecordedEvent).position;
    const sink = this.#projection.sink as unknown as SyncSink | undefined;
    if (sink !== undefined) {
      sink.transactSync(this.#scope, position, (tx) => this.#projection.applySync(events, tx));
    } else {
      const tx: InlineProjectionContext = {
        projection: this.#projection.name,
        position,
        environment: context.environment,
        checkpoint: (name) => context.checkpoint(name),
        saveCheckpoint: (name, at) => context.saveCheckpoint(name, at),
      };
      this.#projection.applySync(events, tx);
    }
    context.saveCheckpoint(this.#checkpointName, position);
    this.#applied = position;
  }
}
