import { createStoreDescriptor, InvalidArgumentError, type StoreDescriptor } from '@strata/core';
import type { PostgresEventStoreOptions } from './postgres-store-options.js';

/** Options a worker thread or another process can receive: no shared pool or serializer objects. */
export type PostgresStoreDescriptorOptions = Omit<PostgresEventStoreOptions, 'pool' | 'serializer'> & {
  connectionString: string;
};

/**
 * Describes a PostgreSQL event store so that worker threads (the processor's) and other processes
 * can open it, each with a pool of its own: `openStoreDescriptor(postgresStoreDescriptor({ connectionString }))`.
 * The options must survive `structuredClone`.
 */
export function postgresStoreDescriptor(options: PostgresStoreDescriptorOptions): StoreDescriptor {
  if (typeof options !== 'object' || options === null || typeof options.connectionString !== 'string') {
    throw new InvalidArgumentError('options.connectionString', 'expected a connection URL');
  }
  return createStoreDescriptor(new URL('../index.js', import.meta.url).href, 'createPostgresEventStore', options);
}
