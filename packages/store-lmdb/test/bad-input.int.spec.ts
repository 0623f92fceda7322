import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLmdbEventStore, type LmdbEventStore } from '../src/index.js';
import { codeOf, collect, failureOf, tempDir } from './support/helpers.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openStore(options: Partial<Parameters<typeof createLmdbEventStore>[0]> = {}): Promise<LmdbEventStore> {
  const dir = tempDir('bad-input');
  cleanups.push(dir.remove);
  const store = await createLmdbEventStore({ path: join(dir.path, 'store'), ...options });
  cleanups.push(() => store.close());
  return store;
}

/** Asserts the store is empty and still takes appends. */
async function expectUntouchedAndWorking(store: LmdbEventStore): Promise<void> {
  expect(await store.headPosition()).toBe(-1);
  expect(await collect(store.readAll())).toEqual([]);
  expect(await store.append('account-1', [{ type: 'Opened', data: {} }])).toEqual({ nextExpectedVersion: 0, position: 0 });
}

describe('bad input', () => {
  it('refuses events over the configured maximum size, and batches over the configured maximum count', async () => {
    const store = await openStore({ maxEventBytes: 1000, maxBatchSize: 5 });
    const big = { type: 'Big', data: { text: 'x'.repeat(1000) } };
    const error = await failureOf(store.append('account-1', [{ type: 'Small', data: {} }, big]));
    expect(codeOf(error)).toBe('INVALID_ARGUMENT');
    expect((error as { details: Record<string, unknown> }).details).toMatchObject({ argument: 'events[1]', reason: 'event_too_large', limit: 1000 });
    const six = Array.from({ length: 6 }, () => ({ type: 'Small', data: {} }));
    expect((await failureOf(store.append('account-1', six)) as { details: Record<string, unknown> }).details).toMatchObject({ reason: 'batch_too_large' });
    expect(await store.append('account-2', [{ type: 'Fits', data: { text: 'y'.repeat(900) } }])).toEqual({ nextExpectedVersion: 0, position: 0 });
  });

  it('refuses invalid stream ids, unserializable data and bad expected versions, storing nothing', async () => {
    const store = await openStore();
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    const cases: [string, () => Promise<unknown>, string][] = [
      ['a stream id without a category', () => store.append('nocategory', [{ type: 'A', data: {} }]), 'INVALID_ARGUMENT'],
      ['a stream id with a control character', () => store.append('account-\u0001', [{ type: 'A', data: {} }]), 'INVALID_ARGUMENT'],
      ['a function in data', () => store.append('account-1', [{ type: 'A', data: { f: () => 1 } }]), 'SERIALIZATION_FAILED'],
      ['a cycle in metadata', () => store.append('account-1', [{ type: 'A', data: {}, metadata: cycle }]), 'SERIALIZATION_FAILED'],
      ['a class instance', () => store.append('account-1', [{ type: 'A', data: new Map([[1, 2]]) }]), 'SERIALIZATION_FAILED'],
      ['a fractional expected version', () => store.append('account-1', [{ type: 'A', data: {} }], { expectedVersion: 0.5 }), 'INVALID_ARGUMENT'],
      ['a second event that cannot be encoded', () => store.append('account-1', [{ type: 'A', data: {} }, { type: 'B', data: Symbol('s') }]), 'SERIALIZATION_FAILED'],
      ['unserializable stream metadata', () => store.setStreamMetadata('account-1', { f: () => 1 }), 'SERIALIZATION_FAILED'],
      ['an invalid checkpoint name', () => store.checkpoints.save('', 1), 'INVALID_ARGUMENT'],
      ['an invalid checkpoint position', () => store.checkpoints.save('projection', -2), 'INVALID_ARGUMENT'],
    ];
    for (const [name, action, code] of cases) expect(codeOf(await failureOf(action)), name).toBe(code);
    expect(await store.streamInfo('account-1')).toBeUndefined();
    await expectUntouchedAndWorking(store);
  });

  it('fails every call after close() with STORE_CLOSED, lazy reads and checkpoints included', async () => {
    const store = await openStore();
    await store.append('account-1', [{ type: 'Opened', data: {} }]);
    const lazy = store.readAllLazy();
    await store.close();
    const calls: [string, () => unknown][] = [
      ['append', () => store.append('account-1', [{ type: 'A', data: {} }])],
      ['readAllLazy', () => [...store.readAllLazy()]],
      ['readStreamLazy', () => [...store.readStreamLazy('account-1')]],
      ['an open lazy scan', () => [...lazy]],
      ['checkpoints.load', () => store.checkpoints.load('p')],
      ['checkpoints.save', () => store.checkpoints.save('p', 1)],
      ['snapshots.load', () => store.snapshots.load('account-1', 'account', 1)],
    ];
    for (const [name, call] of calls) expect(codeOf(await failureOf(call)), name).toBe('STORE_CLOSED');
  });

  it('validates every option of createLmdbEventStore, naming it', async () => {
    const dir = tempDir('options');
    cleanups.push(dir.remove);
    const path = join(dir.path, 'store');
    const cases: [string, object][] = [
      ['path', { path: '' }],
      ['durability', { path, durability: 'sometimes' }],
      ['mapSize', { path, mapSize: -1 }],
      ['maxEventBytes', { path, maxEventBytes: 0 }],
      ['maxBatchSize', { path, maxBatchSize: 1.5 }],
      ['crossProcessPollMs', { path, crossProcessPollMs: 0 }],
      ['serializer', { path, serializer: 'msgpack' }],
      ['serializer.structures', { path, serializer: { format: 'msgpack', structures: {} } }],
      ['format', { path, serializer: { format: 'xml' } }],
      ['colour', { path, colour: 'blue' }],
    ];
    for (const [argument, options] of cases) {
      const error = await failureOf(createLmdbEventStore(options as never));
      expect(codeOf(error), argument).toBe('INVALID_ARGUMENT');
      expect((error as { details: Record<string, unknown> }).details['argument'], argument).toBe(argument);
    }
  });
});
