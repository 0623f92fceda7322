import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, defineAggregate, type EventStore } from '@strata/core';
import { createProcessor } from './create-processor.js';

type Command = { type: 'add'; amount: number } | { type: 'fail' };
const counter = defineAggregate<{ total: number }, Command, { type: 'Added'; data: { amount: number; before: number } }>({
  name: 'counter',
  initialState: { total: 0 },
  evolve: (state, event) => ({ total: state.total + event.data.amount }),
  decide: (command, state) => {
    if (command.type === 'fail') throw new TypeError('bad command');
    return { type: 'Added', data: { amount: command.amount, before: state.total } };
  },
});

async function codeOf(action: Promise<unknown>): Promise<string | undefined> {
  try {
    await action;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? 'NO_CODE';
  }
}

function closeTracking(store: EventStore): { store: EventStore; closed: () => boolean } {
  let closed = false;
  const close = store.close.bind(store);
  return {
    store: Object.assign(store, { close: () => ((closed = true), close()) }),
    closed: () => closed,
  };
}

describe('createProcessor options', () => {
  const store = createInMemoryEventStore();
  const base = { store, aggregates: [counter], workers: 0 };

  it.each([
    ['options', null],
    ['workers', { ...base, workers: -1 }],
    ['workers', { ...base, workers: 1.5 }],
    ['store', { ...base, store: {} }],
    ['store', { ...base, workers: 2 }],
    ['aggregates', { ...base, aggregates: [] }],
    ['aggregates', { ...base, aggregates: 42 }],
    ['aggregates', { ...base, aggregates: [counter], workers: 1, store: { module: 'x', factory: 'y', options: {} } }],
    ['maxQueuePerWorker', { ...base, maxQueuePerWorker: 0 }],
    ['maxQueue', { ...base, maxQueue: 'lots' }],
    ['onOverload', { ...base, onOverload: 'drop' }],
    ['stateCacheSize', { ...base, stateCacheSize: -1 }],
    ['maxRetries', { ...base, maxRetries: Number.NaN }],
    ['stealing', { ...base, stealing: 'yes' }],
    ['stealing.minBacklog', { ...base, stealing: { minBacklog: 0 } }],
    ['stealing.maxStreamsPerSteal', { ...base, stealing: { maxStreamsPerSteal: 2.5 } }],
    ['stealing.busyAbove', { ...base, stealing: { busyAbove: 1.5 } }],
    ['stealing.idleBelow', { ...base, stealing: { idleBelow: -0.1 } }],
  ])('rejects a bad %s with INVALID_ARGUMENT naming it', async (argument, options) => {
    const error = (await createProcessor(options as never).catch((e: unknown) => e)) as { code: string; details: { argument: string } };
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.details.argument).toBe(argument);
  });

  it('refuses two different aggregates with one name', async () => {
    const twin = defineAggregate({ name: 'counter', initialState: 0, evolve: (s: number) => s, decide: () => [] });
    expect(await codeOf(createProcessor({ ...base, aggregates: [counter, twin] }))).toBe('INVALID_ARGUMENT');
  });
});

describe('processor in the calling thread (workers: 0)', () => {
  it('runs commands in order per stream and keeps state hot', async () => {
    const processor = await createProcessor({ store: createInMemoryEventStore(), aggregates: [counter], workers: 0 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => processor.execute('counter', `counter-${i % 2}`, { type: 'add', amount: 1 })));
    expect(results.filter((_, i) => i % 2 === 0).map((r) => r.nextExpectedVersion)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results.map((r) => (r.events[0] as { data: { before: number } }).data.before).filter((_, i) => i % 2 === 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [worker] = processor.stats().workers;
    expect(worker).toMatchObject({ cacheMisses: 2, cacheHits: 18, completed: 20, streamsOwned: 2 });
    await processor.close();
  });

  it('wraps a plain decider error as COMMAND_REJECTED with the message and the original as cause', async () => {
    const processor = await createProcessor({ store: createInMemoryEventStore(), aggregates: [counter], workers: 0 });
    const error = (await processor.execute('counter', 'counter-1', { type: 'fail' }).catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('COMMAND_REJECTED');
    expect(error.message).toBe('bad command');
    expect(error.cause).toBeInstanceOf(TypeError);
    await processor.close();
  });

  it("rejects with OVERLOADED past the bounds when onOverload is 'reject'", async () => {
    const processor = await createProcessor({ store: createInMemoryEventStore(), aggregates: [counter], workers: 0, maxQueue: 5 });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => codeOf(processor.execute('counter', `counter-${i}`, { type: 'add', amount: 1 }))),
    );
    expect(outcomes).toEqual([undefined, undefined, undefined, undefined, undefined, 'OVERLOADED', 'OVERLOADED', 'OVERLOADED']);
    const perWorker = await createProcessor({ store: createInMemoryEventStore(), aggregates: [counter], workers: 0, maxQueuePerWorker: 2 });
    expect(await Promise.all([0, 1, 2].map(() => codeOf(perWorker.execute('counter', 'counter-1', { type: 'add', amount: 1 }))))).toEqual([
      undefined,
      undefined,
      'OVERLOADED',
    ]);
    await Promise.all([processor.close(), perWorker.close()]);
  });

  it("waits for room when onOverload is 'wait', in submission order", async () => {
    const processor = await createProcessor({ store: createInMemoryEventStore(), aggregates: [counter], workers: 0, maxQueue: 3, onOverload: 'wait' });
    const all = Array.from({ length: 12 }, () => processor.execute('counter', 'counter-1', { type: 'add', amount: 1 }));
    expect(processor.stats().waiting).toBe(9);
    const results = await Promise.all(all);
    expect(results.map((r) => r.nextExpectedVersion)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    await processor.close();
  });

  it('close() drains queued and waiting commands, then refuses with STORE_CLOSED; a passed-in store stays open', async () => {
    const tracked = closeTracking(createInMemoryEventStore());
    const processor = await createProcessor({ store: tracked.store, aggregates: [counter], workers: 0, maxQueue: 4, onOverload: 'wait' });
    const all = Array.from({ length: 30 }, (_, i) => processor.execute('counter', `counter-${i % 3}`, { type: 'add', amount: 1 }));
    const closing = processor.close();
    expect(await codeOf(processor.execute('counter', 'counter-1', { type: 'add', amount: 1 }))).toBe('STORE_CLOSED');
    await closing;
    const results = await Promise.all(all);
    expect(results).toHaveLength(30);
    expect(processor.stats()).toMatchObject({ pending: 0, waiting: 0, completed: 30, closed: true });
    expect(tracked.closed()).toBe(false);
    await processor.close();
  });
});
