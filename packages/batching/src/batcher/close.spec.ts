import { describe, expect, it, vi, afterEach } from 'vitest';
import { createBatcher } from '../index.js';
import { ControlledSink } from '../../test/support/controlled-sink.js';
import { codeOf, nextTurn, observe } from '../../test/support/async.js';

const double = (n: number): number => n * 2;

afterEach(() => {
  vi.useRealTimers();
});

describe('close', () => {
  it('drains: items in flight and items still waiting for their delay are executed and settled', async () => {
    vi.useFakeTimers();
    const sink = new ControlledSink(double);
    const batcher = createBatcher({ execute: sink.execute, maxSize: 2, maxDelayMs: 60_000, maxPending: 100 });
    const results = [1, 2, 3].map((n) => observe(batcher.add(n)));
    const closed = observe(batcher.close());
    await nextTurn();
    expect(batcher.closed).toBe(true);
    expect(closed.current.state).toBe('pending');
    sink.complete();
    await nextTurn();
    expect(sink.batches).toEqual([[1, 2], [3]]);
    expect(closed.current.state).toBe('pending');
    sink.complete();
    await nextTurn();
    expect(closed.current.state).toBe('fulfilled');
    expect(results.map((r) => r.current)).toEqual([2, 4, 6].map((value) => ({ state: 'fulfilled', value })));
  });

  it('rejects adds made after close with STORE_CLOSED, also while draining', async () => {
    const sink = new ControlledSink(double);
    const batcher = createBatcher({ execute: sink.execute, maxSize: 10, maxDelayMs: 0, maxPending: 100 });
    void batcher.add(1);
    const closing = batcher.close();
    const during = batcher.add(2).catch((error: unknown) => codeOf(error));
    await nextTurn();
    sink.complete();
    await closing;
    const after = batcher.add(3).catch((error: unknown) => codeOf(error));
    await expect(during).resolves.toBe('STORE_CLOSED');
    await expect(after).resolves.toBe('STORE_CLOSED');
    expect(sink.batches).toEqual([[1]]);
  });

  it('drains callers that were waiting for space', async () => {
    const sink = new ControlledSink(double);
    const batcher = createBatcher({
      execute: sink.execute,
      maxSize: 1,
      maxDelayMs: 0,
      maxPending: 1,
      onOverload: 'wait',
    });
    const results = [1, 2, 3, 4].map((n) => observe(batcher.add(n)));
    const closed = observe(batcher.close());
    for (let round = 0; round < 4; round++) {
      await nextTurn();
      sink.complete();
    }
    await nextTurn();
    expect(closed.current.state).toBe('fulfilled');
    expect(results.map((r) => r.current)).toEqual([2, 4, 6, 8].map((value) => ({ state: 'fulfilled', value })));
  });

  it('is idempotent: every call returns the same promise', async () => {
    const batcher = createBatcher<number, number>({
      execute: (items) => items,
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
    });
    const first = batcher.close();
    expect(batcher.close()).toBe(first);
    await first;
    expect(batcher.close()).toBe(first);
  });

  it('resolves even when items of the drained batch fail', async () => {
    const batcher = createBatcher<number, number>({
      execute: () => {
        throw new Error('sink down');
      },
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
    });
    const item = batcher.add(1).catch((error: unknown) => (error as Error).message);
    await batcher.close();
    await expect(item).resolves.toBe('sink down');
  });
});
