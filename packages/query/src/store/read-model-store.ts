import { InvalidArgumentError, StoreClosedError, type SinkProjectionStatus, type SinkScope } from '@strata/core';
import { createTieredCache } from '@strata/cache';
import { forgetStructures, type Databases, type StorageId } from '../storage/databases.js';
import {
  MetaKeys,
  clearStorageSlice,
  readCounters,
  readProjection,
  storageId,
  storagesOf,
  type CollectionRecord,
  type ProjectionRecord,
} from '../storage/catalog.js';
import { compileIndex, normalizeIndexSpec, type IndexSpec } from '../storage/index-definition.js';
import { buildIndex, removeIndex } from '../storage/index-builder.js';
import { beginGeneration, discardGeneration, projectionStatus, promoteGeneration } from './generations.js';
import { validateDocument } from '../storage/write-document.js';
import { OwnershipConflictError } from '../errors/query-errors.js';
import { PlanCache, type PlanCacheStats } from '../planner/plan-cache.js';
import { buildStatistics } from '../planner/statistics.js';
import type { CollectionState, StorageState } from '../collection/collection-state.js';
import type { Collection } from '../collection/collection.js';
import { CollectionHandle } from '../collection/collection-handle.js';
import { validateCollectionOptions, type CollectionOptions } from './collection-options.js';
import { WriteBatch, checkGeneration, type ReadModelTransaction } from './read-model-transaction.js';
import type { StoreEngine, WriteOp } from './store-engine.js';
import type { ReadModelStore } from './read-model-store-api.js';
import { applyWrites } from './apply-writes.js';
import { validateName, validateScope } from './validate-sink.js';
import { WriteBehind } from './write-behind.js';

/** Settings the factory resolved. */
export type StoreSettings = {
  readonly dbs: Databases;
  readonly ownsEnvironment: boolean;
  readonly planCacheSize: number;
  readonly maxSortRows: number;
  readonly replanFactor: number;
};

const EMPTY_SID = 0;
/** Keys removed per garbage transaction: a few milliseconds of work, so readers and writers interleave. */
const GARBAGE_SLICE = 2_000;

/** The engine behind {@link ReadModelStore}; collection handles reach it through {@link StoreEngine}. */
export class LmdbReadModelStore implements ReadModelStore, StoreEngine {
  readonly dbs: Databases;
  readonly planCache: PlanCache;
  readonly replanFactor: number;
  readonly replanMinWorks = 1_000;
  readonly #ownsEnvironment: boolean;
  #garbage: Promise<void> | undefined;
  readonly #maxSortRows: number;
  readonly #states = new Map<string, CollectionState>();
  readonly #handles = new Map<string, Collection<never>>();
  readonly #storages = new Map<StorageId, StorageState>();
  #closed = false;
  #closing = false;
  readonly #behind: WriteBehind;
  /** A caller's transaction joined by `transactSync` may have rolled back shapes it saved. */
  #shapesUncertain = false;

  constructor(settings: StoreSettings) {
    this.dbs = settings.dbs;
    this.#ownsEnvironment = settings.ownsEnvironment;
    this.planCache = new PlanCache(settings.planCacheSize);
    this.#maxSortRows = settings.maxSortRows;
    this.replanFactor = settings.replanFactor;
    this.#behind = new WriteBehind({
      root: this.dbs.root,
      storedCheckpoint: (scope) => readProjection(this.dbs, scope.projection).checkpoints[scope.generation],
      onCommitFailure: () => {
        forgetStructures(this.dbs);
        this.#reloadOwners();
      },
    });
  }

  /**
   * After a failed write-behind commit: a collection its batch claimed for the projection is
   * unclaimed again in the database, so the in-memory records take their owner from there.
   */
  #reloadOwners(): void {
    for (const state of this.#states.values()) {
      const stored = this.dbs.meta.get(MetaKeys.collection(state.name)) as CollectionRecord | undefined;
      if (stored !== undefined && stored.owner !== state.record.owner) state.record = { ...state.record, owner: stored.owner };
    }
  }

  /**
   * Runs `body` in a synchronous write transaction that may write documents. The record shapes
   * msgpackr holds in memory are reloaded from the database after a failed write and after
   * `transactSync` (whose caller may still roll back), so no later document refers to a shape
   * that was never committed (see `forgetStructures`).
   */
  #write<T>(body: () => T): T {
    this.#settleShapes();
    try {
      return this.dbs.root.transactionSync(body);
    } catch (error) {
      forgetStructures(this.dbs);
      throw error;
    }
  }

  /**
   * Queues `body` behind the generation's earlier batches (see {@link WriteBehind}), with the same
   * care for record shapes as {@link #write}: resolves once its writes have run, before the commit.
   */
  async #writeBehind(scope: SinkScope, position: number, body: () => void): Promise<void> {
    this.#settleShapes();
    try {
      await this.#behind.queue(scope, position, body);
    } catch (error) {
      forgetStructures(this.dbs);
      throw error;
    }
  }

  /** Reloads the record shapes after a `transactSync` whose caller may have rolled back. */
  #settleShapes(): void {
    if (!this.#shapesUncertain) return;
    forgetStructures(this.dbs);
    this.#shapesUncertain = false;
  }

  /** Finishes dropping generations a crash interrupted (run once by the factory). */
  async collectGarbage(): Promise<void> {
    const sids = [...this.dbs.meta.getKeys({ start: ['garbage'], end: ['garbage', Number.MAX_SAFE_INTEGER] })]
      .filter((key) => key[0] === 'garbage')
      .map((key) => key[1] as number);
    for (const sid of sids) {
      let cleared = false;
      while (!cleared) {
        // Stopped by close(): the garbage mark stays and the next open finishes the job.
        if (this.#closing) return;
        cleared = this.dbs.root.transactionSync(() => clearStorageSlice(this.dbs, sid, GARBAGE_SLICE));
        if (!cleared) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('read-model store');
  }

  /**
   * The collection `name`, created on first use. `options` declare indexes (built over stored
   * documents when missing), field types and caching; they are persisted, and indexes declared
   * once stay until {@link Collection.dropIndex}.
   */
  collection<T extends { id: string } = { id: string } & Record<string, unknown>>(name: string, options?: CollectionOptions): Collection<T> {
    this.assertOpen();
    const checked = validateCollectionOptions(name, options);
    let state = this.#states.get(name);
    if (state === undefined) {
      state = this.#loadState(name);
      this.#states.set(name, state);
    }
    if (checked.fields !== undefined && JSON.stringify(checked.fields) !== JSON.stringify(state.record.fields)) {
      const record = { ...state.record, fields: checked.fields };
      // A block body: returning put's promise would keep lmdb-js's transaction open into a later tick.
      this.dbs.root.transactionSync(() => {
        void this.dbs.meta.put(MetaKeys.collection(name), record);
      });
      state.record = record;
    }
    for (const spec of checked.indexes) this.#ensureIndexSync(state, spec);
    if (checked.maxSortRows !== undefined) state.maxSortRows = checked.maxSortRows;
    if (checked.resultCache !== undefined && state.resultCache === undefined) {
      state.resultCache = createTieredCache<unknown>({
        name: `strata-query:${name}`,
        l1: { maxEntries: checked.resultCache.maxEntries ?? 1_000 },
        ...(checked.resultCache.ttlMs === undefined ? {} : { ttlMs: checked.resultCache.ttlMs }),
        broadcast: false,
      });
    }
    let handle = this.#handles.get(name);
    if (handle === undefined) {
      handle = new CollectionHandle<never>(this, state);
      this.#handles.set(name, handle);
    }
    return handle as unknown as Collection<T>;
  }

  #loadState(name: string): CollectionState {
    let record = this.dbs.meta.get(MetaKeys.collection(name)) as CollectionRecord | undefined;
    if (record === undefined) {
      record = { name, indexes: [], nextIndexId: 1, fields: undefined, owner: undefined };
      const created = record;
      this.dbs.root.transactionSync(() => {
        void this.dbs.meta.put(MetaKeys.collection(name), created);
      });
    }
    return {
      name,
      record,
      indexes: record.indexes.map(compileIndex),
      liveSid: undefined,
      maxSortRows: this.#maxSortRows,
      resultCache: undefined,
    };
  }

  #ensureIndexSync(state: CollectionState, spec: IndexSpec): boolean {
    const { name, fields, unique, covering } = normalizeIndexSpec(spec, 'index');
    const existing = state.record.indexes.find((index) => index.name === name);
    if (existing !== undefined) {
      if (existing.unique !== unique || existing.fields.join() !== fields.join() || (existing.covering ?? false) !== covering)
        throw new InvalidArgumentError('index', `collection '${state.name}' already has an index '${name}' with another definition`);
      return false;
    }
    const definition = compileIndex({ id: state.record.nextIndexId, name, fields, unique, ...(covering ? { covering } : {}) });
    const record: CollectionRecord = { ...state.record, indexes: [...state.record.indexes, definition], nextIndexId: definition.id + 1 };
    this.#write(() => {
      buildIndex(this.dbs, state.name, definition);
      this.dbs.meta.put(MetaKeys.collection(state.name), record);
    });
    this.#indexesChanged(state, record);
    return true;
  }

  #indexesChanged(state: CollectionState, record: CollectionRecord): void {
    state.record = record;
    state.indexes = record.indexes.map(compileIndex);
    for (const sid of storagesOf(this.dbs, state.name).values()) {
      const storage = this.#storages.get(sid);
      if (storage !== undefined) {
        storage.stats = undefined;
        storage.epoch++;
      }
    }
  }

  async ensureIndex(state: CollectionState, spec: IndexSpec): Promise<void> {
    this.assertOpen();
    this.#ensureIndexSync(state, spec);
  }

  async dropIndex(state: CollectionState, name: string): Promise<boolean> {
    this.assertOpen();
    const definition = state.record.indexes.find((index) => index.name === name);
    if (definition === undefined) return false;
    const record: CollectionRecord = { ...state.record, indexes: state.record.indexes.filter((index) => index !== definition) };
    this.dbs.root.transactionSync(() => {
      removeIndex(this.dbs, state.name, definition);
      this.dbs.meta.put(MetaKeys.collection(state.name), record);
    });
    this.#indexesChanged(state, record);
    return true;
  }

  liveSid(state: CollectionState): StorageId | null {
    if (state.liveSid !== undefined) return state.liveSid;
    const owner = state.record.owner;
    const generation = owner === undefined ? 0 : readProjection(this.dbs, owner).live;
    state.liveSid = storageId(this.dbs, state.name, generation, false) ?? null;
    return state.liveSid;
  }

  emptyStorage(): StorageId {
    return EMPTY_SID;
  }

  storage(sid: StorageId): StorageState {
    let storage = this.#storages.get(sid);
    if (storage === undefined) {
      storage = { sid, stats: undefined, modifications: 0, epoch: 0 };
      this.#storages.set(sid, storage);
    }
    return storage;
  }

  documentCount(sid: StorageId): number {
    return readCounters(this.dbs, sid).count;
  }

  version(sid: StorageId): number {
    return readCounters(this.dbs, sid).version;
  }

  refreshStatistics(state: CollectionState, storage: StorageState, force = false): void {
    const stats = storage.stats;
    if (!force && stats !== undefined && storage.modifications <= stats.rows * 0.2 + 100) return;
    const rows = storage.sid === EMPTY_SID ? 0 : readCounters(this.dbs, storage.sid).count;
    storage.stats = buildStatistics(this.dbs, storage.sid, rows, state.indexes);
    storage.modifications = 0;
    storage.epoch++;
  }

  #afterCommit(batch: WriteBatch): void {
    for (const [sid, { state, writes }] of batch.touched) {
      this.storage(sid).modifications += writes;
      state.liveSid = undefined;
    }
  }

  async writeDirect(state: CollectionState, ops: readonly WriteOp[]): Promise<(Record<string, unknown> | undefined)[]> {
    this.assertOpen();
    const generation = state.record.owner === undefined ? 0 : readProjection(this.dbs, state.record.owner).live;
    const checked = ops.map((op) => (op.kind === 'insert' || op.kind === 'put' ? validateDocument(op.doc, state.name, state.record.fields) : op));
    const { sid, results } = this.#write(() => applyWrites(this.dbs, state, generation, ops, checked));
    this.storage(sid).modifications += ops.length;
    state.liveSid = undefined;
    return results;
  }

  #claim(name: string, projection: string): CollectionState {
    this.collection(name);
    const state = this.#states.get(name)!;
    const owner = state.record.owner;
    if (owner !== undefined && owner !== projection) {
      throw new OwnershipConflictError(`Collection '${name}' is written by projection '${owner}', not '${projection}'`, {
        argument: 'collection',
        collection: name,
        owner,
        projection,
      });
    }
    return state;
  }

  #persistOwnership(batch: WriteBatch, projection: string): CollectionState[] {
    const claimed: CollectionState[] = [];
    for (const { state } of batch.touched.values()) {
      if (state.record.owner === undefined && !claimed.includes(state)) {
        this.dbs.meta.put(MetaKeys.collection(state.name), { ...state.record, owner: projection });
        claimed.push(state);
      }
    }
    return claimed;
  }

  #checkpoint(scope: SinkScope, position: number): void {
    const record = readProjection(this.dbs, scope.projection);
    checkGeneration(scope.projection, scope.generation, record.live, record.building);
    const next: ProjectionRecord = { ...record, checkpoints: { ...record.checkpoints, [scope.generation]: position } };
    this.dbs.meta.put(MetaKeys.projection(scope.projection), next);
  }

  async transact(scope: SinkScope, position: number, apply: (tx: ReadModelTransaction) => void | Promise<void>): Promise<void> {
    this.assertOpen();
    validateScope(scope, position);
    const batch = new WriteBatch({ dbs: this.dbs, claim: (name) => this.#claim(name, scope.projection) }, scope.projection, scope.generation, false);
    await apply(batch);
    this.assertOpen();
    let claimed: CollectionState[] = [];
    const body = (): void => {
      batch.commit();
      claimed = this.#persistOwnership(batch, scope.projection);
      this.#checkpoint(scope, position);
    };
    // A generation being rebuilt is invisible until promoted, so its batches need not wait for
    // their commit: each commits behind the main thread, and the rebuild prepares its next batch
    // while the write thread commits this one. Crash safety is unchanged: LMDB keeps commits in
    // order, each batch carries its checkpoint, no batch commits on top of a failed one, and a
    // promotion waits for every queued commit.
    if (readProjection(this.dbs, scope.projection).building === scope.generation) await this.#writeBehind(scope, position, body);
    else this.#write(body);
    for (const state of claimed) state.record = { ...state.record, owner: scope.projection };
    this.#afterCommit(batch);
  }

  /** See {@link ReadModelStore.transactSync}. */
  transactSync(scope: SinkScope, position: number, apply: (tx: ReadModelTransaction) => void): void {
    this.assertOpen();
    validateScope(scope, position);
    const batch = new WriteBatch({ dbs: this.dbs, claim: (name) => this.#claim(name, scope.projection) }, scope.projection, scope.generation, true);
    const result = apply(batch) as unknown;
    if (result instanceof Promise) throw new InvalidArgumentError('apply', 'must be synchronous in transactSync');
    // The caller's transaction may roll back after an earlier call returned, or after this one.
    forgetStructures(this.dbs);
    this.#shapesUncertain = true;
    batch.commit();
    const claimed = this.#persistOwnership(batch, scope.projection);
    this.#checkpoint(scope, position);
    for (const state of claimed) state.record = { ...state.record, owner: scope.projection };
    this.#afterCommit(batch);
  }

  async status(projection: string): Promise<SinkProjectionStatus> {
    this.assertOpen();
    validateName(projection, 'projection');
    // A rebuild's batches are committed behind its calls: report what they committed.
    await this.#behind.idle();
    this.assertOpen();
    return projectionStatus(this.dbs, projection);
  }

  #owned(projection: string): CollectionState[] {
    const out: CollectionState[] = [];
    for (const { key, value } of this.dbs.meta.getRange({ start: ['collection'], end: ['collection', '\uffff'] })) {
      if (key[0] !== 'collection' || (value as CollectionRecord).owner !== projection) continue;
      this.collection(key[1] as string);
      out.push(this.#states.get(key[1] as string)!);
    }
    return out;
  }

  async beginGeneration(projection: string): Promise<number> {
    this.assertOpen();
    validateName(projection, 'projection');
    const names = this.#owned(projection).map((state) => state.name);
    const generation = this.dbs.root.transactionSync(() => beginGeneration(this.dbs, projection, names));
    this.#scheduleGarbage();
    return generation;
  }

  async promote(projection: string, generation: number): Promise<void> {
    this.assertOpen();
    validateName(projection, 'projection');
    await this.#behind.settled({ projection, generation });
    this.assertOpen();
    const owned = this.#owned(projection);
    const names = owned.map((state) => state.name);
    this.dbs.root.transactionSync(() => promoteGeneration(this.dbs, projection, generation, names));
    this.#behind.forget({ projection, generation });
    for (const state of owned) state.liveSid = undefined;
    // Readers switched with the commit above, and the old generation is marked as garbage in it: its
    // data is dropped in the background (or by the next open, after a crash), so a promotion is done
    // as soon as readers see the new generation.
    this.#scheduleGarbage();
  }

  /** Resolves once the data of promoted-away generations has been dropped. */
  garbageCollected(): Promise<void> {
    return this.#garbage ?? Promise.resolve();
  }

  #scheduleGarbage(): void {
    const after = this.#garbage ?? Promise.resolve();
    this.#garbage = after
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => (this.#closing ? undefined : this.collectGarbage()))
      // A failed drop leaves the garbage marked; the next open finishes it.
      .catch(() => undefined);
  }

  async discard(projection: string, generation: number): Promise<void> {
    this.assertOpen();
    validateName(projection, 'projection');
    // Its queued commits land (or fail) before it is dropped, so none of them writes into it later.
    await this.#behind.settled({ projection, generation }).catch(() => undefined);
    this.assertOpen();
    const names = this.#owned(projection).map((state) => state.name);
    this.dbs.root.transactionSync(() => discardGeneration(this.dbs, projection, generation, names));
    this.#behind.forget({ projection, generation });
    this.#scheduleGarbage();
  }

  /** Empties the plan cache (every query is planned afresh once). */
  clearPlanCache(): void {
    this.planCache.clear();
  }

  /** Plan-cache counters: hits, misses, evictions by re-planning, size. */
  planCacheStats(): PlanCacheStats {
    return this.planCache.stats();
  }

  /** Closes result caches and, when the store opened it, the LMDB environment. Later calls fail with `STORE_CLOSED`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closing = true;
    await this.#behind.idle();
    await this.#garbage;
    this.#closed = true;
    for (const state of this.#states.values()) await state.resultCache?.close();
    if (this.#ownsEnvironment) await this.dbs.root.close();
  }
}
