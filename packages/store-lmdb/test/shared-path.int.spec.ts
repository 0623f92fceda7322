import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLmdbEventStore, type LmdbEventStore } from '../src/index.js';
import { codeOf, collect, failureOf, tempDir } from './support/helpers.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function twoStores(): Promise<[LmdbEventStore, LmdbEventStore]> {
  const dir = tempDir('shared');
  cleanups.push(dir.remove);
  const path = join(dir.path, 'store');
  const a = await createLmdbEventStore({ path });
  const b = await createLmdbEventStore({ path });
  cleanups.push(() => a.close(), () => b.close());
  return [a, b];
}

describe('two store objects on one path', () => {
  it('checks expected versions against what the other one committed, never against a stale view', async () => {
    const [a, b] = await twoStores();
    await a.append('account-1', [{ type: 'Opened', data: {} }], { expectedVersion: 'no_stream' });
    await b.append('account-1', [{ type: 'Deposited', data: { amount: 1 } }], { expectedVersion: 0 });
    expect(codeOf(await failureOf(a.append('account-1', [{ type: 'Late', data: {} }], { expectedVersion: 0 })))).toBe('WRONG_EXPECTED_VERSION');
    expect(await a.append('account-1', [{ type: 'Deposited', data: { amount: 2 } }], { expectedVersion: 1 })).toEqual({ nextExpectedVersion: 2, position: 2 });
    await b.deleteStream('account-1', { expectedVersion: 2 });
    expect(await a.append('account-1', [{ type: 'Reopened', data: {} }], { expectedVersion: 'no_stream' })).toEqual({ nextExpectedVersion: 3, position: 3 });
    await b.deleteStream('account-1', { hard: true });
    expect(codeOf(await failureOf(a.append('account-1', [{ type: 'Again', data: {} }])))).toBe('STREAM_DELETED');
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(await collect(a.readStream('account-1'))).toEqual([]);
    expect((await b.streamInfo('account-1'))?.hardDeleted).toBe(true);
  });

  it('keeps positions unique and ids idempotent across both, under concurrent appends', async () => {
    const [a, b] = await twoStores();
    const appends = [];
    for (let i = 0; i < 50; i++) {
      appends.push(a.append(`order-${i % 5}`, [{ id: `cmd-${i}`, type: 'Placed', data: { i } }]));
      appends.push(b.append(`order-${i % 5}`, [{ id: `cmd-${i}`, type: 'Placed', data: { i } }]));
    }
    const results = await Promise.all(appends);
    for (let i = 0; i < 50; i++) expect(results[2 * i], `both sides of cmd-${i} get the one result`).toEqual(results[2 * i + 1]);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const all = await collect(a.readAll());
    expect(all).toHaveLength(50);
    expect(new Set(all.map((e) => e.id)).size).toBe(50);
    expect(all.map((e) => e.position)).toEqual(all.map((_, p) => p));
  });
});
