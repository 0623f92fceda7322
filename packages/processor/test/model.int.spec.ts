import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createInMemoryEventStore, handleCommand, isStrataError, type Aggregate } from '@strata/core';
import { lmdbStoreDescriptor } from '@strata/store-lmdb';
import { createProcessor, type Processor } from '../dist/index.js';
import { AGGREGATES, tempDir } from './support/helpers.js';

type Step = { stream: number; command: Record<string, unknown>; expectedVersion?: number; wait: boolean };

const command = fc.oneof(
  fc.record({ type: fc.constant('add'), amount: fc.integer({ min: -5, max: 20 }) }),
  fc.record({ type: fc.constant('limitedAdd'), amount: fc.integer({ min: 1, max: 20 }), max: fc.integer({ min: 10, max: 60 }) }),
  fc.record({ type: fc.constant('addAsync'), amount: fc.integer({ min: 0, max: 9 }) }),
  fc.constant({ type: 'reject' }),
  fc.constant({ type: 'refuse' }),
  fc.constant({ type: 'noop' }),
);
const step: fc.Arbitrary<Step> = fc.record(
  { stream: fc.integer({ min: 0, max: 5 }), command, expectedVersion: fc.integer({ min: -1, max: 4 }), wait: fc.boolean() },
  { requiredKeys: ['stream', 'command', 'wait'] },
);

const dir = tempDir('model');
let run = 0;
const processors: Processor[] = [];

let counter: Aggregate;
beforeAll(async () => {
  counter = ((await import(AGGREGATES.href)) as { counter: Aggregate }).counter;
});
afterAll(async () => {
  await Promise.all(processors.map((p) => p.close()));
  dir.remove();
});

/** Runs a sequence: concurrent submission, with an await wherever the step says so. Positions differ by design. */
async function outcomes(processor: Processor, prefix: string, steps: Step[]): Promise<unknown[]> {
  const all: Promise<unknown>[] = [];
  for (const s of steps) {
    const options = s.expectedVersion === undefined ? {} : { expectedVersion: s.expectedVersion };
    const outcome = processor.execute('counter', `${prefix}-${s.stream}`, s.command, options).then(
      (result) => ({ events: result.events, version: result.nextExpectedVersion, appended: result.position >= 0 }),
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message.replaceAll(prefix, 'S') }),
    );
    all.push(outcome);
    if (s.wait) await outcome;
  }
  return Promise.all(all);
}

/** The reference: handleCommand in one thread, one command per stream at a time in submission order. */
async function reference(prefix: string, steps: Step[]): Promise<unknown[]> {
  const store = createInMemoryEventStore();
  const tails = new Map<string, Promise<unknown>>();
  const all: Promise<unknown>[] = [];
  for (const s of steps) {
    const stream = `${prefix}-${s.stream}`;
    const options = s.expectedVersion === undefined ? {} : { expectedVersion: s.expectedVersion };
    const outcome = (tails.get(stream) ?? Promise.resolve())
      .then(() => handleCommand(store, counter, stream, s.command, options))
      .then(
        (result) => ({ events: result.events, version: result.nextExpectedVersion, appended: result.position >= 0 }),
        (error: Error & { code?: string }) => ({
          code: isStrataError(error) ? error.code : 'COMMAND_REJECTED',
          message: error.message.replaceAll(prefix, 'S'),
        }),
      );
    tails.set(stream, outcome);
    all.push(outcome);
    if (s.wait) await outcome;
  }
  const results = await Promise.all(all);
  await store.close();
  return results;
}

it('gives the same results with workers: 0, workers: 2 and handleCommand for the same command sequence', async () => {
  const inline = await createProcessor({ store: lmdbStoreDescriptor({ path: join(dir.path, 'inline'), durability: 'none' }), aggregates: AGGREGATES, workers: 0 });
  const threads = await createProcessor({
    store: lmdbStoreDescriptor({ path: join(dir.path, 'threads'), durability: 'none' }),
    aggregates: AGGREGATES,
    workers: 2,
    stealing: { minBacklog: 1, busyAbove: 0, idleBelow: 1 },
    stateCacheSize: 3,
  });
  processors.push(inline, threads);
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
      const prefix = `counter-r${++run}`;
      const [a, b, c] = await Promise.all([outcomes(inline, prefix, steps), outcomes(threads, prefix, steps), reference(prefix, steps)]);
      expect(a).toEqual(c);
      expect(b).toEqual(a);
    }),
    { numRuns: Number(process.env.MODEL_RUNS ?? 100) },
  );
  // Streams did move between the workers (and back), so cached state was invalidated along the way.
  expect(threads.stats().steals).toBeGreaterThan(0);
});
