import { InvalidArgumentError } from '@strata/core';
import { DocumentExistsError, UniqueViolationError } from '../errors/query-errors.js';
import type { Databases, StorageId } from './databases.js';
import { entryKey, indexValues, sameValues, type CompiledIndex } from './index-definition.js';

/** Where a write goes: one collection generation with the collection's indexes. */
export type WriteTarget = {
  readonly collection: string;
  readonly sid: StorageId;
  readonly indexes: readonly CompiledIndex[];
};

/** A document as stored: a plain object with a string `id`. */
export type StoredDocument = Record<string, unknown> & { id: string };

/**
 * Writes or deletes one document and keeps every index in step, inside a running LMDB write
 * transaction (reads in it see the transaction's earlier writes). `next === undefined` deletes.
 * Throws before touching anything when a new document cannot be indexed; a unique violation is
 * thrown mid-way and relies on the transaction being aborted. Returns the change in document count.
 */
export function writeDocument(
  dbs: Databases,
  target: WriteTarget,
  id: string,
  next: StoredDocument | undefined,
  mode: 'insert' | 'put',
): number {
  const key: [StorageId, string] = [target.sid, id];
  const previous = dbs.docs.get(key) as StoredDocument | undefined;
  if (mode === 'insert' && previous !== undefined) throw new DocumentExistsError(target.collection, id);
  if (previous === undefined && next === undefined) return 0;
  const nextValues = next === undefined ? undefined : target.indexes.map((index) => indexValues(index, next, target.collection));
  for (let i = 0; i < target.indexes.length; i++) {
    const index = target.indexes[i]!;
    const before = previous === undefined ? undefined : indexValues(index, previous, target.collection);
    const after = nextValues?.[i];
    if (before !== undefined && after !== undefined && sameValues(before, after)) {
      if (index.covering === true) dbs.index.put(entryKey(target.sid, index, after, id), next);
      continue;
    }
    if (before !== undefined) dbs.index.remove(entryKey(target.sid, index, before, id));
    if (after === undefined) continue;
    const entry = entryKey(target.sid, index, after, id);
    if (index.unique) {
      const holder = dbs.index.get(entry);
      if (holder !== undefined && holder !== id) throw new UniqueViolationError(target.collection, index.name, id, String(holder));
      dbs.index.put(entry, id);
    } else {
      dbs.index.put(entry, index.covering === true ? next : null);
    }
  }
  if (next === undefined) dbs.docs.remove(key);
  else dbs.docs.put(key, next);
  return (next === undefined ? 0 : 1) - (previous === undefined ? 0 : 1);
}

const MAX_ID_LENGTH = 1_000;

/** Checks a document before it is written: a plain object, a string id, declared field types. */
export function validateDocument(
  doc: unknown,
  collection: string,
  fields: Readonly<Record<string, string>> | undefined,
): StoredDocument {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidArgumentError('document', 'must be a plain object');
  const id = (doc as { id?: unknown }).id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)
    throw new InvalidArgumentError('document.id', `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  if (fields !== undefined) {
    for (const field in doc) {
      if (field === 'id') continue;
      const type = fields[field];
      const value = (doc as Record<string, unknown>)[field];
      if (type === undefined) throw new InvalidArgumentError(`document.${field}`, `unknown field of collection '${collection}'`);
      if (value !== null && value !== undefined && typeof value !== type)
        throw new InvalidArgumentError(`document.${field}`, `must be a ${type} or null in collection '${collection}'`);
    }
  }
  return doc as StoredDocument;
}
