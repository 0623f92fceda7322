export { createPostgresEventStore } from './store/create-postgres-event-store.js';
export { postgresStoreDescriptor, type PostgresStoreDescriptorOptions } from './store/postgres-store-descriptor.js';
export type { PostgresEventStoreOptions } from './store/postgres-store-options.js';
export type { PostgresEventStore } from './store/postgres-event-store.js';
export type { CheckpointStore } from '@strata/core';
export type { PayloadFormat } from './codec/event-codec.js';
export { POSITIONS_PER_TRANSACTION, type Ordering } from './schema/store-context.js';
