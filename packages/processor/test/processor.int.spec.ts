import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelNames, type CommandMessage, type ProcessorMessage } from '@strata/core';
import { createLmdbEventStore, lmdbStoreDescriptor, type LmdbEventStore } from '@strata/store-lmdb';
import { createProcessor, type Processor } from '../dist/index.js';
import { AGGREGATES, codeOf, readAll, tempDir } from './support/helpers.js';

// One store and one two-thread processor for the behaviours that do not need a fresh pool.
const dir = tempDir('basic');
const path = join(dir.path, 'store');
let processor: Processor;
let reader: LmdbEventStore;

beforeAll(async () => {
  processor = await createProcessor({ store: lmdbStoreDescriptor({ path, durability: 'none' }), aggregates: AGGREGATES, workers: 2 });
  reader = await createLmdbEventStore({ path, durability: 'none' });
});

afterAll(async () => {
  await processor?.close();
  await reader?.close();
  dir.remove();
});

describe('processor on worker threads', () => {
  it('runs commands and returns events, version and position like handleCommand', async () => {
    const first = await processor.execute('counter', 'counter-a', { type: 'add', amount: 5 }, { metadata: { user: 'u1' } });
    expect(first).toMatchObject({ events: [{ type: 'Added', data: { amount: 5, before: 0 } }], nextExpectedVersion: 0 });
    const second = await processor.execute('counter', 'counter-a', { type: 'addAsync', amount: 2 });
    expect(second.events).toEqual([{ type: 'Added', data: { amount: 2, seq: null, before: 5 } }]);
    expect(second.nextExpectedVersion).toBe(1);
    expect(second.position).toBeGreaterThan(first.position);
    const stored = await readAll(reader, 'counter-a');
    expect(stored.map((e) => [e.version, e.position, e.data])).toEqual([
      [0, first.position, { amount: 5, seq: null, before: 0 }],
      [1, second.position, { amount: 2, seq: null, before: 5 }],
    ]);
    expect(stored[0]!.metadata).toMatchObject({ user: 'u1' });
  });

  it('loads several aggregates from one module by name', async () => {
    const noted = await processor.execute('note', 'note-1', { text: 'hello' });
    expect(noted.events).toEqual([{ type: 'Noted', data: { text: 'hello' } }]);
    expect([...processor.aggregates].sort()).toEqual(['counter', 'note']);
  });

  it('answers a command that decides nothing without appending', async () => {
    await expect(processor.execute('counter', 'counter-empty', { type: 'noop' })).resolves.toEqual({ events: [], nextExpectedVersion: -1, position: -1 });
    expect(await readAll(reader, 'counter-empty')).toEqual([]);
  });

  it('fails only the command whose decider throws, with a typed error', async () => {
    const results = await Promise.allSettled([
      processor.execute('counter', 'counter-err', { type: 'add', amount: 1 }),
      processor.execute('counter', 'counter-err', { type: 'reject' }),
      processor.execute('counter', 'counter-err', { type: 'refuse' }),
      processor.execute('counter', 'counter-err', { type: 'add', amount: 1 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const rejected = (results[1] as PromiseRejectedResult).reason as Error & { code: string; cause: Error };
    expect(rejected.code).toBe('COMMAND_REJECTED');
    expect(rejected.message).toBe('rejected on purpose');
    expect(rejected.cause.message).toBe('rejected on purpose');
    const refused = (results[2] as PromiseRejectedResult).reason as { code: string; details: Record<string, unknown> };
    expect(refused.code).toBe('STREAM_DELETED');
    expect(refused.details).toMatchObject({ why: 'test' });
    expect((await readAll(reader, 'counter-err')).map((e) => e.version)).toEqual([0, 1]);
  });

  it('checks a given expected version without retrying', async () => {
    await processor.execute('counter', 'counter-ev', { type: 'add', amount: 1 });
    expect(await codeOf(processor.execute('counter', 'counter-ev', { type: 'add', amount: 1 }, { expectedVersion: 5 }))).toBe('WRONG_EXPECTED_VERSION');
    const ok = await processor.execute('counter', 'counter-ev', { type: 'add', amount: 1 }, { expectedVersion: 0 });
    expect(ok.nextExpectedVersion).toBe(1);
  });

  it('retries with fresh state when another writer appended behind the cache', async () => {
    await processor.execute('counter', 'counter-race', { type: 'add', amount: 1 });
    // Written around the processor: the worker's cached state is now one event behind.
    await reader.append('counter-race', [{ type: 'Added', data: { amount: 100, seq: null } }], { expectedVersion: 0 });
    const result = await processor.execute('counter', 'counter-race', { type: 'add', amount: 1 });
    expect(result).toMatchObject({ nextExpectedVersion: 2, events: [{ data: { before: 101 } }] });
  });

  it('writes snapshots every snapshotEvery events, off the answer path', async () => {
    for (let i = 0; i < 6; i++) await processor.execute('counter', 'counter-snap', { type: 'add', amount: 1 });
    await expect.poll(() => reader.snapshots.load('counter-snap', 'counter', 1), { timeout: 15_000 }).toMatchObject({ version: 4, state: { total: 5, count: 5 } });
  });

  it('rejects bad input with INVALID_ARGUMENT', async () => {
    expect(await codeOf(processor.execute('nope', 'counter-x', { type: 'add', amount: 1 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(processor.execute('counter', '', { type: 'add', amount: 1 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(processor.execute('counter', 'counter-x', { type: 'add', amount: 1 }, { expectedVersion: -7 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(processor.execute('counter', 'counter-x', { type: 'add', amount: 1, f: () => 1 }))).toBe('INVALID_ARGUMENT');
    expect(await readAll(reader, 'counter-x')).toEqual([]);
    // A command that cannot be cloned fails alone; the one queued behind it on its stream still runs.
    const [bad, good] = await Promise.allSettled([
      processor.execute('counter', 'counter-y', { type: 'add', amount: 1, f: () => 1 }),
      processor.execute('counter', 'counter-y', { type: 'add', amount: 2 }),
    ]);
    expect(bad.status === 'rejected' && (bad.reason as { code: string }).code).toBe('INVALID_ARGUMENT');
    expect(good.status === 'fulfilled' && good.value.nextExpectedVersion).toBe(0);
  });

  it('reports per-worker stats', () => {
    const stats = processor.stats();
    expect(stats.workers).toHaveLength(2);
    expect(stats.completed).toBeGreaterThan(10);
    expect(stats.workers.reduce((sum, w) => sum + w.cacheHits + w.cacheMisses, 0)).toBeGreaterThan(0);
    expect(stats.pending).toBe(0);
  });

  it("drains on close() with onOverload 'wait', then answers STORE_CLOSED", async () => {
    const small = await createProcessor({
      store: lmdbStoreDescriptor({ path, durability: 'none' }),
      aggregates: AGGREGATES,
      workers: 2,
      maxQueue: 8,
      onOverload: 'wait',
    });
    const all = Array.from({ length: 60 }, (_, i) => small.execute('counter', `counter-drain-${i % 6}`, { type: 'add', amount: 1, seq: i }));
    expect(small.stats().waiting).toBeGreaterThan(0);
    const closing = small.close();
    expect(await codeOf(small.execute('counter', 'counter-drain-0', { type: 'add', amount: 1 }))).toBe('STORE_CLOSED');
    await closing;
    expect(await Promise.all(all)).toHaveLength(60);
    for (let s = 0; s < 6; s++) expect(await readAll(reader, `counter-drain-${s}`)).toHaveLength(10);
  });

  it("rejects with OVERLOADED past the per-worker bound when onOverload is 'reject'", async () => {
    const small = await createProcessor({ store: lmdbStoreDescriptor({ path, durability: 'none' }), aggregates: AGGREGATES, workers: 1, maxQueuePerWorker: 3 });
    try {
      const codes = await Promise.all(Array.from({ length: 5 }, () => codeOf(small.execute('counter', 'counter-over', { type: 'add', amount: 1 }))));
      expect(codes).toEqual([undefined, undefined, undefined, 'OVERLOADED', 'OVERLOADED']);
      expect(await readAll(reader, 'counter-over')).toHaveLength(3);
    } finally {
      await small.close();
    }
  });

  it('fails createProcessor with a typed error when a worker cannot open its store', async () => {
    const broken = { module: new URL('./fixtures/no-such-store.mjs', import.meta.url).href, factory: 'createStore', options: {} };
    expect(await codeOf(createProcessor({ store: broken, aggregates: AGGREGATES, workers: 1 }))).toBe('INVALID_ARGUMENT');
  });

  it('reports commands on strata:command and queue depths on strata:processor', async () => {
    const commands: CommandMessage[] = [];
    const events: ProcessorMessage[] = [];
    const onCommand = (message: unknown): void => void commands.push(message as CommandMessage);
    const onProcessor = (message: unknown): void => void events.push(message as ProcessorMessage);
    subscribe(ChannelNames.command, onCommand);
    subscribe(ChannelNames.processor, onProcessor);
    try {
      await processor.execute('counter', 'counter-diag', { type: 'add', amount: 1 });
      await processor.execute('counter', 'counter-diag', { type: 'reject' }).catch(() => undefined);
    } finally {
      unsubscribe(ChannelNames.command, onCommand);
      unsubscribe(ChannelNames.processor, onProcessor);
    }
    expect(commands.map((c) => [c.aggregate, c.streamId, c.ok, c.events, c.code])).toEqual([
      ['counter', 'counter-diag', true, 1, undefined],
      ['counter', 'counter-diag', false, 0, 'COMMAND_REJECTED'],
    ]);
    expect(events.some((e) => e.event === 'queue' && typeof e.depth === 'number')).toBe(true);
  });
});
