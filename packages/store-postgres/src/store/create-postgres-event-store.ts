import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@strata/core';
import { createPgPool, type PgPool } from '@strata/pool';
import { createSerializer, type Serializer } from '@strata/serialization';
import type { EventCodec, PayloadFormat } from '../codec/event-codec.js';
import { JsonbCodec } from '../codec/jsonb-codec.js';
import { SerializerCodec } from '../codec/serializer-codec.js';
import { migrateSchema } from '../schema/migrate-schema.js';
import { lockSeed, type StoreContext } from '../schema/store-context.js';
import { PgEventStore } from './pg-event-store.js';
import type { PostgresEventStore } from './postgres-event-store.js';
import { resolveStoreOptions, type PostgresEventStoreOptions } from './postgres-store-options.js';

/**
 * Opens an event store on PostgreSQL. Validates every option (`INVALID_ARGUMENT` naming it),
 * creates a pool unless one is given, then creates or migrates the schema (safe from several
 * nodes at once) and checks that an existing schema was created with the same `ordering` and
 * `format` as asked for. Rejects with the pool's errors when the server cannot be reached.
 *
 * @example
 * const store = await createPostgresEventStore({ connectionString: process.env.DATABASE_URL!, schema: 'bank' });
 * await store.append('account-42', [{ type: 'Opened', data: { owner: 'ada' } }], { expectedVersion: 'no_stream' });
 */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  const resolved = resolveStoreOptions(options);
  const { schema } = resolved;
  const ownsPool = resolved.pool === undefined;
  const pool: PgPool =
    resolved.pool ??
    createPgPool({ name: `strata-${schema}`.slice(0, 63), ...resolved.poolOptions, connectionString: resolved.connectionString! });
  try {
    if (ownsPool) await pool.ready;
    const requested: PayloadFormat = resolved.format ?? (resolved.serializer?.format === 'json' ? 'json' : 'msgpack');
    const settings = await migrateSchema(pool, {
      schema,
      ordering: resolved.ordering ?? 'concurrent',
      codec: codecFor(requested, resolved.serializer),
      seed: lockSeed(schema),
    });
    if (resolved.ordering !== undefined && resolved.ordering !== settings.ordering) {
      throw new InvalidArgumentError('ordering', `schema '${schema}' was created with ordering '${settings.ordering}'`);
    }
    if (resolved.format !== undefined && resolved.format !== settings.format) {
      throw new InvalidArgumentError('format', `schema '${schema}' was created with format '${settings.format}'`);
    }
    if (resolved.serializer !== undefined && settings.format !== 'jsonb' && resolved.serializer.format !== settings.format) {
      throw new InvalidArgumentError('serializer', `schema '${schema}' stores the '${settings.format}' format`);
    }
    const values = resolved.serializer ?? createSerializer({ format: settings.format === 'json' ? 'json' : 'msgpack' });
    const ctx: StoreContext = { pool, schema, codec: codecFor(settings.format, values), values, settings, limits: resolved.limits };
    const channel = `strata_${createHash('sha1').update(schema).digest('hex').slice(0, 16)}`;
    return new PgEventStore(ctx, channel, ownsPool, resolved.groupCommit, {
      notify: resolved.notify,
      notifyIntervalMs: resolved.notifyIntervalMs,
      pollIntervalMs: resolved.pollIntervalMs,
    });
  } catch (error) {
    if (ownsPool) await pool.drain().catch(() => undefined);
    throw error;
  }
}

function codecFor(format: PayloadFormat, serializer: Serializer | undefined): EventCodec {
  if (format === 'jsonb') return new JsonbCodec();
  return new SerializerCodec(serializer?.format === format ? serializer : createSerializer({ format }));
}
