import { join } from 'node:path';
import { open } from 'lmdb';
import type { EventData, ProjectionSink, RecordedEvent, SinkProjectionStatus, SinkScope } from '@strata/core';
import { createLmdbEventStore, type LmdbEventStore } from '@strata/store-lmdb';
import { createProjectionRunner, defineProjection, type ProjectionRunner } from '@strata/projections';
import type { BenchCase, Measurement, RunContext, Suite, Target } from '../harness/types.js';

/**
 * Projections into the `@strata/query` read-model store.
 *
 * - **Rebuild**: a blue/green `runner.rebuild()` of a projection that writes one document per event
 *   into a collection with two secondary indexes (`account`, `day`), replaying the whole log (1M events;
 *   quick: 20k). Baseline: raw lmdb-js bulk puts of the same final documents plus their two index entries,
 *   in transactions of the same size, with the same flush policy (the lmdb-js default) — what any store
 *   keeping those documents and indexes must write at least.
 * - **Live**: appends of 10 events arrive open-loop at a steady rate (durable appends, the default) while
 *   the projection applies them live; reports events applied per second and the lag from each event's
 *   `recordedAt` to the commit of the sink transaction that applied it (p50/p99), and the largest lag in
 *   events seen. Baseline: a raw subscription putting the same documents and index entries with lmdb-js
 *   under the same load.
 */

const ACCOUNTS = 10_000;
const APPEND_SIZE = 1_000;
const REBUILD_BATCH = 10_000;
const EMPTY = new Uint8Array(0);

type Doc = { id: string; account: string; day: number; amount: number };

function transferEvent(i: number): EventData {
  return { type: 'Transferred', data: { n: i, account: `acct-${i % ACCOUNTS}`, day: i % 365, amount: (i % 1000) + 0.25 } };
}

function documentOf(event: RecordedEvent): Doc {
  const data = event.data as { n: number; account: string; day: number; amount: number };
  return { id: `t-${data.n}`, account: data.account, day: data.day, amount: data.amount };
}

function eventCount(quick: boolean): number {
  return quick ? 20_000 : 1_000_000;
}

// The read-model store is loaded by name at run time and used through the shapes below, so this suite
// states exactly what it needs of it.
type ReadModelCollection = { put(doc: Doc): unknown; count(where?: object): number | Promise<number> };
type ReadModelTransaction = { collection(name: string): { put(doc: Doc): unknown } };
type ReadModelStore = ProjectionSink<ReadModelTransaction> & {
  collection(name: string, options?: object): ReadModelCollection;
  garbageCollected(): Promise<void>;
  close(): Promise<void>;
};

async function openReadModels(path: string): Promise<ReadModelStore> {
  const query = (await import('@strata/query')) as unknown as { createReadModelStore?: (options: { path: string }) => Promise<ReadModelStore> };
  if (typeof query.createReadModelStore !== 'function') throw new Error('@strata/query does not export createReadModelStore');
  const store = await query.createReadModelStore({ path });
  store.collection('transfers', { indexes: ['account', 'day'] });
  return store;
}

function transfersProjection(sink: ProjectionSink<ReadModelTransaction>, onBatch?: (events: readonly RecordedEvent[]) => void) {
  return defineProjection<ReadModelTransaction>({
    name: 'transfers',
    handles: ['Transferred'],
    sink,
    batch: { maxSize: 1_000 },
    handleBatch(events, tx) {
      const transfers = tx.collection('transfers');
      for (const event of events) transfers.put(documentOf(event));
      onBatch?.(events);
    },
  });
}

/** An event store holding `count` transfer events. */
async function filledStore(ctx: RunContext, count: number): Promise<LmdbEventStore> {
  const store = await createLmdbEventStore({ path: join(ctx.tmpDir, 'events'), durability: 'none' });
  for (let first = 0; first < count; first += APPEND_SIZE) {
    const size = Math.min(APPEND_SIZE, count - first);
    await store.append(`ledger-${first / APPEND_SIZE}`, Array.from({ length: size }, (_, k) => transferEvent(first + k)));
  }
  return store;
}

let rawDocs: Doc[] = [];
let rawRuns = 0;
let rebuildStore: LmdbEventStore | undefined;
let rebuildModels: ReadModelStore | undefined;
let rebuildRunner: ProjectionRunner | undefined;

/** Every repetition writes into a fresh environment, as a rebuild writes into a fresh generation. */
async function rawBulkPuts(ctx: RunContext): Promise<Measurement> {
  const root = open({ path: join(ctx.tmpDir, `raw-${++rawRuns}`) });
  const docs = root.openDB<Doc, string>('docs', {});
  const index = root.openDB<Uint8Array, (string | number)[]>('index', { encoding: 'binary' });
  const started = performance.now();
  for (let first = 0; first < rawDocs.length; first += REBUILD_BATCH) {
    await root.transaction(() => {
      for (let i = first; i < Math.min(first + REBUILD_BATCH, rawDocs.length); i++) {
        const doc = rawDocs[i] as Doc;
        void docs.put(doc.id, doc);
        void index.put(['account', doc.account, doc.id], EMPTY);
        void index.put(['day', doc.day, doc.id], EMPTY);
      }
    });
  }
  const elapsedMs = performance.now() - started;
  await root.close();
  return { ops: rawDocs.length, elapsedMs, extra: { documents: rawDocs.length } };
}

async function rebuild(): Promise<Measurement> {
  if (rebuildRunner === undefined || rebuildStore === undefined) throw new Error('setup did not run');
  const count = (await rebuildStore.headPosition()) + 1;
  const started = performance.now();
  await rebuildRunner.rebuild('transfers');
  const elapsedMs = performance.now() - started;
  // The replaced generation is dropped in the background; let that finish outside the window so it
  // does not load the next case.
  await rebuildModels?.garbageCollected();
  return { ops: count, elapsedMs };
}

/** Something that applies live events and reports each one's lag once it is committed. */
type LiveConsumer = { start(onApplied: (event: RecordedEvent) => void): Promise<void>; lagEvents(): Promise<number>; stop(): Promise<void> };

/** The projection runner into the read-model store. */
async function projectionConsumer(dir: string, store: LmdbEventStore): Promise<LiveConsumer> {
  const models = await openReadModels(join(dir, 'models'));
  let pending: RecordedEvent[] = [];
  let report: (event: RecordedEvent) => void = () => undefined;
  // A sink that notes when each batch committed: the lag is measured to that moment.
  const timed: ProjectionSink<ReadModelTransaction> = {
    status: (projection: string): Promise<SinkProjectionStatus> => models.status(projection),
    beginGeneration: (projection: string) => models.beginGeneration(projection),
    promote: (projection: string, generation: number) => models.promote(projection, generation),
    discard: (projection: string, generation: number) => models.discard(projection, generation),
    async transact(scope: SinkScope, position: number, apply: (tx: ReadModelTransaction) => void | Promise<void>) {
      await models.transact(scope, position, apply);
      for (const event of pending) report(event);
      pending = [];
    },
  };
  const runner = createProjectionRunner({
    store,
    checkpoints: store.checkpoints,
    projections: [transfersProjection(timed, (events) => void pending.push(...events))],
    metricsIntervalMs: 0,
  });
  return {
    async start(onApplied) {
      report = onApplied;
      await runner.start();
    },
    lagEvents: async () => (await runner.status())[0]?.lagEvents ?? 0,
    async stop() {
      await runner.waitFor(await store.headPosition());
      await runner.stop();
      await models.close();
    },
  };
}

/** The same work without the framework: a raw subscription putting the documents and index entries with lmdb-js. */
async function rawConsumer(dir: string, store: LmdbEventStore): Promise<LiveConsumer> {
  const root = open({ path: join(dir, 'raw') });
  const docs = root.openDB<Doc, string>('docs', {});
  const index = root.openDB<Uint8Array, (string | number)[]>('index', { encoding: 'binary' });
  let applied = -1;
  let last: Promise<unknown> = Promise.resolve();
  let subscription: ReturnType<LmdbEventStore['subscribe']> | undefined;
  return {
    async start(onApplied) {
      subscription = store.subscribe({
        from: 'start',
        filter: { types: ['Transferred'] },
        handler(event) {
          const doc = documentOf(event);
          void docs.put(doc.id, doc);
          void index.put(['account', doc.account, doc.id], EMPTY);
          // lmdb-js commits the puts of one turn together; the last one settles with that commit.
          last = index.put(['day', doc.day, doc.id], EMPTY).then(() => {
            applied = event.position;
            onApplied(event);
          });
        },
      });
    },
    lagEvents: async () => Math.max(0, (await store.headPosition()) - applied),
    async stop() {
      await subscription?.waitFor(await store.headPosition());
      await last;
      await subscription?.stop();
      await root.close();
    },
  };
}

let liveRuns = 0;

/** Appends at a steady rate for the run's duration while `consumer` applies them live (fresh stores each run). */
async function liveLoad(ctx: RunContext, consumerOf: (dir: string, store: LmdbEventStore) => Promise<LiveConsumer>): Promise<Measurement> {
  const dir = join(ctx.tmpDir, `live-${++liveRuns}`);
  const store = await createLmdbEventStore({ path: join(dir, 'events') });
  const consumer = await consumerOf(dir, store);
  const latenciesNs: number[] = [];
  await consumer.start((event) => void latenciesNs.push((Date.now() - event.recordedAt.getTime()) * 1e6));
  const rate = ctx.quick ? 5_000 : 10_000;
  const perAppend = 10;
  const started = performance.now();
  const appends: Promise<unknown>[] = [];
  let issued = 0;
  let maxLagEvents = 0;
  while (performance.now() - started < ctx.durationMs) {
    const due = Math.floor(((performance.now() - started) * rate) / 1000 / perAppend);
    for (; issued < due; issued++) {
      const first = issued * perAppend;
      appends.push(store.append(`live-${issued % 1000}`, Array.from({ length: perAppend }, (_, k) => transferEvent(first + k))));
    }
    maxLagEvents = Math.max(maxLagEvents, await consumer.lagEvents());
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(appends);
  await consumer.stop();
  const elapsedMs = performance.now() - started;
  await store.close();
  return { ops: latenciesNs.length, elapsedMs, latenciesNs, extra: { offeredEventsPerSec: rate, maxLagEvents } };
}

const cases: BenchCase[] = [
  {
    name: 'lmdb-js bulk puts of the final documents + 2 index entries',
    role: 'baseline',
    setup(ctx) {
      rawDocs = Array.from({ length: eventCount(ctx.quick) }, (_, i) => {
        const data = transferEvent(i).data as { account: string; day: number; amount: number };
        return { id: `t-${i}`, account: data.account, day: data.day, amount: data.amount };
      });
    },
    measure: rawBulkPuts,
    teardown() {
      rawDocs = [];
    },
  },
  {
    name: 'projection rebuild into a 2-index collection',
    role: 'subject',
    async setup(ctx) {
      rebuildStore = await filledStore(ctx, eventCount(ctx.quick));
      rebuildModels = await openReadModels(join(ctx.tmpDir, 'models'));
      rebuildRunner = createProjectionRunner({
        store: rebuildStore,
        checkpoints: rebuildStore.checkpoints,
        projections: [transfersProjection(rebuildModels)],
        rebuildBatchSize: REBUILD_BATCH,
        metricsIntervalMs: 0,
      });
      await rebuildRunner.start();
      await rebuildRunner.waitFor(await rebuildStore.headPosition(), { timeoutMs: 600_000 });
    },
    measure: rebuild,
    async teardown() {
      await rebuildRunner?.stop();
      await rebuildModels?.close();
      await rebuildStore?.close();
    },
  },
  {
    name: 'raw subscription + lmdb-js puts, live, steady append load',
    role: 'baseline',
    measure: (ctx) => liveLoad(ctx, rawConsumer),
  },
  {
    name: 'async projection, live, steady append load',
    role: 'subject',
    measure: (ctx) => liveLoad(ctx, projectionConsumer),
  },
];

const targets: Target[] = [
  {
    kind: 'ratio',
    subject: 'projection rebuild into a 2-index collection',
    baseline: 'lmdb-js bulk puts of the final documents + 2 index entries',
    min: 0.5,
    description: 'blue/green rebuild vs raw bulk puts of the final documents',
  },
  {
    kind: 'ratio',
    subject: 'async projection, live, steady append load',
    baseline: 'raw subscription + lmdb-js puts, live, steady append load',
    min: 0.95,
    description: 'live projection keeps up with the offered load (events applied per second)',
  },
];

const suite: Suite = {
  id: 'projections',
  title: 'Projections: rebuild and live throughput',
  description: 'Blue/green rebuild of a 2-index read model against raw lmdb-js bulk puts; live projection throughput and lag under steady appends.',
  cases,
  targets,
  repetitions: 3,
};

export default suite;
