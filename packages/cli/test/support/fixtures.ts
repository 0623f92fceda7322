import { createLmdbEventStore, type LmdbEventStore } from '@strata/store-lmdb';

/**
 * A small store with what a migration must carry: several categories, metadata on events and on a
 * stream, a soft-deleted stream continued after its delete, Dates, bigints and bytes in data.
 */
export async function writeSampleStore(path: string): Promise<void> {
  const store = await createLmdbEventStore({ path, durability: 'none' });
  try {
    for (let i = 0; i < 30; i++) {
      await store.append(`account-${i % 6}`, [{ type: 'Deposited', data: { amount: i, at: new Date(86_400_000 * i) }, metadata: { user: `u${i % 3}` } }]);
    }
    await store.append('order-1', [
      { type: 'Placed', data: { total: 12_345_678_901_234_567_890n, lines: [{ sku: 'a', qty: 2 }] }, id: 'order-1-placed' },
      { type: 'Shipped', data: { label: new Uint8Array([1, 2, 3]) }, schemaVersion: 2 },
    ]);
    await store.setStreamMetadata('order-1', { owner: 'ann', tags: ['vip'] });
    await store.append('cart-9', [{ type: 'ItemAdded', data: { sku: 'x' } }, { type: 'ItemAdded', data: { sku: 'y' } }]);
    await store.deleteStream('cart-9');
    await store.append('cart-9', [{ type: 'ItemAdded', data: { sku: 'z' } }], { expectedVersion: 'no_stream' });
  } finally {
    await store.close();
  }
}

/** Appends `appends` appends of `perAppend` events round-robin over `streams` streams. */
export async function writeBulkStore(path: string, options: { streams: number; appends: number; perAppend: number }): Promise<void> {
  const store = await createLmdbEventStore({ path, durability: 'none' });
  try {
    const pending: Promise<unknown>[] = [];
    for (let a = 0; a < options.appends; a++) {
      const events = Array.from({ length: options.perAppend }, (_, e) => ({ type: e % 2 === 0 ? 'Credited' : 'Debited', data: { a, e, note: 'x'.repeat(a % 40) } }));
      pending.push(store.append(`ledger-${a % options.streams}`, events));
      if (pending.length >= 64) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  } finally {
    await store.close();
  }
}

/** Every event of a store, decoded. */
export async function readEverything(store: LmdbEventStore | { readAll: LmdbEventStore['readAll'] }) {
  const events = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}
