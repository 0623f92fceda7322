import { join } from 'node:path';
import { Piscina } from 'piscina';
import { handleCommand } from '@strata/core';
import { createProcessor, streamHomeWorker, type Processor } from '@strata/processor';
import { createLmdbEventStore, lmdbStoreDescriptor, type LmdbEventStore } from '@strata/store-lmdb';
import type { BenchCase, Measurement, RunContext, Suite, Target } from '../harness/types.js';
import { benchCounter } from './processor-aggregates.js';

/**
 * Command processing on the worker pool against the same work done by `handleCommand` in one
 * thread, in the same run:
 *
 * - Durable LMDB (`durability: 'flush'`), 10,000 streams, a trivial decider, 256 commands in
 *   flight: the processor with 2 workers against `handleCommand` on one store in the main thread.
 * - A CPU-heavy decider (~200 µs busy loop), 2 workers against 1 (LMDB, `durability: 'none'`, so
 *   the decider is what costs).
 * - Skew: 80% of the commands on 5% of the 10,000 streams, the hot streams all starting on worker
 *   0 (the worst case for routing by hash), a decider of ~20 µs; stealing on against off.
 * - The state-cache hit path against a reload from the store on every command (snapshot every 10
 *   events + tail), 1 worker.
 * - Raw piscina `run()` of a trivial task on 2 threads: the one-message-per-task transport the
 *   processor's batching avoids.
 */

const STREAMS = 10_000;
const IN_FLIGHT = 256;
const AGGREGATES = new URL('./processor-aggregates.js', import.meta.url);

let next = 0;
const processors = new Map<string, Processor>();

async function startProcessor(key: string, ctx: RunContext, options: Partial<Parameters<typeof createProcessor>[0]> & { durability: 'flush' | 'none' }): Promise<void> {
  const { durability, ...rest } = options;
  const processor = await createProcessor({
    store: lmdbStoreDescriptor({ path: join(ctx.tmpDir, key), durability }),
    aggregates: AGGREGATES,
    maxQueuePerWorker: 100_000,
    ...rest,
  });
  processors.set(key, processor);
}

/**
 * One command per stream before measuring, IN_FLIGHT at a time, so that every stream exists and
 * the measured window shows the steady state (the processor's states hot) rather than the first
 * pass over 10,000 streams, which a short quick-mode window would be all of.
 */
async function prime(run: (stream: string) => Promise<unknown>, streams: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < streams; i = next++) await run(`account-${i}`);
    }),
  );
}

async function stopProcessor(key: string): Promise<void> {
  await processors.get(key)?.close();
  processors.delete(key);
}

function execute(key: string, aggregate: string, stream: string, command: object): Promise<unknown> {
  return processors.get(key)!.execute(aggregate, stream, command);
}

/** 80% of the commands on 500 streams that all start on worker 0; the rest spread over all 10,000. */
const hotStreams: string[] = [];
for (let i = 0; hotStreams.length < STREAMS / 20; i++) if (streamHomeWorker(`account-${i}`, 2) === 0) hotStreams.push(`account-${i}`);
function skewedStream(n: number): string {
  return n % 5 === 0 ? `account-${(n * 7919) % STREAMS}` : hotStreams[(n * 31) % hotStreams.length]!;
}

/** Closed loop over the skewed streams for `ms`; latencies in ns. */
async function skewedLoop(processor: Processor, ms: number, latenciesNs: number[] | undefined): Promise<number> {
  const deadline = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await processor.execute('benchCounter', skewedStream(++next), { amount: 1, spinUs: 20 });
        latenciesNs?.push((performance.now() - started) * 1e6);
        done++;
      }
    }),
  );
  return done;
}

/** The skewed load, reporting how many streams were stolen and reloaded while measuring. */
async function skewed(key: string, ctx: RunContext): Promise<Measurement> {
  const processor = processors.get(key)!;
  await skewedLoop(processor, ctx.warmupMs, undefined);
  const before = processor.stats();
  const latenciesNs: number[] = [];
  const started = performance.now();
  const ops = await skewedLoop(processor, ctx.durationMs, latenciesNs);
  const elapsedMs = performance.now() - started;
  const after = processor.stats();
  const misses = (stats: typeof before): number => stats.workers.reduce((sum, worker) => sum + worker.cacheMisses, 0);
  const share = after.workers[0]!.completed - before.workers[0]!.completed;
  return {
    ops,
    elapsedMs,
    latenciesNs,
    extra: { steals: after.steals - before.steals, reloads: misses(after) - misses(before), worker0Share: share / Math.max(1, ops) },
  };
}

let baselineStore: LmdbEventStore;
let piscina: Piscina;

const cases: BenchCase[] = [
  {
    name: 'handleCommand, one thread, durable LMDB, 10k streams',
    role: 'baseline',
    concurrency: IN_FLIGHT,
    setup: async (ctx) => {
      baselineStore = await createLmdbEventStore({ path: join(ctx.tmpDir, 'baseline'), durability: 'flush' });
      await prime((stream) => handleCommand(baselineStore, benchCounter, stream, { amount: 1 }), STREAMS);
    },
    fn: () => handleCommand(baselineStore, benchCounter, `account-${++next % STREAMS}`, { amount: 1 }),
    teardown: () => baselineStore.close(),
  },
  {
    name: 'processor, 2 workers, durable LMDB, 10k streams',
    role: 'subject',
    concurrency: IN_FLIGHT,
    setup: async (ctx) => {
      await startProcessor('durable', ctx, { workers: 2, durability: 'flush' });
      await prime((stream) => execute('durable', 'benchCounter', stream, { amount: 1 }), STREAMS);
    },
    fn: () => execute('durable', 'benchCounter', `account-${++next % STREAMS}`, { amount: 1 }),
    teardown: () => stopProcessor('durable'),
  },
  {
    name: 'processor, 1 worker, 200 µs decide',
    role: 'baseline',
    concurrency: 64,
    setup: (ctx) => startProcessor('cpu1', ctx, { workers: 1, durability: 'none' }),
    fn: () => execute('cpu1', 'benchCounter', `account-${++next % STREAMS}`, { amount: 1, spinUs: 200 }),
    teardown: () => stopProcessor('cpu1'),
  },
  {
    name: 'processor, 2 workers, 200 µs decide',
    role: 'subject',
    concurrency: 64,
    setup: (ctx) => startProcessor('cpu2', ctx, { workers: 2, durability: 'none' }),
    fn: () => execute('cpu2', 'benchCounter', `account-${++next % STREAMS}`, { amount: 1, spinUs: 200 }),
    teardown: () => stopProcessor('cpu2'),
  },
  {
    name: 'skewed load, stealing off',
    role: 'baseline',
    setup: (ctx) => startProcessor('skewOff', ctx, { workers: 2, durability: 'none', stealing: false }),
    measure: (ctx) => skewed('skewOff', ctx),
    teardown: () => stopProcessor('skewOff'),
  },
  {
    name: 'skewed load, stealing on',
    role: 'subject',
    setup: (ctx) => startProcessor('skewOn', ctx, { workers: 2, durability: 'none' }),
    measure: (ctx) => skewed('skewOn', ctx),
    teardown: () => stopProcessor('skewOn'),
  },
  {
    name: 'reload from store on every command (no state cache)',
    role: 'baseline',
    concurrency: 64,
    setup: async (ctx) => {
      await startProcessor('reload', ctx, { workers: 1, durability: 'none', stateCacheSize: 0 });
      await prime((stream) => execute('reload', 'benchSnapshotted', stream, { amount: 1 }), 1000);
    },
    fn: () => execute('reload', 'benchSnapshotted', `account-${++next % 1000}`, { amount: 1 }),
    teardown: () => stopProcessor('reload'),
  },
  {
    name: 'state-cache hit path',
    role: 'subject',
    concurrency: 64,
    setup: async (ctx) => {
      await startProcessor('hit', ctx, { workers: 1, durability: 'none' });
      await prime((stream) => execute('hit', 'benchSnapshotted', stream, { amount: 1 }), 1000);
    },
    fn: () => execute('hit', 'benchSnapshotted', `account-${++next % 1000}`, { amount: 1 }),
    teardown: () => stopProcessor('hit'),
  },
  {
    name: 'piscina run(), trivial task, 2 threads (transport reference)',
    role: 'baseline',
    concurrency: IN_FLIGHT,
    setup: () => {
      piscina = new Piscina({ filename: new URL('./processor-piscina-task.js', import.meta.url).href, name: 'echo', minThreads: 2, maxThreads: 2 });
    },
    fn: () => piscina.run(++next),
    teardown: () => piscina.destroy(),
  },
];

const targets: Target[] = [
  { kind: 'opsPerSec', subject: 'processor, 2 workers, durable LMDB, 10k streams', min: 80_000, description: 'durable commands/s, trivial decide' },
  { kind: 'latency', subject: 'processor, 2 workers, durable LMDB, 10k streams', percentile: 99, maxMs: 10, description: 'p99 at 256 in flight' },
  {
    kind: 'ratio',
    subject: 'processor, 2 workers, durable LMDB, 10k streams',
    baseline: 'handleCommand, one thread, durable LMDB, 10k streams',
    min: 1,
    description: 'pool vs handleCommand in one thread',
  },
  { kind: 'ratio', subject: 'processor, 2 workers, 200 µs decide', baseline: 'processor, 1 worker, 200 µs decide', min: 1.7, description: 'CPU-heavy decide scales with workers' },
  { kind: 'ratio', subject: 'skewed load, stealing on', baseline: 'skewed load, stealing off', min: 1, description: 'stealing helps a skewed load' },
];

const suite: Suite = {
  id: 'processor',
  title: 'Command processor: worker pool, stealing, state cache',
  description:
    'Commands through @strata/processor against handleCommand in one thread (durable LMDB, 10k streams, trivial decide), ' +
    '2 workers against 1 with a ~200 µs decider, a skewed load (80% of commands on 5% of streams, all starting on one ' +
    'worker) with stealing on and off, the state-cache hit path against a reload per command, and raw piscina tasks as ' +
    'the transport reference.',
  cases,
  targets,
  durationMs: 3000,
  // Each case's window in interleaved slices, so that the pool and its one-thread baseline see
  // the same phases of a shared machine.
  sliceMs: 250,
};

export default suite;
