import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { ChannelNames, type BatchMessage } from '@strata/core';
import { createBatcher } from '../index.js';

describe('stats and diagnostics', () => {
  it('counts batches, items and averages', async () => {
    let now = 0;
    const batcher = createBatcher<number, number>({
      execute: (items) => {
        now += items.length;
        return items;
      },
      maxSize: 4,
      maxDelayMs: 0,
      maxPending: 100,
      clock: () => now,
    });
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.add(n)));
    expect(batcher.stats).toEqual({
      pending: 0,
      waiting: 0,
      inFlight: 0,
      inFlightBatches: 0,
      batches: 2,
      items: 6,
      failedItems: 0,
      deduplicated: 0,
      overloaded: 0,
      targetSize: 4,
      averageBatchSize: 3,
      averageLatencyMs: 3,
    });
  });

  it('publishes one BatchMessage per executed batch on strata:batch', async () => {
    const messages: BatchMessage[] = [];
    const listener = (message: unknown): void => {
      if ((message as BatchMessage).name === 'diag-test') messages.push(message as BatchMessage);
    };
    subscribe(ChannelNames.batch, listener);
    try {
      const batcher = createBatcher<number, number>({
        execute: (items) => items,
        maxSize: 2,
        maxDelayMs: 0,
        maxPending: 100,
        name: 'diag-test',
      });
      await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    } finally {
      unsubscribe(ChannelNames.batch, listener);
    }
    expect(messages.map((m) => [m.size, m.targetSize])).toEqual([
      [2, 2],
      [1, 2],
    ]);
    expect(messages.every((m) => m.durationMs >= 0 && m.pending >= 0)).toBe(true);
  });
});
