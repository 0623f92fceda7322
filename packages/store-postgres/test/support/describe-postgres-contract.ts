import { afterAll, beforeAll } from 'vitest';
import { createPgPool, type PgPool } from '@strata/pool';
import { describeEventStoreContract, startPostgres, type EventStoreContractOptions, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore, type PostgresEventStoreOptions } from '../../src/index.js';

type StoreOptions = Omit<PostgresEventStoreOptions, 'connectionString' | 'pool' | 'schema'>;

/**
 * Runs the contract suite against a PostgreSQL server started for the calling test file, with a
 * fresh schema per case (dropped afterwards).
 */
export function describePostgresContract(name: string, store: StoreOptions, contract: EventStoreContractOptions = {}): void {
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

  describeEventStoreContract(
    name,
    async ({ id, onTeardown }) => {
      onTeardown(async () => {
        await admin.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
      });
      return createPostgresEventStore({
        ...store,
        connectionString: server.connectionString,
        schema: id,
        poolOptions: { min: 1, max: 8, healthCheck: false, ...store.poolOptions },
      });
    },
    contract,
  );
}
