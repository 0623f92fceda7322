import { afterEach, describe, expect, it } from 'vitest';
import { openStoreDescriptor } from '@strata/core';
import type * as StoreLmdb from '../src/index.js';
import type { LmdbEventStore } from '../src/index.js';
import { builtPackageUrl, codeOf, collect, failureOf, tempDir } from './support/helpers.js';

// The built package: a descriptor names a module that another thread opens with plain Node.
const { createLmdbEventStore, lmdbStoreDescriptor } = (await import(builtPackageUrl())) as typeof StoreLmdb;

describe('lmdbStoreDescriptor', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('opens the same store from its descriptor, as a worker thread would', async () => {
    const dir = tempDir('descriptor');
    cleanups.push(dir.remove);
    const descriptor = structuredClone(lmdbStoreDescriptor({ path: dir.path, durability: 'none' }));
    const first = await createLmdbEventStore({ path: dir.path, durability: 'none' });
    cleanups.push(() => first.close());
    await first.append('account-1', [{ type: 'Opened', data: { owner: 'ada' } }]);
    const second = await openStoreDescriptor<LmdbEventStore>(descriptor);
    cleanups.push(() => second.close());
    const events = await collect(second.readStream('account-1'));
    expect(events.map((event) => event.type)).toEqual(['Opened']);
    await second.append('account-1', [{ type: 'Deposited', data: { amount: 5 } }], { expectedVersion: 0 });
    expect((await first.streamInfo('account-1'))?.version).toBe(1);
  });

  it('refuses options that cannot reach another thread and malformed descriptors', async () => {
    expect(codeOf(await failureOf(() => lmdbStoreDescriptor({ path: 'x', serializer: { format: 'msgpack', registry: { f: () => 1 } } as never })))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await failureOf(() => lmdbStoreDescriptor({} as never)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await failureOf(openStoreDescriptor({ module: 'file:///nowhere/x.js', factory: 'f', options: {} })))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await failureOf(openStoreDescriptor({ module: builtPackageUrl(), factory: 'missing', options: {} })))).toBe('INVALID_ARGUMENT');
  });
});
