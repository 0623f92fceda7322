import { UniqueViolationError } from '../errors/query-errors.js';
import type { Databases } from './databases.js';
import { storagesOf } from './catalog.js';
import { entryKey, indexValues, type CompiledIndex } from './index-definition.js';
import type { StoredDocument } from './write-document.js';

/**
 * Writes the entries of a new index for every stored document of every generation of a
 * collection (inside a write transaction). A unique index that two documents would share throws
 * `UNIQUE_VIOLATION`, and the transaction's abort leaves no entry behind.
 */
export function buildIndex(dbs: Databases, collection: string, index: CompiledIndex): void {
  for (const sid of storagesOf(dbs, collection).values()) {
    for (const { value } of dbs.docs.getRange({ start: [sid], end: [sid + 1] })) {
      const doc = value as StoredDocument;
      const key = entryKey(sid, index, indexValues(index, doc, collection), doc.id);
      if (index.unique) {
        const holder = dbs.index.get(key);
        if (holder !== undefined) throw new UniqueViolationError(collection, index.name, doc.id, String(holder));
        dbs.index.put(key, doc.id);
      } else dbs.index.put(key, index.covering === true ? doc : null);
    }
  }
}

/** Removes every entry of an index in every generation of a collection (inside a write transaction). */
export function removeIndex(dbs: Databases, collection: string, index: { readonly id: number }): void {
  for (const sid of storagesOf(dbs, collection).values()) {
    for (const key of dbs.index.getKeys({ start: [sid, index.id], end: [sid, index.id + 1] })) dbs.index.remove(key);
  }
}
