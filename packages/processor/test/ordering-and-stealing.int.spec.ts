import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ChannelNames, type ProcessorMessage } from '@strata/core';
import { createLmdbEventStore, lmdbStoreDescriptor } from '@strata/store-lmdb';
import { createProcessor, streamHomeWorker, type ExecuteResult } from '../dist/index.js';
import { AGGREGATES, readAll, tempDir } from './support/helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('keeps per-stream order and loses no update: 10k commands over 1k streams, 2 workers, hot streams on one worker', async () => {
  const dir = tempDir('stealing');
  cleanups.push(dir.remove);
  const path = join(dir.path, 'store');
  const processor = await createProcessor({
    store: lmdbStoreDescriptor({ path, durability: 'none' }),
    aggregates: AGGREGATES,
    workers: 2,
    stealing: { minBacklog: 4, busyAbove: 0, idleBelow: 1 },
  });
  cleanups.push(() => processor.close());

  const streams = Array.from({ length: 1000 }, (_, i) => `counter-${i}`);
  // Skew: 100 streams that start on worker 0 get 90% of the commands, so worker 1 runs dry early.
  const hot = streams.filter((s) => streamHomeWorker(s, 2) === 0).slice(0, 100);
  expect(hot).toHaveLength(100);
  const plan: { stream: string; amount: number }[] = [];
  for (let i = 0; i < 10_000; i++) {
    const stream = i % 10 === 0 ? streams[(i / 10) % 1000]! : hot[(i * 7) % 100]!;
    plan.push({ stream, amount: (i % 13) + 1 });
  }
  const steals: ProcessorMessage[] = [];
  const onProcessor = (message: unknown): void => {
    if ((message as ProcessorMessage).event === 'steal') steals.push(message as ProcessorMessage);
  };
  subscribe(ChannelNames.processor, onProcessor);
  cleanups.push(() => void unsubscribe(ChannelNames.processor, onProcessor));
  const answers = new Map<string, number[]>();
  const submitted = new Map<string, number[]>();
  const expected = new Map<string, number>();
  const settled = plan.map(({ stream, amount }, seq) => {
    submitted.set(stream, [...(submitted.get(stream) ?? []), seq]);
    expected.set(stream, (expected.get(stream) ?? 0) + amount);
    return processor.execute('counter', stream, { type: 'add', amount, seq }).then((result: ExecuteResult) => {
      const list = answers.get(stream) ?? [];
      list.push(seq);
      answers.set(stream, list);
      return result;
    });
  });
  const results = await Promise.all(settled);
  expect(results).toHaveLength(10_000);

  const stats = processor.stats();
  expect(stats.steals).toBeGreaterThan(0);
  expect(steals.reduce((sum, steal) => sum + (steal.streams ?? 0), 0)).toBe(stats.steals);
  expect(steals.every((steal) => steal.from !== steal.worker)).toBe(true);
  expect(stats.completed).toBe(10_000);

  const reader = await createLmdbEventStore({ path, durability: 'none' });
  cleanups.push(() => reader.close());
  for (const [stream, seqs] of submitted) {
    // Answered in submission order.
    expect(answers.get(stream), stream).toEqual(seqs);
    const events = await readAll(reader, stream);
    // Gapless versions, applied in submission order, each on the state the previous one left.
    expect(events.map((e) => e.version)).toEqual(seqs.map((_, i) => i));
    expect(events.map((e) => (e.data as { seq: number }).seq)).toEqual(seqs);
    let total = 0;
    for (const event of events) {
      const data = event.data as { amount: number; before: number };
      expect(data.before).toBe(total);
      total += data.amount;
    }
    expect(total).toBe(expected.get(stream));
  }
});
