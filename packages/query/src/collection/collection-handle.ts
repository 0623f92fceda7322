import { InvalidArgumentError, diagnosticsChannel, ChannelNames, type QueryMessage } from '@strata/core';
import type { FindQuery, FindResult, Where } from '../query/query-types.js';
import { normalizeQuery, type NormalizedQuery, type QuerySchema } from '../query/normalize-query.js';
import { compilePredicate } from '../query/compile-predicate.js';
import type { IndexDefinition, IndexSpec } from '../storage/index-definition.js';
import { enumeratePlans, type PlanningContext } from '../planner/optimizer.js';
import { planKey } from '../planner/plan-cache.js';
import { executePlan, countPlan, type ExecutionContext } from '../planner/executor.js';
import { freezePlan, type ExecutablePlan, type QueryPlan } from '../planner/plan.js';
import type { Collection, Explanation, PlanAlternative } from './collection.js';
import type { CollectionState, StorageState } from './collection-state.js';
import type { StoreEngine } from '../store/store-engine.js';

const channel = diagnosticsChannel(ChannelNames.query);

/** The public face of a collection; state and storage live in the store's engine. */
export class CollectionHandle<T extends { id: string }> implements Collection<T> {
  readonly #engine: StoreEngine;
  readonly #state: CollectionState;

  constructor(engine: StoreEngine, state: CollectionState) {
    this.#engine = engine;
    this.#state = state;
  }

  get name(): string {
    return this.#state.name;
  }

  get(id: string): T | undefined {
    if (typeof id !== 'string') throw new InvalidArgumentError('id', 'must be a string');
    const sid = this.#engine.liveSid(this.#state);
    if (sid === null) return undefined;
    return this.#engine.dbs.docs.get([sid, id]) as T | undefined;
  }

  getMany(ids: readonly string[]): (T | undefined)[] {
    if (!Array.isArray(ids)) throw new InvalidArgumentError('ids', 'must be an array of ids');
    return ids.map((id) => this.get(id));
  }

  /** What queries are checked against, rebuilt only when the collection's declared fields change. */
  #schema: QuerySchema | undefined;

  #normalize(query: FindQuery | undefined): NormalizedQuery {
    const fields = this.#state.record.fields;
    let schema = this.#schema;
    if (schema === undefined || schema.fields !== fields) this.#schema = schema = { collection: this.#state.name, fields };
    return normalizeQuery(query, schema);
  }

  #planning(storage: StorageState): PlanningContext {
    return { collection: this.#state.name, indexes: this.#state.indexes, stats: storage.stats!, maxSortRows: this.#state.maxSortRows };
  }

  #context(storage: StorageState): ExecutionContext {
    return { dbs: this.#engine.dbs, sid: storage.sid, collection: this.#state.name, maxSortRows: this.#state.maxSortRows };
  }

  #plan(storage: StorageState, query: NormalizedQuery): { executable: ExecutablePlan; hit: boolean; key: number; alternatives: ExecutablePlan[] | undefined } {
    this.#engine.refreshStatistics(this.#state, storage);
    const key = planKey(storage.sid, query.hash);
    const cached = this.#engine.planCache.get(key, storage.epoch, query.tokens);
    if (cached !== undefined) return { executable: cached.executable, hit: true, key, alternatives: undefined };
    const filter = compilePredicate(query.predicate);
    const plans = enumeratePlans(query, this.#planning(storage));
    const alternatives = plans.map((plan) => Object.freeze({ plan, filter }));
    const executable = alternatives[0]!;
    this.#engine.planCache.set(key, { executable, epoch: storage.epoch, tokens: query.tokens });
    return { executable, hit: false, key, alternatives };
  }

  #observe(key: number, executable: ExecutablePlan, works: number): void {
    // MongoDB-style: a cached plan that took far more work than estimated was planned for other values.
    const limit = Math.max(executable.plan.estimatedWorks * this.#engine.replanFactor, this.#engine.replanMinWorks);
    if (works > limit) this.#engine.planCache.evict(key);
  }

  find(query?: FindQuery): FindResult<T> {
    this.#engine.assertOpen();
    const started = channel.hasSubscribers ? performance.now() : 0;
    const normalized = this.#normalize(query);
    const sid = this.#engine.liveSid(this.#state);
    if (sid === null) return { items: [], cursor: undefined };
    const cache = this.#state.resultCache;
    let cacheKey: string | undefined;
    if (cache !== undefined) {
      cacheKey = `f:${sid}:${this.#engine.version(sid)}:${JSON.stringify(query ?? {})}`;
      const hit = cache.getSync(cacheKey) as FindResult<T> | undefined;
      if (hit !== undefined) return hit;
    }
    const storage = this.#engine.storage(sid);
    const { executable, hit, key } = this.#plan(storage, normalized);
    const result = executePlan(this.#context(storage), executable, normalized);
    if (hit) this.#observe(key, executable, result.works);
    const out = { items: result.items as T[], cursor: result.cursor };
    if (cache !== undefined) cache.set(cacheKey!, out).catch(() => undefined);
    if (channel.hasSubscribers) {
      const message: QueryMessage = {
        collection: this.#state.name,
        planCacheHit: hit,
        durationMs: performance.now() - started,
        results: out.items.length,
      };
      channel.publish(message);
    }
    return out;
  }

  plan(query?: FindQuery): { readonly plan: QueryPlan; readonly cached: boolean } {
    this.#engine.assertOpen();
    const normalized = this.#normalize(query);
    const sid = this.#engine.liveSid(this.#state) ?? this.#engine.emptyStorage();
    const { executable, hit } = this.#plan(this.#engine.storage(sid), normalized);
    return { plan: executable.plan, cached: hit };
  }

  count(where?: Where): number {
    this.#engine.assertOpen();
    const normalized = this.#normalize(where === undefined ? {} : { where });
    const sid = this.#engine.liveSid(this.#state);
    if (sid === null) return 0;
    // The generation's document counter is kept in step with every write.
    if (normalized.predicate.kind === 'true') return this.#engine.documentCount(sid);
    const cache = this.#state.resultCache;
    let cacheKey: string | undefined;
    if (cache !== undefined) {
      cacheKey = `c:${sid}:${this.#engine.version(sid)}:${JSON.stringify(where ?? {})}`;
      const hit = cache.getSync(cacheKey) as number | undefined;
      if (hit !== undefined) return hit;
    }
    const storage = this.#engine.storage(sid);
    const { executable, key, hit } = this.#plan(storage, normalized);
    const { count, works } = countPlan(this.#context(storage), executable, normalized);
    if (hit) this.#observe(key, executable, works);
    if (cache !== undefined) cache.set(cacheKey!, count).catch(() => undefined);
    return count;
  }

  explain(query?: FindQuery, options: { execute?: boolean } = {}): Explanation {
    this.#engine.assertOpen();
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', 'must be an object');
    const normalized = this.#normalize(query);
    const sid = this.#engine.liveSid(this.#state) ?? this.#engine.emptyStorage();
    const storage = this.#engine.storage(sid);
    this.#engine.refreshStatistics(this.#state, storage);
    const cached = this.#engine.planCache.get(planKey(storage.sid, normalized.hash), storage.epoch, normalized.tokens);
    const filter = compilePredicate(normalized.predicate);
    const plans = enumeratePlans(normalized, this.#planning(storage));
    const chosen = cached?.executable.plan ?? plans[0]!;
    const context = this.#context(storage);
    const alternatives: PlanAlternative[] = plans.map((plan) => {
      const isChosen = JSON.stringify(plan.access) === JSON.stringify(chosen.access) && plan.sort === chosen.sort;
      if (options.execute !== true) return { plan, chosen: isChosen };
      const started = performance.now();
      try {
        const result = executePlan(context, { plan, filter }, normalized);
        return { plan, chosen: isChosen, actual: { rows: result.items.length, works: result.works, durationMs: performance.now() - started } };
      } catch {
        return { plan, chosen: isChosen };
      }
    });
    const warnings: string[] = [];
    if (chosen.sort === 'memory' && normalized.orderBy.length > 0 && chosen.estimatedRows > this.#state.maxSortRows / 10) {
      warnings.push(
        `in-memory sort of about ${Math.round(chosen.estimatedRows)} rows by ${normalized.orderBy.map((k) => k.field).join(', ')} (maxSortRows ${this.#state.maxSortRows}); an index on these fields avoids it`,
      );
    }
    return freezePlan({ chosen, planCacheHit: cached !== undefined, alternatives, warnings });
  }

  insert(doc: T): Promise<void> {
    return this.#engine.writeDirect(this.#state, [{ kind: 'insert', doc }]).then(() => undefined);
  }

  put(doc: T): Promise<void> {
    return this.#engine.writeDirect(this.#state, [{ kind: 'put', doc }]).then(() => undefined);
  }

  upsert(doc: T): Promise<void> {
    return this.put(doc);
  }

  patch(id: string, changes: Partial<Omit<T, 'id'>>): Promise<T | undefined> {
    return this.#engine.writeDirect(this.#state, [{ kind: 'patch', id, changes }]).then((docs) => docs[0] as T | undefined);
  }

  delete(id: string): Promise<boolean> {
    return this.#engine.writeDirect(this.#state, [{ kind: 'delete', id }]).then((docs) => docs[0] !== undefined);
  }

  ensureIndex(spec: IndexSpec): Promise<void> {
    return this.#engine.ensureIndex(this.#state, spec);
  }

  dropIndex(name: string): Promise<boolean> {
    return this.#engine.dropIndex(this.#state, name);
  }

  indexes(): readonly IndexDefinition[] {
    return this.#state.record.indexes;
  }

  analyze(): void {
    this.#engine.assertOpen();
    const sid = this.#engine.liveSid(this.#state);
    if (sid !== null) this.#engine.refreshStatistics(this.#state, this.#engine.storage(sid), true);
  }
}
