import type { Database } from 'lmdb';
import { createSerializer, type Serializer } from '@strata/serialization';
import type { StoreSerializerOptions } from '../options/lmdb-event-store-options.js';
import { LmdbStructureStore } from './lmdb-structure-store.js';

/**
 * The serializer a store uses: the caller's, or one created from options; a MessagePack one gets
 * the store's persisted structure store (unless the caller built the serializer).
 */
export function resolveSerializer(option: Serializer | StoreSerializerOptions, meta: Database<unknown, string>): Serializer {
  if ('encodeRecord' in option) return option;
  if (option.format === 'msgpack') return createSerializer({ ...option, structures: new LmdbStructureStore(meta) });
  return createSerializer(option);
}
