import { SinkWritesLostError, type ProjectionSink, type SinkProjectionStatus, type SinkScope } from '@strata/core';

type Docs = Map<string, Map<string, unknown>>;
type Generation = { docs: Docs; checkpoint: number | undefined };
type State = { live: number; generations: Map<number, Generation>; next: number };

/** The write handle of {@link MemorySink}: writes are staged and applied only when the transaction commits. */
export type MemoryTx = {
  readonly generation: number;
  get(collection: string, id: string): unknown;
  put(collection: string, id: string, doc: unknown): void;
  delete(collection: string, id: string): void;
};

/**
 * An in-memory {@link ProjectionSink} that honours the contract: a batch's writes and its
 * checkpoint commit together or not at all, readers see only the live generation, and a new
 * generation stays invisible until promoted. `failNextCommits` makes commits fail after `apply`
 * ran (a crash between the writes and the commit); `loseBuildingWritesAfter` makes every
 * transaction into a generation being built, after that many, reject with `SINK_WRITES_LOST` (a
 * write-behind sink whose queued commit failed).
 */
export class MemorySink implements ProjectionSink<MemoryTx> {
  readonly #projections = new Map<string, State>();
  failNextCommits = 0;
  loseBuildingWritesAfter: number | undefined;
  commits = 0;

  #state(projection: string): State {
    let state = this.#projections.get(projection);
    if (state === undefined) {
      state = { live: 0, generations: new Map([[0, { docs: new Map(), checkpoint: undefined }]]), next: 1 };
      this.#projections.set(projection, state);
    }
    return state;
  }

  async status(projection: string): Promise<SinkProjectionStatus> {
    const state = this.#state(projection);
    const live = state.generations.get(state.live) as Generation;
    const status: SinkProjectionStatus = { liveGeneration: state.live, checkpoint: live.checkpoint };
    for (const [generation, data] of state.generations) {
      if (generation > state.live) status.building = { generation, checkpoint: data.checkpoint };
    }
    return status;
  }

  async transact(scope: SinkScope, position: number, apply: (tx: MemoryTx) => void | Promise<void>): Promise<void> {
    const state = this.#state(scope.projection);
    const target = state.generations.get(scope.generation);
    if (target === undefined) throw new Error(`generation ${scope.generation} of '${scope.projection}' does not exist`);
    if (scope.generation !== state.live && this.loseBuildingWritesAfter !== undefined) {
      if (this.loseBuildingWritesAfter === 0) throw new SinkWritesLostError(scope.projection, scope.generation);
      this.loseBuildingWritesAfter--;
    }
    const staged = new Map<string, Map<string, unknown>>();
    const read = (collection: string, id: string): unknown => {
      const change = staged.get(collection);
      if (change?.has(id)) return change.get(id);
      return structuredClone(target.docs.get(collection)?.get(id));
    };
    const stage = (collection: string): Map<string, unknown> => {
      let change = staged.get(collection);
      if (change === undefined) staged.set(collection, (change = new Map()));
      return change;
    };
    await apply({
      generation: scope.generation,
      get: read,
      put: (collection, id, doc) => void stage(collection).set(id, structuredClone(doc)),
      delete: (collection, id) => void stage(collection).set(id, undefined),
    });
    // A discard or promotion that happened meanwhile wins.
    if (state.generations.get(scope.generation) !== target) throw new Error('generation dropped during the transaction');
    if (this.failNextCommits > 0) {
      this.failNextCommits--;
      throw new Error('commit failed');
    }
    for (const [collection, change] of staged) {
      let docs = target.docs.get(collection);
      if (docs === undefined) target.docs.set(collection, (docs = new Map()));
      for (const [id, doc] of change) {
        if (doc === undefined) docs.delete(id);
        else docs.set(id, doc);
      }
    }
    target.checkpoint = position;
    this.commits++;
  }

  async beginGeneration(projection: string): Promise<number> {
    const state = this.#state(projection);
    const generation = Math.max(state.next, ...state.generations.keys()) + 0;
    state.next = generation + 1;
    state.generations.set(generation, { docs: new Map(), checkpoint: undefined });
    return generation;
  }

  async promote(projection: string, generation: number): Promise<void> {
    const state = this.#state(projection);
    if (!state.generations.has(generation)) throw new Error(`generation ${generation} does not exist`);
    const old = state.live;
    state.live = generation;
    if (old !== generation) state.generations.delete(old);
  }

  async discard(projection: string, generation: number): Promise<void> {
    const state = this.#state(projection);
    if (generation !== state.live) state.generations.delete(generation);
  }

  /** What readers see: the live generation's documents of a collection. */
  read(projection: string, collection: string): Record<string, unknown> {
    const state = this.#state(projection);
    const docs = state.generations.get(state.live)?.docs.get(collection) ?? new Map();
    return Object.fromEntries([...docs].map(([id, doc]) => [id, structuredClone(doc)]));
  }
}
