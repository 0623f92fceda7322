import pg from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@strata/store-postgres';
import { startPostgres, type PostgresServer } from '@strata/testing';

/**
 * Shared pieces of the PostgreSQL suite: one server for all of its cases (started by the first
 * case's setup, stopped by the last teardown) and "raw" tables shaped like the store's events
 * table, with the same columns and indexes, for the baselines.
 */

let server: PostgresServer | undefined;
let starting: Promise<PostgresServer> | undefined;
let users = 0;

/** The suite's server (durable default settings), started on first use. */
export async function useServer(): Promise<PostgresServer> {
  users++;
  starting ??= startPostgres().then((started) => (server = started));
  return starting;
}

/** The running server's connection URL (between a case's `useServer` and its `releaseServer`). */
export function serverUrl(): string {
  if (server === undefined) throw new Error('the PostgreSQL server is not running');
  return server.connectionString;
}

/** Opens a store on the suite's server (one reference to it) with a pool of `max` connections, all open. */
export async function openStore(schema: string, max: number): Promise<PostgresEventStore> {
  const { connectionString } = await useServer();
  return createPostgresEventStore({ connectionString, schema, poolOptions: { min: max, max } });
}

/** Stops the server once the last case let go of it. */
export async function releaseServer(): Promise<void> {
  users--;
  if (users > 0) return;
  const stopping = server;
  server = undefined;
  starting = undefined;
  if (stopping === undefined) return;
  await waitForDisconnects(stopping.connectionString);
  await stopping.stop();
}

/**
 * Pools resolve `end()` before their sockets have closed; a server shut down at that moment sends
 * those connections an error that a pool without an error listener (a peer's) would throw. Wait
 * until every other client has gone.
 */
async function waitForDisconnects(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
      );
      if (rows[0]?.n === '0') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

/** Columns of a raw row, in insert order. */
export const RAW_COLUMNS = 'position, stream_id, version, event_id, type, schema_version, payload';

/** Creates `<schema>.events` like the store's table (same columns, keys and indexes) and a position sequence. */
export async function createRawTable(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(`CREATE SEQUENCE ${schema}.positions`);
  await pool.query(`CREATE TABLE ${schema}.events (
    position bigint NOT NULL,
    tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL,
    version bigint NOT NULL,
    event_id text NOT NULL,
    type text NOT NULL,
    schema_version integer NOT NULL,
    payload bytea NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    landed_on_empty boolean NOT NULL DEFAULT false,
    hidden boolean NOT NULL DEFAULT false,
    PRIMARY KEY (position),
    UNIQUE (stream_id, version),
    UNIQUE (event_id))`);
}

/** `INSERT INTO <schema>.events … VALUES (…), (…)` for `rows` rows, positions from the sequence. */
export function multiRowInsert(schema: string, rows: number): string {
  const values = Array.from({ length: rows }, (_, r) => {
    const p = r * 5;
    return `(nextval('${schema}.positions'), $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, 1, $${p + 5})`;
  });
  return `INSERT INTO ${schema}.events (${RAW_COLUMNS}) VALUES ${values.join(', ')}`;
}

/** A raw pg pool of `max` connections, opened before measuring. */
export async function rawPool(connectionString: string, max: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => undefined);
  const clients = await Promise.all(Array.from({ length: max }, () => pool.connect()));
  for (const client of clients) client.release();
  return pool;
}
