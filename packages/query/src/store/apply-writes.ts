import { InvalidArgumentError } from '@strata/core';
import type { Databases, StorageId } from '../storage/databases.js';
import { MetaKeys, readCounters, storageId } from '../storage/catalog.js';
import { validateDocument, writeDocument, type StoredDocument } from '../storage/write-document.js';
import type { CollectionState } from '../collection/collection-state.js';
import type { WriteOp } from './store-engine.js';

/**
 * Applies a collection's own writes (not a projection's) to one generation, inside a write
 * transaction, and bumps its counters. `checked[i]` is the validated document of op `i` when it
 * is an insert or put. Results are each op's new document (patch, put) or removed one (delete).
 */
export function applyWrites(
  dbs: Databases,
  state: CollectionState,
  generation: number,
  ops: readonly WriteOp[],
  checked: readonly unknown[],
): { sid: StorageId; results: (Record<string, unknown> | undefined)[] } {
  const results: (Record<string, unknown> | undefined)[] = [];
  const sid = storageId(dbs, state.name, generation, true)!;
  const target = { collection: state.name, sid, indexes: state.indexes };
  let delta = 0;
  ops.forEach((op, i) => {
    if (op.kind === 'insert' || op.kind === 'put') {
      const doc = checked[i] as StoredDocument;
      delta += writeDocument(dbs, target, doc.id, doc, op.kind);
      results.push(doc);
    } else if (op.kind === 'patch') {
      if (op.changes === null || typeof op.changes !== 'object') throw new InvalidArgumentError('changes', 'must be an object');
      const current = dbs.docs.get([sid, op.id]) as StoredDocument | undefined;
      if (current === undefined) {
        results.push(undefined);
        return;
      }
      const next = validateDocument({ ...current, ...(op.changes as object), id: op.id }, state.name, state.record.fields);
      delta += writeDocument(dbs, target, op.id, next, 'put');
      results.push(next);
    } else {
      const { id } = op as { readonly id: string };
      const current = dbs.docs.get([sid, id]) as StoredDocument | undefined;
      delta += writeDocument(dbs, target, id, undefined, 'put');
      results.push(current);
    }
  });
  const counters = readCounters(dbs, sid);
  dbs.meta.put(MetaKeys.counters(sid), [counters.count + delta, counters.version + 1]);
  return { sid, results };
}
