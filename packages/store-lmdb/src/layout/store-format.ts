import type { RootDatabase } from 'lmdb';
import { IncompatibleFormatError } from '../errors/incompatible-format-error.js';
import { META_KEYS, foreignEntries, type Databases } from './databases.js';
import { isStoreId, newStoreId } from './generated-ids.js';

/**
 * Version of the on-disk layout (databases, keys, value encodings, log chunks). Bump it for any
 * change an older version would misread; stores of another version are refused with
 * `INCOMPATIBLE_FORMAT` instead of misread.
 */
export const FORMAT_VERSION = 1;

/** What the `format` meta key holds. */
type FormatMarker = { store: string; version: number };

const STORE_NAME = '@strata/store-lmdb';

/**
 * Refuses an environment that holds anything other than a Strata store's databases. Runs before
 * the store creates its databases, so a foreign environment is left untouched.
 */
export function checkNoForeignData(root: RootDatabase, path: string): void {
  const foreign = foreignEntries(root);
  if (foreign.length > 0) {
    throw new IncompatibleFormatError(path, `data that is not a Strata event store (entries such as '${foreign[0]}')`, describeFormat());
  }
}

/**
 * Initialises a new store (format marker, store id, position counter, serializer format) or checks
 * an existing one, in one write transaction so that processes opening a new store at once agree.
 * Returns the store id. Throws `INCOMPATIBLE_FORMAT` for another format version or serializer format.
 */
export function initializeStoreFormat(dbs: Databases, path: string, serializerFormat: string): string {
  const { meta } = dbs;
  return meta.transactionSync(() => {
    const marker = meta.get(META_KEYS.format) as FormatMarker | undefined;
    if (marker === undefined) {
      if (dbs.log.getKeysCount({ limit: 1 }) > 0 || dbs.streams.getKeysCount({ limit: 1 }) > 0) {
        throw new IncompatibleFormatError(path, 'events without a format marker', describeFormat());
      }
      const storeId = newStoreId();
      void meta.put(META_KEYS.format, { store: STORE_NAME, version: FORMAT_VERSION } satisfies FormatMarker);
      void meta.put(META_KEYS.storeId, storeId);
      void meta.put(META_KEYS.serializer, serializerFormat);
      void meta.put(META_KEYS.next, 0);
      void meta.put(META_KEYS.indexed, 0);
      void meta.put(META_KEYS.deletes, 0);
      return storeId;
    }
    if (typeof marker !== 'object' || marker === null || marker.store !== STORE_NAME || typeof marker.version !== 'number') {
      throw new IncompatibleFormatError(path, 'an unrecognised format marker', describeFormat());
    }
    if (marker.version !== FORMAT_VERSION) {
      throw new IncompatibleFormatError(path, `format version ${marker.version}`, describeFormat(), {
        details: { foundVersion: marker.version, expectedVersion: FORMAT_VERSION },
      });
    }
    const stored = meta.get(META_KEYS.serializer);
    if (stored !== serializerFormat) {
      throw new IncompatibleFormatError(path, `events in the '${String(stored)}' serializer format`, `the '${serializerFormat}' format it was opened with`);
    }
    const storeId = meta.get(META_KEYS.storeId);
    if (!isStoreId(storeId)) throw new IncompatibleFormatError(path, 'a malformed store id', describeFormat());
    return storeId;
  });
}

function describeFormat(): string {
  return `format version ${FORMAT_VERSION}`;
}
