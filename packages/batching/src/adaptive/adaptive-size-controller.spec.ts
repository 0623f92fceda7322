import { describe, expect, it } from 'vitest';
import { AdaptiveSizeController } from './adaptive-size-controller.js';

const options = { targetLatencyMs: 10, minSize: 4, maxSize: 1_000 };

/** Feeds `rounds` full batches at the current target, each taking `latency(size)` ms. */
function drive(controller: AdaptiveSizeController, rounds: number, latency: (size: number) => number): number[] {
  const targets: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const size = controller.target;
    controller.observe(size, latency(size), true);
    targets.push(controller.target);
  }
  return targets;
}

describe('AdaptiveSizeController', () => {
  it('grows the target after full batches that finish well under the latency target', () => {
    const targets = drive(new AdaptiveSizeController(options, 4), 5, () => 1);
    expect(targets).toEqual([...targets].sort((a, b) => a - b));
    expect(new Set(targets).size).toBe(5);
  });

  it('does not grow after batches that were not full: demand, not the target, limited them', () => {
    const controller = new AdaptiveSizeController(options, 50);
    for (let i = 0; i < 10; i++) controller.observe(3, 1, false);
    expect(controller.target).toBe(50);
  });

  it('takes a lone slow batch among fast ones for an outlier', () => {
    const controller = new AdaptiveSizeController(options, 100);
    controller.observe(100, 9, false);
    controller.observe(100, 50, true);
    expect(controller.target).toBe(100);
    controller.observe(100, 9, false);
    controller.observe(100, 50, true);
    expect(controller.target).toBe(100);
  });

  it('shrinks in proportion to the overshoot once a second batch in a row is slow', () => {
    const controller = new AdaptiveSizeController(options, 100);
    controller.observe(100, 12.5, true);
    controller.observe(100, 12.5, true);
    expect(controller.target).toBe(80);
  });

  it('judges the overshoot by the faster of two slow batches', () => {
    const controller = new AdaptiveSizeController(options, 100);
    controller.observe(100, 1_000, true);
    controller.observe(100, 12.5, true);
    expect(controller.target).toBe(80);
  });

  it('shrinks at most by half per batch', () => {
    const controller = new AdaptiveSizeController(options, 100);
    controller.observe(100, 1_000, true);
    controller.observe(100, 1_000, true);
    expect(controller.target).toBe(50);
  });

  it('shrinks from the size of slow batches that were smaller than the target', () => {
    const controller = new AdaptiveSizeController(options, 500);
    controller.observe(100, 20, false);
    controller.observe(100, 20, false);
    expect(controller.target).toBe(50);
  });

  it('stays within [minSize, maxSize]', () => {
    const controller = new AdaptiveSizeController(options, 900);
    expect(drive(controller, 20, () => 0).at(-1)).toBe(1_000);
    expect(drive(controller, 40, (size) => 100 * size).at(-1)).toBe(4);
  });

  it('settles just under the size whose latency meets the target', () => {
    // 1 ms fixed + 0.09 ms per item: 100 items take exactly 10 ms.
    const targets = drive(new AdaptiveSizeController(options, 4), 200, (size) => 1 + 0.09 * size);
    for (const target of targets.slice(-50)) {
      expect(target).toBeGreaterThanOrEqual(85);
      expect(target).toBeLessThanOrEqual(101);
    }
  });

  it('grows instead of shrinking when the fixed cost of a batch alone exceeds the latency target', () => {
    // No size can meet 10 ms when every batch costs 15 ms before its first item: smaller batches
    // would only pay that cost more often.
    const targets = drive(new AdaptiveSizeController(options, 16), 60, (size) => 15 + 0.001 * size);
    expect(targets.at(-1)).toBe(1_000);
  });

  it('keeps its size when every tenth batch is slowed by a pause', () => {
    // 0.2 ms + 5 µs per item: 960 items meet 5 ms. Every tenth batch also waits out an 11 ms pause.
    const controller = new AdaptiveSizeController({ targetLatencyMs: 5, minSize: 1, maxSize: 4_096 }, 64);
    let batch = 0;
    const targets = drive(controller, 300, (size) => (++batch % 10 === 0 ? 11 : 0) + 0.2 + 0.005 * size);
    for (const target of targets.slice(-50)) expect(target).toBeGreaterThanOrEqual(900);
  });

  it('recovers from a stall that inflated every batch, then settles at the size that meets the target', () => {
    // A stalled event loop adds 5 ms to every batch while batches are too small to keep up.
    const targets = drive(new AdaptiveSizeController({ targetLatencyMs: 2, minSize: 1, maxSize: 4_096 }, 64), 200, (size) =>
      (size < 1_000 ? 5 : 0) + 0.2 + 0.001 * size,
    );
    for (const target of targets.slice(-20)) {
      expect(target).toBeGreaterThanOrEqual(1_500);
      expect(target).toBeLessThanOrEqual(1_801);
    }
  });

  it('judges a slow episode by its own batches, not by those of an earlier one', () => {
    const controller = new AdaptiveSizeController(options, 16);
    // First episode: a fixed cost over the target, so the controller grows to the maximum.
    expect(drive(controller, 30, (size) => 15 + 0.001 * size).at(-1)).toBe(1_000);
    drive(controller, 5, () => 1);
    // Second episode: the cost is per item, so shrinking helps. Mixed with the first episode's
    // flat latencies at the same size, the fit would see no gain from smaller batches.
    expect(drive(controller, 40, (size) => 100 * size).at(-1)).toBe(4);
  });
});
