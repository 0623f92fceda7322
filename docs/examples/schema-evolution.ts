import { createEventRegistry } from '@strata/serialization';
import { createLmdbEventStore, type LmdbEventStore } from '@strata/store-lmdb';

/**
 * Version 1 of MoneyDeposited had no currency. Version 2 added it. Old events stay as they were
 * written; an upcaster lifts them to version 2 whenever they are read.
 */
export const registry = createEventRegistry()
  .register({ type: 'MoneyDeposited', schemaVersion: 2 })
  .registerUpcaster({
    type: 'MoneyDeposited',
    fromVersion: 1,
    upcast: (data) => ({ ...(data as { amount: number }), currency: 'EUR' }),
  });

/** Opens a store whose reads run the registry's upcasters. */
export function openEvolvingStore(path: string): Promise<LmdbEventStore> {
  return createLmdbEventStore({ path, serializer: { format: 'msgpack', registry } });
}
