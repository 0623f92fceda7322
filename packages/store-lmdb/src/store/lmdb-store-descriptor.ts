import { createStoreDescriptor, InvalidArgumentError, type StoreDescriptor } from '@strata/core';
import type { LmdbEventStoreOptions } from '../options/lmdb-event-store-options.js';

/** Options a worker thread or another process can receive: a ready `Serializer` object cannot be sent. */
export type LmdbStoreDescriptorOptions = Omit<LmdbEventStoreOptions, 'serializer'> & {
  serializer?: Exclude<LmdbEventStoreOptions['serializer'], { encode: unknown }>;
};

/**
 * Describes an LMDB event store so that worker threads (the processor's) and other processes can
 * open the same path with the same options: `openStoreDescriptor(lmdbStoreDescriptor({ path }))`.
 * The options must survive `structuredClone` (serializer options, not a serializer instance, and
 * no event registry with functions in it).
 */
export function lmdbStoreDescriptor(options: LmdbStoreDescriptorOptions): StoreDescriptor {
  if (typeof options !== 'object' || options === null || typeof options.path !== 'string') {
    throw new InvalidArgumentError('options.path', 'expected a directory path');
  }
  return createStoreDescriptor(new URL('../index.js', import.meta.url).href, 'createLmdbEventStore', options);
}
