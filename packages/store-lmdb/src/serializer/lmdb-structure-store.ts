import type { Database } from 'lmdb';
import type { Structures, StructureStore } from '@strata/serialization';
import { META_KEYS } from '../layout/databases.js';

/**
 * MessagePack record structures kept in the store's `meta` database, so a reopened store, and any
 * other process or thread on the same path, decodes what was written before.
 *
 * `save` runs in its own synchronous write transaction: it reads what is stored, lets the
 * serializer check compatibility (another writer may have saved first), writes, and commits (and,
 * in the `'flush'` durability mode, flushes) before it returns, so a structure is durable before
 * any record written with it is committed. Structures only grow; a crash between the two loses
 * nothing. Saves happen only when an encode meets a new shape, at most `maxSharedStructures` times
 * over the life of a store.
 *
 * `load` reads through lmdb-js's string path, which never touches the reused value buffer a scan
 * decodes from, so msgpackr may call it in the middle of a decode.
 */
export class LmdbStructureStore implements StructureStore {
  readonly #meta: Database<unknown, string>;

  constructor(meta: Database<unknown, string>) {
    this.#meta = meta;
  }

  load(): Structures | undefined {
    return this.#meta.get(META_KEYS.structures) as Structures | undefined;
  }

  save(structures: Structures, isCompatible: (stored: Structures | undefined) => boolean): boolean {
    return this.#meta.transactionSync(() => {
      if (!isCompatible(this.#meta.get(META_KEYS.structures) as Structures | undefined)) return false;
      void this.#meta.put(META_KEYS.structures, structures);
      return true;
    });
  }
}
