import type { RootDatabase } from 'lmdb';
import { toStrataError } from '../errors/to-strata-error.js';
import { openDatabases, openEnvironment } from '../layout/databases.js';
import { GeneratedIds } from '../layout/generated-ids.js';
import { checkNoForeignData, initializeStoreFormat } from '../layout/store-format.js';
import { resolveLmdbEventStoreOptions, type LmdbEventStoreOptions } from '../options/lmdb-event-store-options.js';
import { resolveSerializer } from '../serializer/resolve-serializer.js';
import { LmdbEventStoreEngine } from './lmdb-event-store-engine.js';
import type { LmdbEventStore } from './lmdb-event-store.js';

/**
 * Opens (or creates) an LMDB event store at `options.path`.
 *
 * Validates every option (`INVALID_ARGUMENT` naming it), opens the LMDB environment and its
 * databases, and checks the store's format marker: a store written by another format version or
 * with another serializer format, or a directory holding other LMDB data, is refused with
 * `INCOMPATIBLE_FORMAT` and left untouched. Several stores (in other processes or worker threads)
 * may open the same path at once.
 *
 * @example
 * const store = await createLmdbEventStore({ path: './data/events' });
 * await store.append('account-42', [{ type: 'Opened', data: { owner: 'ada' } }], { expectedVersion: 'no_stream' });
 * for await (const event of store.readStream('account-42')) console.log(event.version, event.type);
 * await store.close();
 */
export async function createLmdbEventStore(options: LmdbEventStoreOptions): Promise<LmdbEventStore> {
  const resolved = resolveLmdbEventStoreOptions(options);
  let root: RootDatabase;
  try {
    root = openEnvironment(resolved.path, resolved.durability, resolved.mapSize);
  } catch (error) {
    throw toStrataError(error, 'open');
  }
  try {
    checkNoForeignData(root, resolved.path);
    const dbs = openDatabases(root);
    const serializer = resolveSerializer(resolved.serializer, dbs.meta);
    const storeId = initializeStoreFormat(dbs, resolved.path, serializer.format);
    return new LmdbEventStoreEngine({ options: resolved, dbs, serializer, ids: new GeneratedIds(storeId) });
  } catch (error) {
    await root.close().catch(() => undefined);
    throw toStrataError(error, 'open');
  }
}
