import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isStrataError } from '@strata/core';
import { createLmdbEventStore, type LmdbEventStore } from '@strata/store-lmdb';
import { createPostgresEventStore, type PostgresEventStore } from '@strata/store-postgres';
import { CliError, CliErrorCodes } from '../errors/cli-errors.js';

/** An opened store with what the CLI knows about where it lives. */
export type OpenedStore =
  | { readonly kind: 'lmdb'; readonly store: LmdbEventStore; readonly location: string }
  | { readonly kind: 'postgres'; readonly store: PostgresEventStore; readonly location: string };

/** How to open a store named on the command line. */
export type OpenStoreOptions = {
  /** PostgreSQL schema (default the store's default, `strata`). */
  schema?: string;
  /** Most pooled connections to PostgreSQL. Default 4: the CLI is one client among the application's. */
  maxConnections?: number;
};

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
const SERIALIZER_FORMAT_FOUND = /'(msgpack|json)' serializer format/;

/** True when `location` is a PostgreSQL connection URL rather than an LMDB path. */
export function isPostgresUrl(location: string): boolean {
  return POSTGRES_URL.test(location);
}

/** The URL without its password, for output. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/**
 * Opens the store at `location`: a `postgres://` / `postgresql://` URL or the directory of an LMDB
 * store. An LMDB path must already hold a store (`STORE_NOT_FOUND` otherwise): commands that read
 * never create one. The LMDB store's serializer format (msgpack or json) is detected.
 *
 * PostgreSQL stores create or migrate their schema on open (that is the store's contract); the
 * CLI never appends or deletes anything in a store it only inspects.
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  if (isPostgresUrl(location)) {
    const store = await createPostgresEventStore({
      connectionString: location,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      poolOptions: { min: 1, max: options.maxConnections ?? 4 },
    });
    return { kind: 'postgres', store, location: `${redactUrl(location)} (schema ${store.schema})` };
  }
  const path = resolve(location);
  if (!existsSync(join(path, 'data.mdb')) || !statSync(path).isDirectory()) {
    throw new CliError(CliErrorCodes.STORE_NOT_FOUND, `no LMDB store at '${location}' (expected a directory holding data.mdb)`, {
      details: { path: location },
    });
  }
  return { kind: 'lmdb', store: await openLmdb(path), location: path };
}

async function openLmdb(path: string): Promise<LmdbEventStore> {
  try {
    return await createLmdbEventStore({ path });
  } catch (error) {
    // A store created with the JSON serializer refuses to open as MessagePack: open it as it was made.
    const found = isStrataError(error, 'INCOMPATIBLE_FORMAT') ? SERIALIZER_FORMAT_FOUND.exec(String(error.details['found'])) : null;
    if (found?.[1] === undefined) throw error;
    return createLmdbEventStore({ path, serializer: { format: found[1] as 'msgpack' | 'json' } });
  }
}
