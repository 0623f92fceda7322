import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatcher } from '../index.js';
import { ControlledSink } from '../../test/support/controlled-sink.js';
import { nextTurn, observe } from '../../test/support/async.js';

const tenfold = (n: number): number | Error => (n < 0 ? new Error(`negative: ${n}`) : n * 10);

afterEach(() => {
  vi.useRealTimers();
});

describe('per-item results', () => {
  it('resolves each item with its own result and rejects only the items that failed', async () => {
    const batcher = createBatcher<number, number>({
      execute: (items) => items.map(tenfold),
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
    });
    const outcomes = await Promise.allSettled([1, -2, 3, -4].map((n) => batcher.add(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      10,
      'negative: -2',
      30,
      'negative: -4',
    ]);
    expect(batcher.stats).toMatchObject({ batches: 1, items: 4, failedItems: 2 });
  });

  it.each([
    ['throws', (): never => { throw new Error('sink down'); }],
    ['rejects', (): Promise<never> => Promise.reject(new Error('sink down'))],
  ])('rejects every item of the batch when execute %s', async (_how, execute) => {
    const batcher = createBatcher<number, number>({ execute, maxSize: 10, maxDelayMs: 0, maxPending: 100 });
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message)).toEqual([
      'sink down',
      'sink down',
      'sink down',
    ]);
  });

  it('rejects a batch whose results do not line up with its items with INVALID_ARGUMENT naming execute', async () => {
    const batcher = createBatcher<number, number>({
      execute: (items) => items.slice(1),
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
    });
    const outcomes = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as { code: string; details: { argument: string } };
      expect(reason.code).toBe('INVALID_ARGUMENT');
      expect(reason.details.argument).toBe('execute');
    }
  });

  it('a failing batch does not affect the next one', async () => {
    let call = 0;
    const batcher = createBatcher<number, number>({
      execute: (items) => {
        if (call++ === 0) throw new Error('first batch fails');
        return items.map((n) => n * 10);
      },
      maxSize: 2,
      maxDelayMs: 0,
      maxPending: 100,
    });
    const first = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    const second = await Promise.all([batcher.add(3), batcher.add(4)]);
    expect(first.every((o) => o.status === 'rejected')).toBe(true);
    expect(second).toEqual([30, 40]);
  });
});

describe('atomic batches', () => {
  it('fails every item of the batch with the first item error', async () => {
    const batcher = createBatcher<number, number>({
      execute: (items) => items.map(tenfold),
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
      atomic: true,
    });
    const outcomes = await Promise.allSettled([1, -2, 3, -4].map((n) => batcher.add(n)));
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message)).toEqual([
      'negative: -2',
      'negative: -2',
      'negative: -2',
      'negative: -2',
    ]);
  });

  it('resolves each item with its own result when nothing fails', async () => {
    const batcher = createBatcher<number, number>({
      execute: (items) => items.map(tenfold),
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
      atomic: true,
    });
    await expect(Promise.all([1, 2, 3].map((n) => batcher.add(n)))).resolves.toEqual([10, 20, 30]);
  });

  it('rejects every item when execute throws', async () => {
    const batcher = createBatcher<number, number>({
      execute: () => Promise.reject(new Error('rolled back')),
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
      atomic: true,
    });
    const outcomes = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(outcomes.every((o) => o.status === 'rejected' && (o.reason as Error).message === 'rolled back')).toBe(true);
  });
});

describe('size and delay triggers', () => {
  it('executes a batch as soon as maxSize items are pending, without waiting for the delay', async () => {
    vi.useFakeTimers();
    const sink = new ControlledSink(tenfold);
    const batcher = createBatcher({ execute: sink.execute, maxSize: 3, maxDelayMs: 1_000, maxPending: 100 });
    for (const n of [1, 2]) void batcher.add(n);
    expect(sink.batches).toEqual([]);
    void batcher.add(3);
    expect(sink.batches).toEqual([[1, 2, 3]]);
  });

  it('executes a partial batch once maxDelayMs has elapsed', async () => {
    vi.useFakeTimers();
    const sink = new ControlledSink(tenfold);
    const batcher = createBatcher({ execute: sink.execute, maxSize: 10, maxDelayMs: 50, maxPending: 100 });
    const first = observe(batcher.add(1));
    void batcher.add(2);
    await vi.advanceTimersByTimeAsync(49);
    expect(sink.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.batches).toEqual([[1, 2]]);
    sink.complete();
    await nextTurn();
    expect(first.current).toEqual({ state: 'fulfilled', value: 10 });
  });

  it('cuts batches of at most maxSize items, in the order they were added', async () => {
    vi.useFakeTimers();
    const sink = new ControlledSink(tenfold);
    const batcher = createBatcher({
      execute: sink.execute,
      maxSize: 3,
      maxDelayMs: 50,
      maxPending: 100,
      concurrency: 4,
    });
    for (let n = 1; n <= 7; n++) void batcher.add(n);
    expect(sink.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await vi.advanceTimersByTimeAsync(50);
    expect(sink.batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('flush executes pending items without waiting for the delay and resolves once they settle', async () => {
    vi.useFakeTimers();
    const sink = new ControlledSink(tenfold);
    const batcher = createBatcher({ execute: sink.execute, maxSize: 10, maxDelayMs: 60_000, maxPending: 100 });
    const item = observe(batcher.add(4));
    const flushed = observe(batcher.flush());
    expect(sink.batches).toEqual([[4]]);
    await nextTurn();
    expect(flushed.current.state).toBe('pending');
    sink.complete();
    await nextTurn();
    expect(flushed.current.state).toBe('fulfilled');
    expect(item.current).toEqual({ state: 'fulfilled', value: 40 });
  });

  it('flush with nothing pending resolves at once', async () => {
    const batcher = createBatcher<number, number>({
      execute: (items) => items,
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
    });
    await expect(batcher.flush()).resolves.toBeUndefined();
  });
});

describe('turn mode (maxDelayMs: 0)', () => {
  it('collects everything added in the same event-loop turn into one batch', async () => {
    const executed: number[][] = [];
    const batcher = createBatcher<number, number>({
      execute: (items) => {
        executed.push([...items]);
        return items;
      },
      maxSize: 100,
      maxDelayMs: 0,
      maxPending: 1_000,
    });
    const sameTurn = [1, 2, 3].map((n) => batcher.add(n));
    // Microtask continuations still belong to the turn.
    await Promise.resolve();
    sameTurn.push(batcher.add(4));
    await Promise.all(sameTurn);
    await batcher.add(5);
    expect(executed).toEqual([[1, 2, 3, 4], [5]]);
  });

  it('keeps one batch in flight while the next one fills (group commit)', async () => {
    const sink = new ControlledSink(tenfold);
    const batcher = createBatcher({ execute: sink.execute, maxSize: 100, maxDelayMs: 0, maxPending: 1_000 });
    void batcher.add(1);
    await nextTurn();
    expect(sink.batches).toEqual([[1]]);
    for (const n of [2, 3]) void batcher.add(n);
    await nextTurn();
    void batcher.add(4);
    await nextTurn();
    expect(sink.batches).toEqual([[1]]);
    sink.complete();
    await nextTurn();
    expect(sink.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('runs up to `concurrency` batches at once', async () => {
    const sink = new ControlledSink(tenfold);
    const batcher = createBatcher({
      execute: sink.execute,
      maxSize: 2,
      maxDelayMs: 0,
      maxPending: 100,
      concurrency: 2,
    });
    for (let n = 1; n <= 6; n++) void batcher.add(n);
    await nextTurn();
    expect(sink.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(batcher.stats).toMatchObject({ inFlightBatches: 2, inFlight: 4, pending: 2 });
    sink.complete();
    await nextTurn();
    expect(sink.batches).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });
});
