import { open, type Database, type RootDatabase } from 'lmdb';
import type { Durability } from '../options/lmdb-event-store-options.js';

/** Names of the named databases of one store environment. */
export const DATABASE_NAMES = {
  meta: 'strata.meta',
  log: 'strata.log',
  streams: 'strata.streams',
  extents: 'strata.extents',
  ids: 'strata.ids',
  deleted: 'strata.deleted',
  streamMetadata: 'strata.stream-metadata',
  snapshots: 'strata.snapshots',
  checkpoints: 'strata.checkpoints',
} as const;

/** Keys of the `meta` database. */
export const META_KEYS = {
  format: 'format',
  storeId: 'storeId',
  serializer: 'serializer',
  next: 'next',
  deletes: 'deletes',
  indexed: 'indexed',
  structures: 'structures',
} as const;

/** Every database of one store environment. */
export type Databases = {
  root: RootDatabase;
  /** JSON values: format, store id, next position, indexed watermark, deletes generation, serializer structures. */
  meta: Database<unknown, string>;
  /** First global position of a chunk → the chunk (records of one append, back to back). */
  log: Database<Uint8Array, number>;
  /** Stream id → {@link StreamHead}. */
  streams: Database<Uint8Array, string>;
  /** `[stream id, last version]` → {@link Extent}. */
  extents: Database<Uint8Array, [string, number]>;
  /** Caller-supplied event id → global position. */
  ids: Database<Uint8Array, string>;
  /** Stream id → first visible version, for every stream ever deleted (read filters). */
  deleted: Database<Uint8Array, string>;
  /** Stream id → stream metadata (value envelope). */
  streamMetadata: Database<Uint8Array, string>;
  /** `[stream id, aggregate]` → snapshot. */
  snapshots: Database<Uint8Array, [string, string]>;
  /** Checkpoint name → position. */
  checkpoints: Database<Uint8Array, string>;
};

/**
 * The log's value codec: values are written as given (chunks built by the store), and reads hand
 * over lmdb-js's bytes without copying them. lmdb-js reads a value into one reused buffer (or maps
 * a large one), so a decoded value is valid only until the next read; the store only uses it
 * before reading again. A read costs one view of the value's exact length, and a plain
 * `Uint8Array` rather than lmdb-js's `Buffer`: views of the records inside it are then cut without
 * `Buffer`'s species lookup, at less than half the cost.
 */
const zeroCopyCodec = {
  encode: (value: Uint8Array): Uint8Array => value,
  decode: (bytes: Uint8Array, size: number): Uint8Array => new Uint8Array(bytes.buffer, bytes.byteOffset, size),
};

/** Opens (creating if needed) the LMDB environment at `path`, without touching its databases. */
export function openEnvironment(path: string, durability: Durability, mapSize: number | undefined): RootDatabase {
  return open({
    path,
    maxDbs: 16,
    // 'none' never flushes; the other modes keep lmdb-js's default overlapping sync on Linux and
    // macOS, where a commit is visible at once and flushed in the background.
    ...(durability === 'none' ? { noSync: true } : {}),
    ...(mapSize === undefined ? {} : { mapSize }),
  });
}

/** Opens (creating if needed) every named database of the store in an open environment. */
export function openDatabases(root: RootDatabase): Databases {
  const binary = { encoding: 'binary' } as const;
  return {
    root,
    meta: root.openDB<unknown, string>(DATABASE_NAMES.meta, { encoding: 'json' }),
    // `encoder` is a root option in lmdb-js's types but applies to every database.
    log: root.openDB<Uint8Array, number>(DATABASE_NAMES.log, { encoder: zeroCopyCodec } as object),
    streams: root.openDB<Uint8Array, string>(DATABASE_NAMES.streams, binary),
    extents: root.openDB<Uint8Array, [string, number]>(DATABASE_NAMES.extents, binary),
    ids: root.openDB<Uint8Array, string>(DATABASE_NAMES.ids, binary),
    deleted: root.openDB<Uint8Array, string>(DATABASE_NAMES.deleted, binary),
    streamMetadata: root.openDB<Uint8Array, string>(DATABASE_NAMES.streamMetadata, binary),
    snapshots: root.openDB<Uint8Array, [string, string]>(DATABASE_NAMES.snapshots, binary),
    checkpoints: root.openDB<Uint8Array, string>(DATABASE_NAMES.checkpoints, binary),
  };
}

/** Names in the environment's main database that are not databases of a Strata store. */
export function foreignEntries(root: RootDatabase): string[] {
  const ours = new Set<string>(Object.values(DATABASE_NAMES));
  const foreign: string[] = [];
  for (const key of root.getKeys({ limit: 64 })) {
    const name = String(key);
    if (!ours.has(name)) foreign.push(name);
  }
  return foreign;
}
