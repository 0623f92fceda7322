import { InvalidArgumentError } from '@strata/core';
import type { PgPool } from '@strata/pool';
import type { DeadLetter, DeadLetterStore } from './dead-letter-store.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

type Row = {
  projection: string;
  position: string;
  stream_id: string;
  event_id: string;
  type: string;
  error: DeadLetter['error'];
  attempts: number;
  parked_at: string;
};

/**
 * Dead letters in `<schema>.projection_dead_letters` (created idempotently), shared by every node and
 * kept across restarts.
 */
export async function createPostgresDeadLetterStore(options: { pool: PgPool; schema?: string }): Promise<DeadLetterStore> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  if (typeof options.pool?.transaction !== 'function') throw new InvalidArgumentError('pool', 'expected a PgPool');
  const schema = options.schema ?? 'strata_projections';
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) throw new InvalidArgumentError('schema', 'expected a lower-case SQL identifier');
  await options.pool.transaction(async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('strata_projections.migrate'))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".projection_dead_letters (
         projection text NOT NULL, position bigint NOT NULL, stream_id text NOT NULL, event_id text NOT NULL,
         type text NOT NULL, error jsonb NOT NULL, attempts integer NOT NULL, parked_at bigint NOT NULL,
         PRIMARY KEY (projection, position))`,
    );
  });
  return new PostgresDeadLetterStore(options.pool, `"${schema}".projection_dead_letters`);
}

class PostgresDeadLetterStore implements DeadLetterStore {
  readonly #pool: PgPool;
  readonly #table: string;

  constructor(pool: PgPool, table: string) {
    this.#pool = pool;
    this.#table = table;
  }

  async park(letter: DeadLetter): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#table} (projection, position, stream_id, event_id, type, error, attempts, parked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (projection, position) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, parked_at = EXCLUDED.parked_at`,
      [letter.projection, letter.position, letter.streamId, letter.eventId, letter.type, JSON.stringify(letter.error), letter.attempts, letter.parkedAt],
      { idempotent: true },
    );
  }

  async list(projection?: string): Promise<DeadLetter[]> {
    const { rows } = await this.#pool.query<Row>(
      `SELECT projection, position::text, stream_id, event_id, type, error, attempts, parked_at::text FROM ${this.#table}
       WHERE $1::text IS NULL OR projection = $1 ORDER BY position, projection`,
      [projection ?? null],
      { idempotent: true },
    );
    return rows.map((row) => ({
      projection: row.projection,
      position: Number(row.position),
      streamId: row.stream_id,
      eventId: row.event_id,
      type: row.type,
      error: row.error,
      attempts: row.attempts,
      parkedAt: Number(row.parked_at),
    }));
  }

  async remove(projection: string, position: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query(`DELETE FROM ${this.#table} WHERE projection = $1 AND position = $2`, [projection, position]);
    return (rowCount ?? 0) > 0;
  }
}
