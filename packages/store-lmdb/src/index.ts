export { createLmdbEventStore } from './store/create-lmdb-event-store.js';
export { lmdbStoreDescriptor, type LmdbStoreDescriptorOptions } from './store/lmdb-store-descriptor.js';
export type { LmdbEventStore } from './store/lmdb-event-store.js';
export type { LmdbEventStoreOptions, Durability, StoreSerializerOptions } from './options/lmdb-event-store-options.js';
export type { CheckpointStore } from '@strata/core';
export { IncompatibleFormatError } from './errors/incompatible-format-error.js';
export { FORMAT_VERSION } from './layout/store-format.js';
export type { InlineContext, InlineProjectionHandler } from './inline/inline-context.js';
export { InlineProjectionError, INLINE_PROJECTION_FAILED } from './inline/inline-projection-error.js';
