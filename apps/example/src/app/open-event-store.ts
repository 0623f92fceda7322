import { join } from 'node:path';
import { openStoreDescriptor, type CheckpointStore, type EventStore, type StoreDescriptor } from '@strata/core';
import { lmdbStoreDescriptor } from '@strata/store-lmdb';
import { postgresStoreDescriptor } from '@strata/store-postgres';
import type { BankConfig } from '../config/load-config.js';

/** An event store with its durable checkpoints (both Strata stores have them). */
export type BankEventStore = EventStore & { readonly checkpoints: CheckpointStore };

/**
 * The store the configuration names: PostgreSQL when `DATABASE_URL` is set, LMDB under
 * `DATA_DIR` otherwise. The descriptor is what worker threads open on their own.
 */
export function storeDescriptor(config: BankConfig): StoreDescriptor {
  if (config.databaseUrl !== undefined) {
    return postgresStoreDescriptor({ connectionString: config.databaseUrl, schema: config.databaseSchema });
  }
  return lmdbStoreDescriptor({ path: join(config.dataDir, 'events'), durability: config.durability });
}

/** Opens the store a descriptor describes, the same way for both backends. */
export async function openEventStore(descriptor: StoreDescriptor): Promise<BankEventStore> {
  return openStoreDescriptor<BankEventStore>(descriptor);
}
