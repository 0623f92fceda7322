import type { TieredCache } from '@strata/cache';
import type { StorageId } from '../storage/databases.js';
import type { CollectionRecord } from '../storage/catalog.js';
import type { CompiledIndex } from '../storage/index-definition.js';
import type { Statistics } from '../planner/statistics.js';

/** In-memory state of one collection generation's storage. */
export type StorageState = {
  readonly sid: StorageId;
  stats: Statistics | undefined;
  /** Documents written since the statistics were built. */
  modifications: number;
  /** Bumped when statistics are rebuilt or indexes change; cached plans of older epochs are misses. */
  epoch: number;
};

/** In-memory state of one collection, shared by its facade and by transactions writing it. */
export type CollectionState = {
  readonly name: string;
  record: CollectionRecord;
  indexes: readonly CompiledIndex[];
  /** The storage readers see, `null` when the live generation was never written; `undefined` when not resolved yet. */
  liveSid: StorageId | null | undefined;
  maxSortRows: number;
  resultCache: TieredCache<unknown> | undefined;
};
