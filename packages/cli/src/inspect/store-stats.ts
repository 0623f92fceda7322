import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FORMAT_VERSION, type LmdbEventStore } from '@strata/store-lmdb';
import type { PostgresEventStore } from '@strata/store-postgres';
import type { OpenedStore } from '../stores/open-store.js';

/** What `strata inspect` reports about a store. */
export type StoreStats = {
  backend: 'lmdb' | 'postgres';
  location: string;
  /** Visible events (soft-deleted ones excluded). */
  events: number;
  /** Streams with at least one visible event. */
  streams: number;
  /** Position of the last committed event, -1 for an empty store. */
  headPosition: number;
  /** How the store is laid out: format version and serializer (LMDB), ordering and payload format (PostgreSQL). */
  format: Record<string, string | number>;
  /** Bytes on disk: the data file (LMDB), each table with its indexes and TOAST (PostgreSQL). */
  storage: { name: string; bytes: number; rows?: number }[];
  /** Extra facts of the backend: hidden events, deleted streams, checkpoints (PostgreSQL). */
  extra: Record<string, number>;
  checkpoints?: { name: string; position: number }[];
};

/**
 * Collects a store's statistics. LMDB: one lazy scan of the log (no payload is decoded) and the
 * size of the data file; `onProgress` is called with the position reached. PostgreSQL: catalogue
 * and count queries.
 */
export async function collectStats(opened: OpenedStore, onProgress?: (position: number, head: number) => void): Promise<StoreStats> {
  return opened.kind === 'lmdb' ? lmdbStats(opened.store, opened.location, onProgress) : postgresStats(opened.store, opened.location);
}

async function lmdbStats(
  store: LmdbEventStore,
  location: string,
  onProgress?: (position: number, head: number) => void,
): Promise<StoreStats> {
  const head = await store.headPosition();
  const streams = new Set<string>();
  let events = 0;
  for (const view of store.readAllLazy()) {
    events++;
    streams.add(view.streamId);
    if (onProgress !== undefined && (events & 0xffff) === 0) onProgress(view.position, head);
  }
  onProgress?.(head, head);
  const file = statSync(join(store.path, 'data.mdb'));
  return {
    backend: 'lmdb',
    location,
    events,
    streams: streams.size,
    headPosition: head,
    format: { store: '@strata/store-lmdb', formatVersion: FORMAT_VERSION, serializer: store.serializer.format },
    // The data file is sparse while the map is larger than the data: blocks are what the disk holds.
    storage: [
      { name: 'data.mdb (allocated)', bytes: file.blocks * 512 },
      { name: 'data.mdb (apparent)', bytes: file.size },
    ],
    extra: {},
  };
}

type CountRow = { visible: number; total: number };
type StreamCountRow = { streams: number; soft_deleted: number; hard_deleted: number };

async function postgresStats(store: PostgresEventStore, location: string): Promise<StoreStats> {
  const schema = `"${store.schema}"`;
  const [counts, streamCounts, tables, checkpoints, migrations, head] = await Promise.all([
    store.pool.query<CountRow>(
      `SELECT count(*) FILTER (WHERE NOT hidden)::float8 AS visible, count(*)::float8 AS total FROM ${schema}.events`,
    ),
    store.pool.query<StreamCountRow>(
      `SELECT count(*) FILTER (WHERE version >= visible_from AND NOT soft_deleted AND NOT hard_deleted)::float8 AS streams,
              count(*) FILTER (WHERE soft_deleted)::float8 AS soft_deleted,
              count(*) FILTER (WHERE hard_deleted)::float8 AS hard_deleted
         FROM ${schema}.streams`,
    ),
    store.pool.query<{ name: string; bytes: number; rows: number }>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid)::float8 AS bytes, greatest(c.reltuples, 0)::float8 AS rows
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
      [store.schema],
    ),
    store.pool.query<{ name: string; position: number }>(`SELECT name, position::float8 AS position FROM ${schema}.checkpoints ORDER BY name`),
    store.pool.query<{ version: number }>(`SELECT max(version)::float8 AS version FROM ${schema}.schema_migrations`),
    store.headPosition(),
  ]);
  const count = counts.rows[0]!;
  const streamCount = streamCounts.rows[0]!;
  return {
    backend: 'postgres',
    location,
    events: count.visible,
    streams: streamCount.streams,
    headPosition: head,
    format: {
      store: '@strata/store-postgres',
      schema: store.schema,
      schemaVersion: migrations.rows[0]?.version ?? 0,
      ordering: store.ordering,
      payload: store.format,
    },
    // reltuples is the planner's estimate (refreshed by VACUUM/ANALYZE); the event counts above are exact.
    storage: tables.rows.map((row) => ({ name: row.name, bytes: row.bytes, rows: row.rows })),
    extra: {
      hiddenEvents: count.total - count.visible,
      softDeletedStreams: streamCount.soft_deleted,
      hardDeletedStreams: streamCount.hard_deleted,
    },
    checkpoints: checkpoints.rows,
  };
}
