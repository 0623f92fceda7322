import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryEventStore, handleCommand, isCommandPipeline, type Aggregate, type CommandPipeline, type EventStore } from '@strata/core';
import { createLmdbEventStore, lmdbStoreDescriptor, type LmdbEventStore } from '@strata/store-lmdb';
import { createProcessor, type Processor } from '../dist/index.js';
import { AGGREGATES, codeOf, readAll, tempDir } from './support/helpers.js';

const PIPELINE = new URL('./fixtures/pipeline.mjs', import.meta.url);

const dir = tempDir('pipeline');
let threads: Processor;
let inline: Processor;
let threadStore: LmdbEventStore;
let inlineStore: EventStore;
let referenceStore: EventStore;
let counter: Aggregate;
let pipeline: CommandPipeline;

beforeAll(async () => {
  counter = ((await import(AGGREGATES.href)) as { counter: Aggregate }).counter;
  pipeline = ((await import(PIPELINE.href)) as { pipeline: CommandPipeline }).pipeline;
  const path = join(dir.path, 'threads');
  threads = await createProcessor({ store: lmdbStoreDescriptor({ path, durability: 'none' }), aggregates: AGGREGATES, pipeline: PIPELINE, workers: 2 });
  threadStore = await createLmdbEventStore({ path, durability: 'none' });
  inlineStore = createInMemoryEventStore();
  inline = await createProcessor({ store: inlineStore, aggregates: [counter], pipeline, workers: 0 });
  referenceStore = createInMemoryEventStore();
});

afterAll(async () => {
  await threads?.close();
  await inline?.close();
  await threadStore?.close();
  dir.remove();
});

/** What a stored event is, apart from where and when it was stored. */
const content = (events: { type: string; data: unknown; metadata: unknown; version: number }[]) =>
  events.map(({ type, data, metadata, version }) => ({ type, data, metadata, version }));

describe('the command pipeline in the processor', () => {
  it('is loaded from its module URL by every worker', () => {
    expect(isCommandPipeline(pipeline)).toBe(true);
  });

  it('gives the same events in worker threads, in the calling thread and in handleCommand', async () => {
    const commands = Array.from({ length: 40 }, (_, i) => ({
      stream: `counter-${i % 7}`,
      command: { type: 'add', amount: i, seq: i, user: i % 3 },
      context: { commandId: `cmd-${i}`, correlationId: `req-${i % 5}` },
    }));
    const viaThreads = await Promise.all(commands.map(({ stream, command, context }) => threads.execute('counter', stream, command, { context, metadata: { source: 'test' } })));
    const viaInline = await Promise.all(commands.map(({ stream, command, context }) => inline.execute('counter', stream, command, { context, metadata: { source: 'test' } })));
    const viaHandle = [];
    for (const { stream, command, context } of commands) {
      viaHandle.push(await handleCommand(referenceStore, counter, stream, command, { pipeline, context, metadata: { source: 'test' } }));
    }
    expect(viaThreads.map((result) => result.events)).toEqual(viaHandle.map((result) => result.events));
    expect(viaInline.map((result) => result.events)).toEqual(viaHandle.map((result) => result.events));
    expect(viaThreads[7]!.events[0]).toMatchObject({
      metadata: { source: 'test', user: 'user-1', correlationId: 'req-2', causationId: 'cmd-7', tenant: 'acme', index: 0 },
    });
    for (let s = 0; s < 7; s++) {
      const expected = content(await readAll(referenceStore, `counter-${s}`));
      expect(content(await readAll(threadStore, `counter-${s}`))).toEqual(expected);
      expect(content(await readAll(inlineStore, `counter-${s}`))).toEqual(expected);
    }
  });

  it('stores nothing for a rejected command or a failed enricher, in threads and in the calling thread', async () => {
    for (const processor of [threads, inline]) {
      const store = processor === threads ? threadStore : inlineStore;
      const before = await store.headPosition();
      expect(await codeOf(processor.execute('counter', 'counter-x', { type: 'add', amount: 1, forbidden: true }))).toBe('COMMAND_REJECTED');
      const failed = processor.execute('counter', 'counter-x', { type: 'add', amount: 1, failEnrich: true });
      expect(await codeOf(failed)).toBeDefined();
      await expect(failed).rejects.toThrow(/tenant lookup failed/);
      expect(await store.headPosition()).toBe(before);
      expect(await store.streamInfo('counter-x')).toBeUndefined();
    }
  });

  it('answers a short-circuit with the middleware outcome, appending nothing', async () => {
    for (const processor of [threads, inline]) {
      const result = await processor.execute('counter', 'counter-y', { type: 'add', amount: 1, cached: true });
      expect(result).toEqual({ events: [], nextExpectedVersion: 41, position: -1 });
    }
    expect(await threadStore.streamInfo('counter-y')).toBeUndefined();
  });

  it('refuses a module without a pipeline and a pipeline object for threads', async () => {
    expect(await codeOf(createProcessor({ store: inlineStore, aggregates: [counter], pipeline: AGGREGATES, workers: 0 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(createProcessor({ store: lmdbStoreDescriptor({ path: join(dir.path, 'x') }), aggregates: AGGREGATES, pipeline, workers: 1 }))).toBe('INVALID_ARGUMENT');
  });
});
