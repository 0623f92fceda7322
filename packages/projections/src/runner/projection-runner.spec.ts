import { afterEach, describe, expect, it } from 'vitest';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ChannelNames, createInMemoryEventStore, type EventStore, type ProjectionMessage, type RecordedEvent } from '@strata/core';
import { createProjectionRunner, defineProjection, type ProjectionRunner } from '../index.js';
import { MemoryCheckpoints } from '../../test/support/memory-checkpoints.js';
import { MemorySink, type MemoryTx } from '../../test/support/memory-sink.js';
import { appendMany } from '../../test/support/helpers.js';

let runners: ProjectionRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  runners = [];
});

function balances(sink: MemorySink, extra: Partial<Parameters<typeof defineProjection<MemoryTx>>[0]> = {}) {
  return defineProjection<MemoryTx>({
    name: 'balances',
    handles: ['Deposited'],
    sink,
    handle(event, tx) {
      const doc = (tx.get('balances', event.streamId) as { total: number; events: number } | undefined) ?? { total: 0, events: 0 };
      tx.put('balances', event.streamId, { total: doc.total + (event.data as { amount: number }).amount, events: doc.events + 1 });
    },
    ...extra,
  });
}

function run(store: EventStore, projections: Parameters<typeof createProjectionRunner>[0]['projections'], checkpoints = new MemoryCheckpoints()): ProjectionRunner {
  const runner = createProjectionRunner({ store, checkpoints, projections, metricsIntervalMs: 0 });
  runners.push(runner);
  return runner;
}

/** The expected balances: the sum of amounts per stream. */
function expected(count: number, streams = 5): Record<string, { total: number; events: number }> {
  const out: Record<string, { total: number; events: number }> = {};
  for (let i = 0; i < count; i++) {
    const doc = (out[`account-${i % streams}`] ??= { total: 0, events: 0 });
    doc.total += i + 1;
    doc.events++;
  }
  return out;
}

describe('async projections into a sink', () => {
  it('applies every handled event in batches, and waitFor gives read-your-writes', async () => {
    const store = createInMemoryEventStore();
    const sink = new MemorySink();
    await store.append('other-1', [{ type: 'Ignored', data: {} }]);
    const runner = run(store, [balances(sink)]);
    await runner.start();
    const last = await appendMany(store, 40);
    await runner.waitFor(last, { projection: 'balances' });
    expect(sink.read('balances', 'balances')).toEqual(expected(40));
    expect(sink.commits).toBeLessThan(40 + 1);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'balances', state: 'running', position: last, lagEvents: 0, generation: 0 });
  });

  it('publishes lag and applied counts on the projection diagnostics channel', async () => {
    const store = createInMemoryEventStore();
    const sink = new MemorySink();
    const messages: ProjectionMessage[] = [];
    const listener = (message: unknown): void => void messages.push(message as ProjectionMessage);
    subscribe(ChannelNames.projection, listener);
    try {
      const runner = run(store, [balances(sink)]);
      await runner.start();
      const last = await appendMany(store, 30);
      await runner.waitFor(last);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const ours = messages.filter((m) => m.projection === 'balances');
      expect(ours.reduce((sum, m) => sum + m.applied, 0)).toBe(30);
      expect(ours.at(-1)).toMatchObject({ position: last, lagEvents: 0 });
      expect(ours.every((m) => m.lagMs >= 0 && (m.durationMs ?? 0) >= 0)).toBe(true);
    } finally {
      unsubscribe(ChannelNames.projection, listener);
    }
  });

  it('applies each event exactly once across restarts, and a failed commit is retried without doubling', async () => {
    const store = createInMemoryEventStore();
    const sink = new MemorySink();
    let last = await appendMany(store, 15);
    const first = run(store, [balances(sink)]);
    await first.start();
    await first.waitFor(last);
    await first.stop();
    last = await appendMany(store, 10);
    sink.failNextCommits = 2;
    const second = run(store, [balances(sink, { retry: { attempts: 5, initialDelayMs: 1 } })]);
    await second.start();
    await second.waitFor(last);
    // 15 + 10 appends, each a new amount index restarting at 1: recompute from the log.
    const all: RecordedEvent[] = [];
    for await (const event of store.readAll()) all.push(event);
    const totals: Record<string, { total: number; events: number }> = {};
    for (const event of all) {
      const doc = (totals[event.streamId] ??= { total: 0, events: 0 });
      doc.total += (event.data as { amount: number }).amount;
      doc.events++;
    }
    expect(sink.read('balances', 'balances')).toEqual(totals);
    expect((await sink.status('balances')).checkpoint).toBe(last);
  });

  it('gives plain handlers the position and keeps their checkpoint in the checkpoint store', async () => {
    const store = createInMemoryEventStore();
    const checkpoints = new MemoryCheckpoints();
    const seen: number[] = [];
    const projection = defineProjection({ name: 'audit', handles: { categories: ['account'] }, handleBatch: (events, ctx) => void seen.push(...events.map((e) => e.position), ctx.position) });
    const runner = run(store, [projection], checkpoints);
    await runner.start();
    const last = await appendMany(store, 5);
    await runner.waitFor(last);
    expect(new Set(seen)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(checkpoints.saved.get('audit')).toBe(last);
  });

  it('parks an event whose handler keeps failing, goes on, and replays it on demand', async () => {
    const store = createInMemoryEventStore();
    const sink = new MemorySink();
    let broken = true;
    const runner = run(store, [
      balances(sink, {
        retry: { attempts: 2, initialDelayMs: 1 },
        handle(event, tx) {
          if (broken && (event.data as { amount: number }).amount === 3) throw new Error('bad amount');
          const doc = (tx.get('balances', event.streamId) as { total: number; events: number } | undefined) ?? { total: 0, events: 0 };
          tx.put('balances', event.streamId, { total: doc.total + (event.data as { amount: number }).amount, events: doc.events + 1 });
        },
      }),
    ]);
    await runner.start();
    const last = await appendMany(store, 6);
    await runner.waitFor(last);
    const letters = await runner.deadLetters('balances');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ projection: 'balances', position: 2, streamId: 'account-2', type: 'Deposited', attempts: 2, error: { message: 'bad amount' } });
    const withoutParked = expected(6);
    withoutParked['account-2'] = { total: 0, events: 0 };
    delete withoutParked['account-2'];
    expect(sink.read('balances', 'balances')).toEqual(withoutParked);
    broken = false;
    await runner.replayDeadLetter('balances', 2);
    expect(sink.read('balances', 'balances')).toEqual(expected(6));
    expect(await runner.deadLetters()).toEqual([]);
    expect((await sink.status('balances')).checkpoint).toBe(last);
  });

  it("stops on a failing handler with onError 'stop', without skipping the event", async () => {
    const store = createInMemoryEventStore();
    const sink = new MemorySink();
    const runner = run(store, [
      balances(sink, {
        onError: 'stop',
        retry: { attempts: 2, initialDelayMs: 1 },
        handle(event) {
          if ((event.data as { amount: number }).amount === 2) throw new Error('stop here');
        },
      }),
    ]);
    await runner.start();
    const last = await appendMany(store, 4);
    await expect(runner.waitFor(last)).rejects.toMatchObject({ code: 'PROJECTION_FAILED', details: { projection: 'balances', position: 1 } });
    const [status] = await runner.status();
    expect(status).toMatchObject({ state: 'failed', error: { code: 'PROJECTION_FAILED' } });
    expect((await sink.status('balances')).checkpoint).toBe(0);
    expect(await runner.deadLetters()).toEqual([]);
  });

  it('waitFor times out with PROJECTION_TIMEOUT when the projection cannot get there', async () => {
    const store = createInMemoryEventStore();
    const sink = new MemorySink();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runner = run(store, [balances(sink, { handle: () => gate })]);
    await runner.start();
    const last = await appendMany(store, 2);
    await expect(runner.waitFor(last, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'PROJECTION_TIMEOUT', details: { position: last } });
    release();
    await runner.waitFor(last);
  });
});

describe('blue/green rebuild', () => {
  it('serves the old generation while rebuilding, then promotes the new one atomically', async () => {
    const store = createInMemoryEventStore();
    const sink = new MemorySink();
    let version = 1;
    const gate: { hold?: Promise<void> } = {};
    const projection = defineProjection<MemoryTx>({
      name: 'summary',
      handles: ['Deposited'],
      sink,
      batch: { maxSize: 8 },
      async handleBatch(events, tx) {
        if (tx.generation > 0) await gate.hold;
        for (const event of events) {
          const doc = (tx.get('summary', event.streamId) as { events: number } | undefined) ?? { events: 0 };
          tx.put('summary', event.streamId, { events: doc.events + 1, version });
        }
      },
    });
    const runner = run(store, [projection]);
    await runner.start();
    let last = await appendMany(store, 20, { streams: 2 });
    await runner.waitFor(last);
    expect(sink.read('summary', 'summary')).toEqual({ 'account-0': { events: 10, version: 1 }, 'account-1': { events: 10, version: 1 } });

    version = 2;
    let release: () => void = () => undefined;
    gate.hold = new Promise<void>((resolve) => (release = resolve));
    const rebuilt = runner.rebuild('summary');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [during] = await runner.status();
    expect(during?.rebuilding).toMatchObject({ generation: 1 });
    // The live generation keeps serving and keeps applying live events.
    last = (await store.append('account-0', [{ type: 'Deposited', data: { amount: 1 } }])).position;
    await runner.waitFor(last);
    expect(sink.read('summary', 'summary')).toEqual({ 'account-0': { events: 11, version: 2 }, 'account-1': { events: 10, version: 1 } });
    release();
    await rebuilt;
    expect(sink.read('summary', 'summary')).toEqual({ 'account-0': { events: 11, version: 2 }, 'account-1': { events: 10, version: 2 } });
    const status = await sink.status('summary');
    expect(status).toEqual({ liveGeneration: 1, checkpoint: last });
    last = (await store.append('account-1', [{ type: 'Deposited', data: { amount: 1 } }])).position;
    await runner.waitFor(last);
    expect(sink.read('summary', 'summary')['account-1']).toEqual({ events: 11, version: 2 });
    expect((await runner.status())[0]).toMatchObject({ generation: 1, position: last });
  });
});

describe('a sink that lost writes of a generation being built', () => {
  it('fails the rebuild at once with SINK_WRITES_LOST, parks nothing, discards the generation and keeps the live one', async () => {
    const store = createInMemoryEventStore();
    const sink = new MemorySink();
    const runner = createProjectionRunner({
      store,
      checkpoints: new MemoryCheckpoints(),
      projections: [balances(sink, { retry: { attempts: 5, initialDelayMs: 1 } })],
      rebuildBatchSize: 4,
      metricsIntervalMs: 0,
    });
    runners.push(runner);
    await runner.start();
    let last = await appendMany(store, 20);
    await runner.waitFor(last);
    sink.loseBuildingWritesAfter = 2;
    const commits = sink.commits;
    await expect(runner.rebuild('balances')).rejects.toMatchObject({ code: 'SINK_WRITES_LOST' });
    // No retry and no parking: two batches of the new generation, then the failure.
    expect(sink.commits - commits).toBe(2);
    expect(await runner.deadLetters()).toEqual([]);
    expect(await sink.status('balances')).toEqual({ liveGeneration: 0, checkpoint: last });
    // The live generation goes on applying events.
    sink.loseBuildingWritesAfter = undefined;
    last = await appendMany(store, 5);
    await runner.waitFor(last);
    expect((await sink.status('balances')).checkpoint).toBe(last);
    const totals: Record<string, { total: number; events: number }> = {};
    for await (const event of store.readAll()) {
      const doc = (totals[event.streamId] ??= { total: 0, events: 0 });
      doc.total += (event.data as { amount: number }).amount;
      doc.events++;
    }
    expect(sink.read('balances', 'balances')).toEqual(totals);
  });
});

describe('options', () => {
  it('refuses bad options with INVALID_ARGUMENT naming the option', () => {
    const store = createInMemoryEventStore();
    const checkpoints = new MemoryCheckpoints();
    const ok = { name: 'p', handles: ['A'], handle: () => undefined };
    const cases: [unknown, string][] = [
      [{ ...ok, name: '' }, 'projection.name'],
      [{ ...ok, handles: [] }, 'projection.handles'],
      [{ ...ok, handle: undefined }, 'projection.handle'],
      [{ ...ok, handleBatch: () => undefined }, 'projection.handle'],
      [{ ...ok, mode: 'sync' }, 'projection.mode'],
      [{ ...ok, onError: 'ignore' }, 'projection.onError'],
      [{ ...ok, batch: { maxSize: 0 } }, 'projection.batch.maxSize'],
      [{ ...ok, retry: { attempts: 1.5 } }, 'projection.retry.attempts'],
      [{ ...ok, sink: {} }, 'projection.sink'],
      [{ ...ok, partitions: 0 }, 'projection.partitions'],
    ];
    for (const [definition, argument] of cases) {
      expect(() => defineProjection(definition as never), argument).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { argument } }));
    }
    const runnerCases: [unknown, string][] = [
      [{ checkpoints, projections: [ok] }, 'store'],
      [{ store, projections: [ok] }, 'checkpoints'],
      [{ store, checkpoints, projections: [] }, 'projections'],
      [{ store, checkpoints, projections: [ok, ok] }, 'projections[1].name'],
      [{ store, checkpoints, projections: [{ ...ok, mode: 'inline' }] }, "projections['p'].mode"],
      [{ store, checkpoints, projections: [ok], leases: { store: {} } }, 'leases.store'],
      [{ store, checkpoints, projections: [ok], rebuildBatchSize: -1 }, 'rebuildBatchSize'],
    ];
    for (const [options, argument] of runnerCases) {
      expect(() => createProjectionRunner(options as never), argument).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { argument } }));
    }
  });

  it('refuses bad waitFor and rebuild arguments', async () => {
    const store = createInMemoryEventStore();
    const runner = run(store, [{ name: 'p', handles: ['A'], handle: () => undefined }]);
    await runner.start();
    await expect(runner.waitFor(-5)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'position' } });
    await expect(runner.waitFor(1, { projection: 'nope' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'options.projection' } });
    await expect(runner.rebuild('p')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'name' } });
    await expect(runner.replayDeadLetter('p', 3)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument: 'position' } });
  });
});
