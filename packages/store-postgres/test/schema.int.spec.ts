import { afterAll, beforeAll, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { createPgPool, type PgPool } from '@strata/pool';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore } from '../src/index.js';

let server: PostgresServer;
let admin: PgPool;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  admin = createPgPool({ connectionString: server.connectionString, min: 0, max: 2, name: 'admin', healthCheck: false });
});

afterAll(async () => {
  await admin?.drain();
  await server?.stop();
});

async function failure(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

it('creates and migrates a schema once when several stores open it at the same moment', async () => {
  const stores = await Promise.all(
    Array.from({ length: 6 }, () => createPostgresEventStore({ connectionString: server.connectionString, schema: 'racing_open' })),
  );
  const { rows } = await admin.query<{ version: number }>('SELECT version FROM racing_open.schema_migrations');
  expect(rows.map((row) => row.version)).toEqual([1]);
  const results = await Promise.all(stores.map((store, i) => store.append(`s-${i}`, [{ type: 'Opened', data: { i } }])));
  expect(new Set(results.map((r) => r.position)).size).toBe(6);
  await Promise.all(stores.map((store) => store.close()));
});

it('keeps the ordering and format a schema was created with, and refuses to open it with others', async () => {
  const strict = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'fixed', ordering: 'strict', format: 'jsonb' });
  await strict.append('a-1', [{ type: 'T', data: { n: 1 } }]);
  await strict.close();
  const reopened = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'fixed' });
  expect([reopened.ordering, reopened.format]).toEqual(['strict', 'jsonb']);
  await reopened.close();
  const ordering = await failure(() => createPostgresEventStore({ connectionString: server.connectionString, schema: 'fixed', ordering: 'concurrent' }));
  expect(isStrataError(ordering, 'INVALID_ARGUMENT') && ordering.details['argument']).toBe('ordering');
  const format = await failure(() => createPostgresEventStore({ connectionString: server.connectionString, schema: 'fixed', format: 'msgpack' }));
  expect(isStrataError(format, 'INVALID_ARGUMENT') && format.details['argument']).toBe('format');
});

it('refuses a schema migrated by a newer version of the package', async () => {
  const store = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'from_future' });
  await store.close();
  await admin.query("INSERT INTO from_future.schema_migrations (version, name) VALUES (99, 'from the future')");
  const error = await failure(() => createPostgresEventStore({ connectionString: server.connectionString, schema: 'from_future' }));
  expect(isStrataError(error, 'INCOMPATIBLE_FORMAT')).toBe(true);
});

it('runs on a pool it was given and leaves that pool open on close', async () => {
  const pool = createPgPool({ connectionString: server.connectionString, min: 1, max: 4, name: 'shared' });
  const store = await createPostgresEventStore({ pool, schema: 'shared_pool' });
  await store.append('a-1', [{ type: 'T', data: null }]);
  await store.close();
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM shared_pool.events');
  expect(rows[0]?.n).toBe('1');
  await pool.drain();
});

it('fails with the pool error, not a hang, when the server cannot be reached', async () => {
  const error = await failure(() =>
    createPostgresEventStore({
      connectionString: 'postgresql://postgres@127.0.0.1:1/nowhere',
      poolOptions: { acquireTimeoutMs: 2_000, retry: { maxAttempts: 1 } },
    }),
  );
  expect(isStrataError(error, 'STORE_FAILURE') || isStrataError(error, 'POOL_TIMEOUT')).toBe(true);
});
