import { describe, expect, it } from 'vitest';
import { createBatcher } from '../index.js';
import { ControlledSink } from '../../test/support/controlled-sink.js';
import { codeOf, nextTurn, observe } from '../../test/support/async.js';

const echo = (n: number): number => n;

describe('backpressure', () => {
  it("rejects with OVERLOADED beyond maxPending under onOverload: 'reject', and accepts again once space frees", async () => {
    const sink = new ControlledSink(echo);
    const batcher = createBatcher({ execute: sink.execute, maxSize: 2, maxDelayMs: 0, maxPending: 2 });
    void batcher.add(1);
    void batcher.add(2); // a full batch: executing, no longer pending
    void batcher.add(3);
    void batcher.add(4); // pending: 2 of 2
    const refused = observe(batcher.add(5));
    await nextTurn();
    expect(refused.current.state).toBe('rejected');
    expect(codeOf((refused.current as { reason: unknown }).reason)).toBe('OVERLOADED');
    expect(batcher.stats).toMatchObject({ pending: 2, overloaded: 1 });

    sink.complete();
    await nextTurn();
    expect(sink.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await expect(Promise.race([batcher.add(6), nextTurn().then(() => 'accepted')])).resolves.toBe('accepted');
    expect(batcher.stats.pending).toBe(1);
  });

  it("under onOverload: 'wait' holds adds until space frees, then runs them in arrival order", async () => {
    const sink = new ControlledSink(echo);
    const batcher = createBatcher({
      execute: sink.execute,
      maxSize: 2,
      maxDelayMs: 0,
      maxPending: 2,
      onOverload: 'wait',
    });
    const results = [1, 2, 3, 4, 5, 6, 7].map((n) => observe(batcher.add(n)));
    await nextTurn();
    expect(batcher.stats).toMatchObject({ inFlight: 2, pending: 2, waiting: 3 });
    expect(results.every((r) => r.current.state === 'pending')).toBe(true);

    for (let round = 0; round < 4; round++) {
      sink.complete();
      await nextTurn();
    }
    expect(sink.batches).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
    expect(results.map((r) => r.current)).toEqual([1, 2, 3, 4, 5, 6, 7].map((value) => ({ state: 'fulfilled', value })));
    expect(batcher.stats).toMatchObject({ pending: 0, waiting: 0, overloaded: 0 });
  });

  it("under onOverload: 'wait' an add made as space frees still queues behind earlier waiters", async () => {
    const executed: number[][] = [];
    const releases: (() => void)[] = [];
    const batcher = createBatcher<number, number>({
      execute: (items) => {
        executed.push([...items]);
        // Called while the batcher is between taking this batch and admitting its waiters.
        if (items[0] === 2) void batcher.add(99);
        return new Promise((resolve) => releases.push(() => resolve(items)));
      },
      maxSize: 1,
      maxDelayMs: 0,
      maxPending: 1,
      onOverload: 'wait',
    });
    for (const n of [1, 2, 3, 4]) void batcher.add(n);
    for (let round = 0; round < 5; round++) {
      await nextTurn();
      releases.shift()?.();
    }
    await nextTurn();
    expect(executed).toEqual([[1], [2], [3], [4], [99]]);
  });

  it.each(['reject', 'wait'] as const)(
    "tryAdd returns undefined instead of a promise when full (onOverload: '%s'), and adds when there is space",
    async (onOverload) => {
      const sink = new ControlledSink(echo);
      const batcher = createBatcher({ execute: sink.execute, maxSize: 2, maxDelayMs: 0, maxPending: 2, onOverload });
      const accepted = [1, 2, 3, 4].map((n) => batcher.tryAdd(n));
      expect(accepted.every((promise) => promise instanceof Promise)).toBe(true);
      expect(batcher.tryAdd(5)).toBeUndefined();
      expect(batcher.stats).toMatchObject({ pending: 2, waiting: 0, overloaded: 1 });
      sink.complete();
      await nextTurn();
      sink.complete();
      await expect(Promise.all(accepted)).resolves.toEqual([1, 2, 3, 4]);
      const late = batcher.tryAdd(6);
      const closed = batcher.close();
      await nextTurn();
      sink.complete();
      await closed;
      await expect(late).resolves.toBe(6);
      await expect(batcher.tryAdd(7)?.catch(codeOf)).resolves.toBe('STORE_CLOSED');
    },
  );
});
