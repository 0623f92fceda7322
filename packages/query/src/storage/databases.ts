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
  /**
   * `index` for scans that read values only (a covering entry holds its document, id included):
   * the same handle, except that the keys its ranges yield are not decoded (see
   * {@link valuesOnly}). Iterate it synchronously.
   */
  readonly indexValues: Pick<Database<unknown, Key[]>, 'getRange'>;
  /** `docs` for walks that read values only (a document holds its id), like {@link Databases.indexValues}. */
  readonly docsValues: Pick<Database<unknown, [StorageId, string]>, 'getRange'>;
  /** Catalog, projection generations and checkpoints, per-storage counters (see `catalog.ts`). */
  readonly meta: Database<unknown, Key[]>;
};

/**
 * Where the docs and index databases keep their MessagePack record structures (each its own). A
 * symbol key sorts before every array key the store writes, so no scan of a storage meets it.
 */
const STRUCTURES_KEY = Symbol.for('strata.query.structures');

/**
 * Documents as MessagePack records with structures shared through the database: a document's
 * field names are written once per shape, not once per document, and decoding builds objects
 * from a known shape. lmdb-js saves a new shape in the write transaction that first meets it.
 * Documents that earlier versions wrote as plain maps still decode, to objects (`mapsAsObjects`:
 * with shared structures lmdb-js would otherwise decode a map to a `Map`).
 */
const DOC_OPTIONS = { encoding: 'msgpack', sharedStructuresKey: STRUCTURES_KEY, mapsAsObjects: true } as { encoding: 'msgpack' };

/** The part of lmdb-js's msgpackr encoder {@link forgetStructures} touches. */
type StructuresHolder = { encoder?: { structures?: unknown } };

function forget(db: Database<unknown, Key>): void {
  const encoder = (db as unknown as StructuresHolder).encoder;
  if (encoder?.structures === undefined) return;
  const fresh = Object.assign([] as unknown[], { uninitialized: true, sharedLength: 0 });
  encoder.structures = fresh;
}

/**
 * Drops the record structures the docs and index encoders hold in memory; both reload them from
 * the database on next use. A write transaction that rolls back takes the shapes it saved with
 * it, but msgpackr keeps them in memory and would write later documents of the same shape against
 * a structure that was never committed: unreadable after a reopen, and by other processes. The
 * store calls this after every write that fails and whenever a caller's transaction it joined may
 * have rolled back, so what it encodes always refers to committed (or same-transaction) shapes.
 */
export function forgetStructures(dbs: Databases): void {
  forget(dbs.docs);
  forget(dbs.index);
}

const NO_KEY: Key[] = [];

/**
 * A view of `db` whose ranges skip decoding keys: lmdb-js decodes every key a range yields
 * through the handle's `readKey` (for the index, an ordered-binary array: about a tenth of a
 * covering scan). The view inherits everything else from the handle, so it shares the handle's
 * database, encoder, shapes and reusable cursor; the keys it yields are an empty placeholder.
 * lmdb-js repositions a range by its last key only when iteration spans a read-transaction
 * renewal, which the store's synchronous scans never do.
 */
function valuesOnly<K extends Key>(db: Database<unknown, K>): Pick<Database<unknown, K>, 'getRange'> {
  return Object.create(db, { readKey: { value: () => NO_KEY } }) as Database<unknown, K>;
}

/** Opens (creating if missing) the store's databases inside an open environment. */
export function openDatabases(root: RootDatabase): Databases {
  const index = root.openDB<unknown, Key[]>(DATABASE_NAMES.index, DOC_OPTIONS);
  const docs = root.openDB<unknown, [StorageId, string]>(DATABASE_NAMES.docs, DOC_OPTIONS);
  return {
    root,
    docs,
    docsValues: valuesOnly(docs),
    index,
    indexValues: valuesOnly(index),
    meta: root.openDB<unknown, Key[]>(DATABASE_NAMES.meta, { encoding: 'msgpack' }),
  };
}
