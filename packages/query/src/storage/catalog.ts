import type { Key } from 'lmdb';
import type { Databases, StorageId } from './databases.js';
import type { IndexDefinition } from './index-definition.js';
import type { FieldType } from '../query/query-types.js';

/** A collection as the catalog stores it. */
export type CollectionRecord = {
  readonly name: string;
  readonly indexes: readonly IndexDefinition[];
  readonly nextIndexId: number;
  readonly fields: Readonly<Record<string, FieldType>> | undefined;
  /** The projection that writes the collection, if one does. */
  readonly owner: string | undefined;
};

/** A projection's generations and their checkpoints. */
export type ProjectionRecord = {
  readonly live: number;
  readonly building: number | undefined;
  /** Checkpoint by generation. */
  readonly checkpoints: Readonly<Record<string, number>>;
};

/** Per-storage counters: documents stored and writes committed (the result-cache version). */
export type StorageCounters = { count: number; version: number };

/** Keys of the meta database. */
export const MetaKeys = {
  collection: (name: string): Key[] => ['collection', name],
  storage: (name: string, generation: number): Key[] => ['storage', name, generation],
  nextStorage: ['nextStorage'] as Key[],
  projection: (name: string): Key[] => ['projection', name],
  counters: (sid: StorageId): Key[] => ['counters', sid],
  garbage: (sid: StorageId): Key[] => ['garbage', sid],
} as const;

/** The initial state of a projection the store has not seen. */
export const NEW_PROJECTION: ProjectionRecord = Object.freeze({ live: 0, building: undefined, checkpoints: Object.freeze({}) });

/** Reads a projection's record (the initial state if none). */
export function readProjection(dbs: Databases, projection: string): ProjectionRecord {
  return (dbs.meta.get(MetaKeys.projection(projection)) as ProjectionRecord | undefined) ?? NEW_PROJECTION;
}

/** Reads a storage's counters. */
export function readCounters(dbs: Databases, sid: StorageId): StorageCounters {
  const stored = dbs.meta.get(MetaKeys.counters(sid)) as [number, number] | undefined;
  return stored === undefined ? { count: 0, version: 0 } : { count: stored[0], version: stored[1] };
}

/**
 * Allocates (inside a write transaction) or looks up the storage id of a collection generation.
 * Returns `undefined` from a lookup when the generation was never written.
 */
export function storageId(dbs: Databases, name: string, generation: number, allocate: boolean): StorageId | undefined {
  const key = MetaKeys.storage(name, generation);
  const found = dbs.meta.get(key) as number | undefined;
  if (found !== undefined || !allocate) return found;
  const next = ((dbs.meta.get(MetaKeys.nextStorage) as number | undefined) ?? 0) + 1;
  dbs.meta.put(MetaKeys.nextStorage, next);
  dbs.meta.put(key, next);
  return next;
}

/** Every storage id of a collection, by generation. */
export function storagesOf(dbs: Databases, name: string): Map<number, StorageId> {
  const out = new Map<number, StorageId>();
  for (const { key, value } of dbs.meta.getRange({ start: ['storage', name], end: ['storage', name, '\uffff'] })) {
    if (key[1] === name && typeof key[2] === 'number') out.set(key[2], value as number);
  }
  return out;
}

/**
 * Deletes up to `budget` documents and index entries of a dropped storage (inside a write
 * transaction); once nothing is left, also its counters and its garbage mark. Returns whether the
 * storage is now empty. Dropped generations are cleared in such slices, each in a transaction of
 * its own, so a million-document generation never holds the write lock or the event loop for long.
 */
export function clearStorageSlice(dbs: Databases, sid: StorageId, budget: number): boolean {
  let left = budget;
  for (const key of dbs.docs.getKeys({ start: [sid], end: [sid + 1], limit: left })) {
    dbs.docs.remove(key);
    left--;
  }
  if (left === 0) return false;
  for (const key of dbs.index.getKeys({ start: [sid], end: [sid + 1], limit: left })) {
    dbs.index.remove(key);
    left--;
  }
  if (left === 0) return false;
  dbs.meta.remove(MetaKeys.counters(sid));
  dbs.meta.remove(MetaKeys.garbage(sid));
  return true;
}
