import type { Databases } from './databases.js';

/**
 * Reads a numeric counter of the `meta` database (0 when absent): the next position, the deletes
 * generation. The `meta` database is read through lmdb-js's string path, which leaves the reused
 * value buffer alone, so this is safe in the middle of a zero-copy scan.
 */
export function readCounter(dbs: Databases, key: string): number {
  const value = dbs.meta.get(key);
  return typeof value === 'number' ? value : 0;
}
