import { InvalidArgumentError } from '@strata/core';
import { open, type RootDatabase } from 'lmdb';
import { openDatabases } from '../storage/databases.js';
import { LmdbReadModelStore } from './read-model-store.js';
import type { ReadModelStore } from './read-model-store-api.js';

/** Options of {@link createReadModelStore}: give `path` or `environment`. */
export type ReadModelStoreOptions = {
  /** Directory of a new LMDB environment for the store. */
  path?: string;
  /**
   * An open lmdb-js root database to open the store's three named databases in (it needs room for
   * them in `maxDbs`). Required for `transactSync`, which joins that environment's transactions.
   * The store never closes it.
   */
  environment?: RootDatabase;
  /** With `path`: `flush` (default) flushes each commit; `none` never flushes (tests, rebuild scratch). */
  durability?: 'flush' | 'none';
  /** With `path`: LMDB map size in bytes (lmdb-js grows it when needed). */
  mapSize?: number;
  /** Plans kept in the plan cache (default 1,000). */
  planCacheSize?: number;
  /** Most rows a query may sort in memory before failing with `SORT_LIMIT_EXCEEDED` (default 100,000). */
  maxSortRows?: number;
  /** A cached plan whose execution takes this many times its estimated work is re-planned (default 10). */
  replanFactor?: number;
};

const KNOWN = new Set(['path', 'environment', 'durability', 'mapSize', 'planCacheSize', 'maxSortRows', 'replanFactor']);

function positive(value: unknown, argument: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError(argument, 'must be a positive integer');
  return value;
}

/**
 * Opens a read-model store: collections of JSON documents in LMDB with secondary indexes, a
 * cost-based optimizer with a plan cache, and the `ProjectionSink` that projections commit through.
 */
export async function createReadModelStore(options: ReadModelStoreOptions): Promise<ReadModelStore> {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', 'must be an object');
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) throw new InvalidArgumentError(key, 'is not an option of createReadModelStore');
  const { path, environment, durability, mapSize } = options;
  if ((path === undefined) === (environment === undefined)) throw new InvalidArgumentError('path', 'give either path or environment');
  if (path !== undefined && (typeof path !== 'string' || path.length === 0)) throw new InvalidArgumentError('path', 'must be a non-empty string');
  if (environment !== undefined && (environment === null || typeof (environment as { openDB?: unknown }).openDB !== 'function'))
    throw new InvalidArgumentError('environment', 'must be an open lmdb-js root database');
  if (durability !== undefined && durability !== 'flush' && durability !== 'none')
    throw new InvalidArgumentError('durability', "must be 'flush' or 'none'");
  if (environment !== undefined && (durability !== undefined || mapSize !== undefined))
    throw new InvalidArgumentError(durability !== undefined ? 'durability' : 'mapSize', 'belongs to the environment when one is given');
  const settings = {
    planCacheSize: positive(options.planCacheSize, 'planCacheSize', 1_000),
    maxSortRows: positive(options.maxSortRows, 'maxSortRows', 100_000),
    replanFactor: positive(options.replanFactor, 'replanFactor', 10),
  };
  if (mapSize !== undefined) positive(mapSize, 'mapSize', 0);
  const root =
    environment ??
    open({
      path: path!,
      maxDbs: 8,
      ...(durability === 'none' ? { noSync: true } : {}),
      ...(mapSize === undefined ? {} : { mapSize }),
    });
  const store = new LmdbReadModelStore({ dbs: openDatabases(root), ownsEnvironment: environment === undefined, ...settings });
  await store.collectGarbage();
  return store;
}
