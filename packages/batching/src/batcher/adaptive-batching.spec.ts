import { describe, expect, it } from 'vitest';
import { createBatcher, type Batcher } from '../index.js';

/**
 * A sink on a fake clock: executing a batch of n items advances the clock by `cost(n)` ms, so the
 * latency the controller sees is exact and the test never depends on real time.
 */
function simulatedSink(cost: (size: number) => number) {
  const sink = {
    now: 0,
    cost,
    sizes: [] as number[],
    clock: (): number => sink.now,
    execute: (items: readonly number[]): number[] => {
      sink.sizes.push(items.length);
      sink.now += sink.cost(items.length);
      return [...items];
    },
  };
  return sink;
}

/** Offers `perRound` items at once (more than any target), `rounds` times, waiting for each round. */
async function offer(batcher: Batcher<number, number>, rounds: number, perRound: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const adds: Promise<number>[] = [];
    for (let i = 0; i < perRound; i++) adds.push(batcher.add(i));
    await batcher.flush();
    await Promise.all(adds);
  }
}

const adaptive = { targetLatencyMs: 10, minSize: 1, maxSize: 512 };

describe('adaptive batch sizing', () => {
  it('grows the target to adaptive.maxSize while batches stay far under the latency target', async () => {
    const sink = simulatedSink((n) => 0.5 + 0.001 * n);
    const batcher = createBatcher({ execute: sink.execute, clock: sink.clock, maxSize: 1, maxDelayMs: 60_000, maxPending: 10_000, adaptive });
    await offer(batcher, 20, 1_000);
    expect(batcher.stats.targetSize).toBe(512);
    expect(sink.sizes.slice(-5).some((size) => size === 512)).toBe(true);
  });

  it('shrinks the target until batches meet the latency target when they exceed it', async () => {
    // 0.2 ms per item: batches of 50 take exactly the 10 ms target.
    const sink = simulatedSink((n) => 0.2 * n);
    const batcher = createBatcher({ execute: sink.execute, clock: sink.clock, maxSize: 500, maxDelayMs: 60_000, maxPending: 10_000, adaptive });
    await offer(batcher, 20, 1_000);
    // The controller keeps probing one item above the size that meets the target.
    expect(batcher.stats.targetSize).toBeLessThanOrEqual(51);
    expect(batcher.stats.targetSize).toBeGreaterThanOrEqual(40);
    // Once settled, no batch overshoots the latency target by more than one item's cost.
    expect(sink.sizes.slice(-30).every((size) => size <= 51)).toBe(true);
  });

  it('follows a sink that slows down, then recovers when it speeds up again', async () => {
    const sink = simulatedSink((n) => 0.5 + 0.001 * n);
    const batcher = createBatcher({ execute: sink.execute, clock: sink.clock, maxSize: 16, maxDelayMs: 0, maxPending: 10_000, adaptive });
    await offer(batcher, 20, 1_000);
    expect(batcher.stats.targetSize).toBe(512);

    sink.cost = (n) => 0.5 + 0.5 * n; // batches of 19 take 10 ms
    await offer(batcher, 20, 1_000);
    expect(batcher.stats.targetSize).toBeLessThanOrEqual(20);

    sink.cost = (n) => 0.5 + 0.001 * n;
    await offer(batcher, 20, 1_000);
    expect(batcher.stats.targetSize).toBe(512);
  });

  it('does not grow when load never fills a batch', async () => {
    const sink = simulatedSink(() => 0.1);
    const batcher = createBatcher({ execute: sink.execute, clock: sink.clock, maxSize: 8, maxDelayMs: 0, maxPending: 10_000, adaptive });
    await offer(batcher, 50, 3);
    expect(batcher.stats.targetSize).toBe(8);
  });
});
