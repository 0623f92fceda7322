import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { createLmdbEventStore, type LmdbEventStore } from '../src/index.js';
import { collect, tempDir } from './support/helpers.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openStore(): Promise<LmdbEventStore> {
  const dir = tempDir('lazy');
  cleanups.push(dir.remove);
  const store = await createLmdbEventStore({ path: join(dir.path, 'store'), durability: 'none' });
  cleanups.push(() => store.close());
  return store;
}

type Header = [string, string, number, number];
const header = (e: { type: string; streamId: string; version: number; position: number }): Header => [e.type, e.streamId, e.version, e.position];

/** The headers of a lazy scan, read while each view is valid (spreading the iterator would keep only the reused view). */
function headers(views: Iterable<{ type: string; streamId: string; version: number; position: number }>): Header[] {
  const out: Header[] = [];
  for (const view of views) out.push(header(view));
  return out;
}

/** Appends that span several log chunks (an append larger than a chunk is split), mixed with small ones. */
async function seed(store: LmdbEventStore): Promise<void> {
  const pad = 'p'.repeat(2_000);
  await store.append('order-1', [{ type: 'Placed', data: { n: 0 } }]);
  await store.append('big-1', Array.from({ length: 300 }, (_, i) => ({ type: i % 2 === 0 ? 'Even' : 'Odd', data: { i, pad } })));
  await store.append('order-2', [{ type: 'Placed', data: { n: 1 } }, { type: 'Paid', data: { n: 2 } }]);
  await store.append('big-1', Array.from({ length: 120 }, (_, i) => ({ type: 'Tail', data: { i: 300 + i, pad } })));
  await store.append('order-1', [{ type: 'Paid', data: { n: 3 } }]);
}

describe('lazy, zero-copy reads', () => {
  it('yields one reused view whose header fields match the decoded events, and decodes on demand', async () => {
    const store = await openStore();
    await seed(store);
    const decoded = await collect(store.readAll());
    const views = new Set<object>();
    const lazy: Header[] = [];
    const full: RecordedEvent[] = [];
    for (const view of store.readAllLazy()) {
      views.add(view);
      lazy.push(header(view));
      if (view.position % 50 === 0) full.push(store.serializer.decodeRecord(view));
    }
    expect(views.size).toBe(1);
    expect(lazy).toEqual(decoded.map(header));
    expect(full).toEqual(decoded.filter((e) => e.position % 50 === 0));
  });

  it('reads from any position, inside a chunk too, with maxCount and filters, like readAll', async () => {
    const store = await openStore();
    await seed(store);
    for (const options of [{ from: 0 }, { from: 150 }, { from: 299, maxCount: 5 }, { from: 301 }, { filter: { types: ['Odd', 'Paid'] } }, { from: 10, filter: { categories: ['order'] } }]) {
      const lazy = headers(store.readAllLazy(options));
      expect(lazy, JSON.stringify(options)).toEqual((await collect(store.readAll(options))).map(header));
    }
  });

  it('reads a stream forward and backward from any version, across chunks and appends', async () => {
    const store = await openStore();
    await seed(store);
    for (const options of [{}, { from: 250 }, { from: 299, maxCount: 3 }, { direction: 'backward' as const }, { direction: 'backward' as const, from: 305 }, { direction: 'backward' as const, from: 150, maxCount: 80 }]) {
      const lazy = headers(store.readStreamLazy('big-1', options));
      const decoded = await collect(store.readStream('big-1', options));
      expect(lazy, JSON.stringify(options)).toEqual(decoded.map(header));
      const versions = decoded.map((e) => e.version);
      expect(decoded.map((e) => (e.data as { i: number }).i), JSON.stringify(options)).toEqual(versions);
    }
  });

  it('hides events of deleted streams, and skips the positions a hard delete removed', async () => {
    const store = await openStore();
    await seed(store);
    await store.deleteStream('order-1');
    await store.deleteStream('big-1', { hard: true });
    await store.append('order-1', [{ type: 'Reopened', data: {} }]);
    const lazy = headers(store.readAllLazy());
    expect(lazy).toEqual([
      ['Placed', 'order-2', 0, 301],
      ['Paid', 'order-2', 1, 302],
      ['Reopened', 'order-1', 2, 424],
    ]);
    expect([...store.readStreamLazy('big-1')]).toEqual([]);
    expect(headers(store.readStreamLazy('order-1'))).toEqual([['Reopened', 'order-1', 2, 424]]);
  });

  it('closes its cursor when the loop stops early, and later reads see new commits', async () => {
    const store = await openStore();
    await seed(store);
    for (const view of store.readAllLazy()) {
      if (view.position === 3) break;
    }
    await store.append('order-3', [{ type: 'Placed', data: {} }]);
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(headers(store.readAllLazy({ from: 424 }))).toEqual([['Placed', 'order-3', 0, 424]]);
  });
});
