import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInMemoryEventStore, defineAggregate, handleCommand, type EventStore } from '@strata/core';
import { createProcessor, type Processor } from '@strata/processor';
import { createLmdbEventStore, lmdbStoreDescriptor } from '@strata/store-lmdb';
import type { BenchCase, Suite, Target } from '../harness/types.js';
import { pipeline } from './pipeline-module.js';

/**
 * What the extension pipeline costs: command throughput through `handleCommand` with three trivial
 * middlewares and two trivial enrichers (one sync, one async) against the same commands with no
 * pipeline, in the same run. The pipeline also stamps correlation and causation ids into every
 * event (its default); the baseline passes the same five metadata fields through
 * `options.metadata` (a fresh UUID per command, as the pipeline's command id), so both cases store
 * identical events and the ratio is the cost of the pipeline machinery. Three paths: `handleCommand`
 * on the in-memory reference store, where the command path is cheapest and the overhead shows the
 * most; `handleCommand` on the LMDB store in its default durability (`'flush'`); and the processor
 * with two worker threads on that store, which loads the same pipeline module in each worker.
 */

const STREAMS = 10_000;
const CONCURRENCY = 64;

const counter = defineAggregate<number, { by: number }, { type: 'Added'; data: { by: number } }>({
  name: 'counter',
  initialState: 0,
  evolve: (state, event) => state + event.data.by,
  decide: (command) => ({ type: 'Added', data: { by: command.by } }),
});

let n = 0;

function commandCase(name: string, role: BenchCase['role'], open: (dir: string) => Promise<EventStore>, withPipeline: boolean): BenchCase {
  let store: EventStore;
  // The baseline stores the same metadata, passed the way a caller without a pipeline would, so
  // both cases write identical events and the ratio is the cost of the pipeline itself.
  const options = withPipeline
    ? () => ({ pipeline })
    : () => {
        const id = randomUUID();
        return { metadata: { user: 'bench', tenant: 't1', schema: 1, correlationId: id, causationId: id } };
      };
  return {
    name,
    role,
    concurrency: CONCURRENCY,
    async setup(ctx) {
      store = await open(join(ctx.tmpDir, role));
    },
    fn() {
      return handleCommand(store, counter, `counter-${++n % STREAMS}`, { by: 1 }, options());
    },
    async teardown() {
      await store.close();
    },
  };
}

const AGGREGATES = new URL('./processor-aggregates.js', import.meta.url);
const PIPELINE = new URL('./pipeline-module.js', import.meta.url);

function processorCase(name: string, role: BenchCase['role'], withPipeline: boolean): BenchCase {
  let processor: Processor;
  return {
    name,
    role,
    concurrency: CONCURRENCY * 4,
    async setup(ctx) {
      processor = await createProcessor({
        store: lmdbStoreDescriptor({ path: join(ctx.tmpDir, role) }),
        aggregates: AGGREGATES,
        workers: 2,
        ...(withPipeline ? { pipeline: PIPELINE } : {}),
      });
    },
    fn() {
      const stream = `benchCounter-${++n % STREAMS}`;
      if (withPipeline) return processor.execute('benchCounter', stream, { amount: 1 });
      const id = randomUUID();
      return processor.execute('benchCounter', stream, { amount: 1 }, { metadata: { user: 'bench', tenant: 't1', schema: 1, correlationId: id, causationId: id } });
    },
    async teardown() {
      await processor.close();
    },
  };
}

const memory = async (): Promise<EventStore> => createInMemoryEventStore();
const lmdb = (path: string): Promise<EventStore> => createLmdbEventStore({ path });

const target = (subject: string, baseline: string, store: string): Target => ({
  kind: 'ratio',
  subject,
  baseline,
  min: 0.9,
  description: `${store}: commands with 3 middlewares + 2 enrichers ≥ 0.9 × none`,
});

const suite: Suite = {
  id: 'pipeline',
  title: 'Extension pipeline overhead',
  description:
    'handleCommand with three trivial middlewares and two trivial enrichers (correlation ids on) against no pipeline: handleCommand on the in-memory store and on LMDB (durability flush) with 64 commands in flight, and the processor with 2 workers on LMDB with 256 in flight, over 10k streams.',
  cases: [
    commandCase('in-memory: no pipeline', 'baseline', memory, false),
    commandCase('in-memory: 3 middlewares + 2 enrichers', 'subject', memory, true),
    commandCase('lmdb flush: no pipeline', 'baseline', lmdb, false),
    commandCase('lmdb flush: 3 middlewares + 2 enrichers', 'subject', lmdb, true),
    processorCase('processor, 2 workers, lmdb flush: no pipeline', 'baseline', false),
    processorCase('processor, 2 workers, lmdb flush: 3 middlewares + 2 enrichers', 'subject', true),
  ],
  targets: [
    target('in-memory: 3 middlewares + 2 enrichers', 'in-memory: no pipeline', 'in-memory store'),
    target('lmdb flush: 3 middlewares + 2 enrichers', 'lmdb flush: no pipeline', 'LMDB store'),
    target('processor, 2 workers, lmdb flush: 3 middlewares + 2 enrichers', 'processor, 2 workers, lmdb flush: no pipeline', 'processor'),
  ],
  sliceMs: 100,
};

export default suite;
