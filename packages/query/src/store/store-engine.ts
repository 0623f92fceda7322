import type { Databases, StorageId } from '../storage/databases.js';
import type { IndexSpec } from '../storage/index-definition.js';
import type { PlanCache } from '../planner/plan-cache.js';
import type { CollectionState, StorageState } from '../collection/collection-state.js';

/** One write, as collections and transactions hand it to the engine. */
export type WriteOp =
  | { readonly kind: 'insert' | 'put'; readonly doc: unknown }
  | { readonly kind: 'patch'; readonly id: string; readonly changes: unknown }
  | { readonly kind: 'delete'; readonly id: string };

/** What collection handles need from the store (internal). */
export interface StoreEngine {
  readonly dbs: Databases;
  readonly planCache: PlanCache;
  readonly replanFactor: number;
  readonly replanMinWorks: number;
  assertOpen(): void;
  /** The storage readers of the collection see, or `null` when it holds nothing. */
  liveSid(state: CollectionState): StorageId | null;
  /** A storage id that never holds data, for explaining queries on empty collections. */
  emptyStorage(): StorageId;
  storage(sid: StorageId): StorageState;
  /** The storage's committed document count. */
  documentCount(sid: StorageId): number;
  /** The storage's write counter, as committed (result-cache key). */
  version(sid: StorageId): number;
  refreshStatistics(state: CollectionState, storage: StorageState, force?: boolean): void;
  /** Applies writes to the live generation in one transaction; resolves to each op's resulting (or deleted) document. */
  writeDirect(state: CollectionState, ops: readonly WriteOp[]): Promise<(Record<string, unknown> | undefined)[]>;
  ensureIndex(state: CollectionState, spec: IndexSpec): Promise<void>;
  dropIndex(state: CollectionState, name: string): Promise<boolean>;
}
