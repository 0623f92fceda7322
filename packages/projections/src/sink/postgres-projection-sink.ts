import { InvalidArgumentError, type ProjectionSink, type SinkProjectionStatus, type SinkScope } from '@strata/core';
import type { PgClient, PgPool, PgQueryResult, PgRow } from '@strata/pool';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The write handle of {@link createPostgresProjectionSink}: the transaction's connection and the scope. */
export type PostgresSinkTransaction = PgClient & {
  readonly projection: string;
  /** The generation being written: name or key your tables by it to support blue/green rebuilds. */
  readonly generation: number;
};

/** Options of {@link createPostgresProjectionSink}. */
export type PostgresProjectionSinkOptions = {
  pool: PgPool;
  /** Schema of the checkpoint table (default `strata_projections`); created if missing. */
  schema?: string;
  /** Drops a generation's data (after a promotion replaced it, or a discarded rebuild). */
  dropGeneration?(client: PgClient, projection: string, generation: number): Promise<void>;
};

/**
 * A {@link ProjectionSink} for read models kept in your own PostgreSQL tables: each batch runs in
 * one PostgreSQL transaction together with the projection's checkpoint, so the tables and the
 * checkpoint commit atomically. Combined with a PostgreSQL lease store, the lease is checked in
 * that same transaction (fencing).
 */
export async function createPostgresProjectionSink(options: PostgresProjectionSinkOptions): Promise<ProjectionSink<PostgresSinkTransaction>> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  if (typeof options.pool?.transaction !== 'function') throw new InvalidArgumentError('pool', 'expected a PgPool');
  const schema = options.schema ?? 'strata_projections';
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) throw new InvalidArgumentError('schema', 'expected a lower-case SQL identifier');
  if (options.dropGeneration !== undefined && typeof options.dropGeneration !== 'function') {
    throw new InvalidArgumentError('dropGeneration', 'expected a function');
  }
  await options.pool.transaction(async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('strata_projections.migrate'))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".projection_checkpoints (
         projection text NOT NULL, generation integer NOT NULL, checkpoint bigint, live boolean NOT NULL,
         PRIMARY KEY (projection, generation))`,
    );
  });
  return new PostgresProjectionSink(options.pool, `"${schema}".projection_checkpoints`, options.dropGeneration);
}

type Row = { generation: number; checkpoint: string | null; live: boolean };

class PostgresProjectionSink implements ProjectionSink<PostgresSinkTransaction> {
  readonly #pool: PgPool;
  readonly #table: string;
  readonly #drop: PostgresProjectionSinkOptions['dropGeneration'];

  constructor(pool: PgPool, table: string, drop: PostgresProjectionSinkOptions['dropGeneration']) {
    this.#pool = pool;
    this.#table = table;
    this.#drop = drop;
  }

  async status(projection: string): Promise<SinkProjectionStatus> {
    const { rows } = await this.#pool.query<Row>(`SELECT generation, checkpoint::text, live FROM ${this.#table} WHERE projection = $1 ORDER BY generation`, [projection]);
    const live = rows.find((row) => row.live);
    const building = rows.filter((row) => !row.live && row.generation > (live?.generation ?? 0)).at(-1);
    const status: SinkProjectionStatus = { liveGeneration: live?.generation ?? 0, checkpoint: toNumber(live?.checkpoint) };
    if (building !== undefined) status.building = { generation: building.generation, checkpoint: toNumber(building.checkpoint) };
    return status;
  }

  async transact(scope: SinkScope, position: number, apply: (tx: PostgresSinkTransaction) => void | Promise<void>): Promise<void> {
    await this.#pool.transaction(async (client) => {
      const tx: PostgresSinkTransaction = {
        projection: scope.projection,
        generation: scope.generation,
        query: <R = PgRow>(query: Parameters<PgClient['query']>[0], values?: readonly unknown[]): Promise<PgQueryResult<R>> => client.query<R>(query, values),
      };
      await apply(tx);
      await client.query(
        `INSERT INTO ${this.#table} (projection, generation, checkpoint, live) VALUES ($1, $2, $3, $2 = 0)
         ON CONFLICT (projection, generation) DO UPDATE SET checkpoint = EXCLUDED.checkpoint`,
        [scope.projection, scope.generation, position],
      );
    });
  }

  async beginGeneration(projection: string): Promise<number> {
    return this.#pool.transaction(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`strata_projections.${projection}`]);
      const { rows } = await client.query<{ next: number }>(`SELECT COALESCE(MAX(generation), 0) + 1 AS next FROM ${this.#table} WHERE projection = $1`, [projection]);
      const generation = Number(rows[0]?.next ?? 1);
      await client.query(`INSERT INTO ${this.#table} (projection, generation, checkpoint, live) VALUES ($1, $2, NULL, false)`, [projection, generation]);
      return generation;
    });
  }

  async promote(projection: string, generation: number): Promise<void> {
    await this.#pool.transaction(async (client) => {
      const { rows } = await client.query<{ generation: number }>(`SELECT generation FROM ${this.#table} WHERE projection = $1 AND live FOR UPDATE`, [projection]);
      await client.query(`UPDATE ${this.#table} SET live = (generation = $2) WHERE projection = $1`, [projection, generation]);
      for (const row of rows) {
        if (row.generation === generation) continue;
        await client.query(`DELETE FROM ${this.#table} WHERE projection = $1 AND generation = $2`, [projection, row.generation]);
        await this.#drop?.(client, projection, row.generation);
      }
      if (rows.length === 0 && generation !== 0) await this.#drop?.(client, projection, 0);
    });
  }

  async discard(projection: string, generation: number): Promise<void> {
    await this.#pool.transaction(async (client) => {
      await client.query(`DELETE FROM ${this.#table} WHERE projection = $1 AND generation = $2 AND NOT live`, [projection, generation]);
      await this.#drop?.(client, projection, generation);
    });
  }
}

function toNumber(value: string | null | undefined): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}
