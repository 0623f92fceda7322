import type { FindQuery, FindResult, Where } from '../query/query-types.js';
import type { IndexSpec, IndexDefinition } from '../storage/index-definition.js';
import type { QueryPlan } from '../planner/plan.js';

/** What `explain` reports about one considered plan. */
export type PlanAlternative = {
  readonly plan: QueryPlan;
  readonly chosen: boolean;
  /** Measured by running the plan (with `{ execute: true }`). */
  readonly actual?: { readonly rows: number; readonly works: number; readonly durationMs: number };
};

/** The outcome of {@link Collection.explain}. Frozen. */
export type Explanation = {
  readonly chosen: QueryPlan;
  /** The chosen plan came from the plan cache. */
  readonly planCacheHit: boolean;
  /** Every plan considered (the chosen one included), cheapest estimate first. */
  readonly alternatives: readonly PlanAlternative[];
  /** Things worth fixing, such as an in-memory sort of many rows. */
  readonly warnings: readonly string[];
};

/**
 * A collection of JSON documents keyed by their string `id`, with secondary indexes. Reads are
 * synchronous (LMDB reads never wait) and see the collection's live generation; writes commit one
 * LMDB transaction each and resolve once committed. Returned documents are fresh copies unless a
 * result cache is on, in which case they are shared: treat them as immutable.
 */
export interface Collection<T extends { id: string } = { id: string } & Record<string, unknown>> {
  readonly name: string;
  /** The document with this id, or `undefined`. */
  get(id: string): T | undefined;
  /** Documents by id, `undefined` where none is stored, in the order of `ids`. */
  getMany(ids: readonly string[]): (T | undefined)[];
  /** Runs a query with the cheapest plan (cached by query shape). */
  find(query?: FindQuery): FindResult<T>;
  /** The plan `find(query)` would run (from the plan cache when there), and whether it was cached; runs nothing. */
  plan(query?: FindQuery): { readonly plan: QueryPlan; readonly cached: boolean };
  /** The number of documents matching `where`. */
  count(where?: Where): number;
  /** The chosen plan and the alternatives with their estimated (and, with `execute`, actual) costs. */
  explain(query?: FindQuery, options?: { execute?: boolean }): Explanation;
  /** Stores a new document; `DOCUMENT_EXISTS` if its id is taken, `UNIQUE_VIOLATION` if a unique index refuses it. */
  insert(doc: T): Promise<void>;
  /** Stores a document, replacing any with its id. */
  put(doc: T): Promise<void>;
  /** Same as {@link put}. */
  upsert(doc: T): Promise<void>;
  /** Merges `changes` into the stored document (shallow); resolves to the new document, or `undefined` if none. */
  patch(id: string, changes: Partial<Omit<T, 'id'>>): Promise<T | undefined>;
  /** Deletes a document; resolves to whether one was stored. */
  delete(id: string): Promise<boolean>;
  /** Adds an index (building it over the stored documents of every generation) unless one of that name exists. */
  ensureIndex(spec: IndexSpec): Promise<void>;
  /** Drops an index; resolves to whether it existed. */
  dropIndex(name: string): Promise<boolean>;
  /** The collection's indexes. */
  indexes(): readonly IndexDefinition[];
  /** Rebuilds the optimizer's statistics now (they are otherwise rebuilt when enough was written). */
  analyze(): void;
}
