import type { Database, Key, RootDatabase } from 'lmdb';

/** Names of the named databases the read-model store opens in its environment. */
export const DATABASE_NAMES = {
  docs: 'strata.query.docs',
  index: 'strata.query.index',
  meta: 'strata.query.meta',
} as const;

/** Every key in these databases starts with a storage id: one per collection and generation. */
export type StorageId = number;

/** The databases of one read-model store. */
export type Databases = {
  readonly root: RootDatabase;
  /** `[storage id, document id]` → document (MessagePack). */
  readonly docs: Database<unknown, [StorageId, string]>;
  /**
   * Index entries. Non-unique: `[storage id, index id, ...values, document id]` → `null` (the
   * document for a covering index);
   * unique: `[storage id, index id, ...values]` → document id. Ordered-binary keys, so a scan in key
   * order is a scan in value order.
   */
  readonly index: Database<unknown, Key[]>;
  /** Catalog, projection generations and checkpoints, per-storage counters (see `catalog.ts`). */
  readonly meta: Database<unknown, Key[]>;
};

/**
 * Documents as plain MessagePack maps: msgpackr's record extension without a shared structure
 * table would embed each record's shape in every value, costing bytes and time on both sides.
 */
const DOC_OPTIONS = { encoding: 'msgpack', useRecords: false } as { encoding: 'msgpack' };

/** Opens (creating if missing) the store's databases inside an open environment. */
export function openDatabases(root: RootDatabase): Databases {
  return {
    root,
    docs: root.openDB<unknown, [StorageId, string]>(DATABASE_NAMES.docs, DOC_OPTIONS),
    index: root.openDB<unknown, Key[]>(DATABASE_NAMES.index, DOC_OPTIONS),
    meta: root.openDB<unknown, Key[]>(DATABASE_NAMES.meta, { encoding: 'msgpack' }),
  };
}
