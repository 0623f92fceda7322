import { InvalidArgumentError } from '@strata/core';
import { createPgPool, type PgClient, type PgPool } from '@strata/pool';
import { LeaseLostError } from '../errors/projection-errors.js';
import type { Lease, LeaseInfo, LeaseStore } from './lease-store.js';
import { checkTtl } from './in-memory-lease-store.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Options of {@link createPostgresLeaseStore}. */
export type PostgresLeaseStoreOptions = {
  /** A pool from `@strata/pool` (not closed by the lease store), or a connection string. */
  pool?: PgPool;
  connectionString?: string;
  /** Schema of the lease table (default `strata_projections`); created if missing. */
  schema?: string;
};

type Row = { token: string; remaining_ms: number };

/**
 * Leases in a PostgreSQL table (`<schema>.projection_leases`), created idempotently. Expiry is
 * judged by the database's clock; a takeover bumps the fencing token.
 */
export async function createPostgresLeaseStore(options: PostgresLeaseStoreOptions): Promise<LeaseStore> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const schema = options.schema ?? 'strata_projections';
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) throw new InvalidArgumentError('schema', 'expected a lower-case SQL identifier');
  if ((options.pool === undefined) === (options.connectionString === undefined)) {
    throw new InvalidArgumentError('pool', 'expected exactly one of pool and connectionString');
  }
  if (options.connectionString !== undefined && typeof options.connectionString !== 'string') {
    throw new InvalidArgumentError('connectionString', 'expected a string');
  }
  const owned = options.pool === undefined;
  const pool = options.pool ?? createPgPool({ connectionString: options.connectionString as string, min: 0, max: 4, name: 'projection-leases' });
  try {
    await migrate(pool, schema);
  } catch (error) {
    if (owned) await pool.drain();
    throw error;
  }
  return new PostgresLeaseStore(pool, `"${schema}".projection_leases`, owned);
}

async function migrate(pool: PgPool, schema: string): Promise<void> {
  // Two nodes starting at once would race on CREATE ... IF NOT EXISTS; the lock serialises them.
  await pool.transaction(async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('strata_projections.migrate'))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".projection_leases (
         name text PRIMARY KEY, owner text NOT NULL, token bigint NOT NULL, expires_at timestamptz NOT NULL)`,
    );
  });
}

class PostgresLeaseStore implements LeaseStore {
  readonly #pool: PgPool;
  readonly #table: string;
  readonly #owned: boolean;

  constructor(pool: PgPool, table: string, owned: boolean) {
    this.#pool = pool;
    this.#table = table;
    this.#owned = owned;
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    checkTtl(ttlMs);
    const started = Date.now();
    const { rows } = await this.#pool.query<Row>(
      `INSERT INTO ${this.#table} AS l (name, owner, token, expires_at)
       VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, token = l.token + 1, expires_at = EXCLUDED.expires_at
         WHERE l.expires_at <= clock_timestamp() OR l.owner = EXCLUDED.owner
       RETURNING token::text, $3::float8 AS remaining_ms`,
      [name, owner, ttlMs],
    );
    const row = rows[0];
    return row === undefined ? undefined : lease(name, owner, row, started);
  }

  async renew(held: Lease, ttlMs: number): Promise<Lease | undefined> {
    checkTtl(ttlMs);
    const started = Date.now();
    const { rows } = await this.#pool.query<Row>(
      `UPDATE ${this.#table} SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
       WHERE name = $1 AND owner = $2 AND token = $3 AND expires_at > clock_timestamp()
       RETURNING token::text, $4::float8 AS remaining_ms`,
      [held.name, held.owner, held.token, ttlMs],
    );
    const row = rows[0];
    return row === undefined ? undefined : lease(held.name, held.owner, row, started);
  }

  async release(held: Lease): Promise<void> {
    await this.#pool.query(
      `UPDATE ${this.#table} SET expires_at = clock_timestamp() - interval '1 millisecond' WHERE name = $1 AND owner = $2 AND token = $3`,
      [held.name, held.owner, held.token],
    );
  }

  async verify(held: Lease, tx?: unknown): Promise<void> {
    // FOR SHARE inside the sink's transaction: a takeover's UPDATE waits for that commit.
    const sql = `SELECT 1 FROM ${this.#table} WHERE name = $1 AND owner = $2 AND token = $3 AND expires_at > clock_timestamp() FOR SHARE`;
    const values = [held.name, held.owner, held.token];
    const client = isPgClient(tx) ? tx : undefined;
    const { rows } = client !== undefined ? await client.query(sql, values) : await this.#pool.query(sql, values);
    if (rows.length === 0) throw new LeaseLostError(held.name, held.owner, { details: { token: held.token } });
  }

  async list(prefix: string): Promise<LeaseInfo[]> {
    const { rows } = await this.#pool.query<{ name: string; owner: string; live: boolean }>(
      `SELECT name, owner, expires_at > clock_timestamp() AS live FROM ${this.#table} WHERE starts_with(name, $1) ORDER BY name`,
      [prefix],
    );
    return rows.map((row) => ({ name: row.name, owner: row.owner, live: row.live }));
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#pool.drain();
  }
}

/** The local expiry errs early: it counts from before the request was sent. */
function lease(name: string, owner: string, row: Row, started: number): Lease {
  return Object.freeze({ name, owner, token: Number(row.token), expiresAt: started + Number(row.remaining_ms) });
}

function isPgClient(value: unknown): value is PgClient {
  return typeof value === 'object' && value !== null && typeof (value as { query?: unknown }).query === 'function';
}
