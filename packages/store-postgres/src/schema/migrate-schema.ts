import { StrataError } from '@strata/core';
import type { PgClient, PgPool } from '@strata/pool';
import { LATEST_VERSION, MIGRATIONS, type MigrationContext } from './migrations.js';
import { qualified, type Ordering, type StoreSettings } from './store-context.js';
import type { PayloadFormat } from '../codec/event-codec.js';

const LOCK = 'SELECT pg_advisory_lock(hashtextextended($1, 0))';
const UNLOCK = 'SELECT pg_advisory_unlock(hashtextextended($1, 0))';

/**
 * Brings a schema to the newest version, safely from several nodes at once: every runner takes a
 * session advisory lock keyed by the schema name first, so one migrates while the others wait
 * and then find nothing left to do. Each migration runs in its own transaction and is recorded in
 * `schema_migrations`. Returns the settings stored in the schema (fixed when it was created).
 */
export async function migrateSchema(
  pool: PgPool,
  context: Omit<MigrationContext, 'settings'>,
): Promise<StoreSettings> {
  const { schema } = context;
  const key = `strata:migrate:${schema}`;
  return pool.withClient(
    async (client) => {
      await client.query(LOCK, [key]);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${qualified(schema, 'schema_migrations')} ` +
            '(version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
        );
        const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${qualified(schema, 'schema_migrations')}`);
        const applied = new Set(rows.map((row) => row.version));
        const newest = Math.max(0, ...applied);
        if (newest > LATEST_VERSION) {
          throw new StrataError(
            'INCOMPATIBLE_FORMAT',
            `Schema '${schema}' is at version ${newest}; this version of @strata/store-postgres knows versions up to ${LATEST_VERSION}`,
            { details: { schema, version: newest, supported: LATEST_VERSION } },
          );
        }
        let settings = applied.size > 0 ? await readSettings(client, schema) : undefined;
        for (const migration of MIGRATIONS) {
          if (applied.has(migration.version)) continue;
          await client.query('BEGIN');
          try {
            settings = await migration.up(client, { ...context, settings });
            await client.query(`INSERT INTO ${qualified(schema, 'schema_migrations')} (version, name) VALUES ($1, $2)`, [
              migration.version,
              migration.name,
            ]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        }
        return settings!;
      } finally {
        await client.query(UNLOCK, [key]).catch(() => undefined);
      }
    },
    { idempotent: true },
  );
}

async function readSettings(client: PgClient, schema: string): Promise<StoreSettings> {
  const { rows } = await client.query<{ ordering: Ordering; format: PayloadFormat; position_base: string }>(
    `SELECT ordering, format, position_base FROM ${qualified(schema, 'store_settings')}`,
  );
  const row = rows[0];
  if (row === undefined) throw new StrataError('INCOMPATIBLE_FORMAT', `Schema '${schema}' has no store settings`, { details: { schema } });
  return { ordering: row.ordering, format: row.format, positionBase: Number(row.position_base) };
}
