import { InvalidArgumentError } from '@strata/core';
import type { FieldType } from '../query/query-types.js';
import type { IndexSpec } from '../storage/index-definition.js';

/** Options of `store.collection(name, options)`. */
export type CollectionOptions = {
  /** Secondary indexes: a field name, or `{ fields, unique?, name? }` (compound when several fields). */
  indexes?: readonly IndexSpec[];
  /** Declared fields and types: writes and queries naming other fields or values of other types fail. */
  fields?: Readonly<Record<string, FieldType>>;
  /** Cache query results (through `@strata/cache`), dropped from use by any committed write. */
  resultCache?: { ttlMs?: number; maxEntries?: number };
  /** Most rows a query may sort in memory (default: the store's `maxSortRows`). */
  maxSortRows?: number;
};

const TYPES = new Set(['string', 'number', 'boolean']);

function positiveInteger(value: unknown, argument: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < 1))
    throw new InvalidArgumentError(argument, 'must be a positive integer');
}

/** Validates a collection name and its options; failures name the option. */
export function validateCollectionOptions(name: unknown, options: unknown): { indexes: readonly IndexSpec[]; fields: Record<string, FieldType> | undefined; resultCache: CollectionOptions['resultCache']; maxSortRows: number | undefined } {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200)
    throw new InvalidArgumentError('name', 'must be a non-empty string of at most 200 characters');
  if (options === undefined) return { indexes: [], fields: undefined, resultCache: undefined, maxSortRows: undefined };
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', 'must be an object');
  const { indexes, fields, resultCache, maxSortRows } = options as CollectionOptions;
  if (indexes !== undefined && !Array.isArray(indexes)) throw new InvalidArgumentError('indexes', 'must be an array');
  if (fields !== undefined) {
    if (fields === null || typeof fields !== 'object') throw new InvalidArgumentError('fields', 'must be an object of field types');
    for (const [field, type] of Object.entries(fields)) {
      if (!TYPES.has(type as string)) throw new InvalidArgumentError(`fields.${field}`, "must be 'string', 'number' or 'boolean'");
    }
  }
  if (resultCache !== undefined) {
    if (resultCache === null || typeof resultCache !== 'object') throw new InvalidArgumentError('resultCache', 'must be an object');
    positiveInteger(resultCache.ttlMs, 'resultCache.ttlMs');
    positiveInteger(resultCache.maxEntries, 'resultCache.maxEntries');
  }
  positiveInteger(maxSortRows, 'maxSortRows');
  return { indexes: indexes ?? [], fields: fields === undefined ? undefined : { ...fields }, resultCache, maxSortRows };
}
