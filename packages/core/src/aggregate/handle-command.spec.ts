import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { defineAggregate } from './define-aggregate.js';
import { handleCommand } from './handle-command.js';
import { loadAggregate } from './load-aggregate.js';
import { isStrataError } from '../errors/strata-error.js';
import type { EventStore } from '../store/event-store.js';

type CounterEvent = { type: 'Added'; data: { by: number } } | { type: 'Reset'; data: null };
type CounterCommand = { kind: 'add'; by: number } | { kind: 'reset' } | { kind: 'noop' } | { kind: 'fail' };

const counter = defineAggregate<{ total: number; adds: number }, CounterCommand, CounterEvent>({
  name: 'counter',
  initialState: { total: 0, adds: 0 },
  evolve(state, event) {
    switch (event.type) {
      case 'Added':
        return { total: state.total + event.data.by, adds: state.adds + 1 };
      case 'Reset':
        return { total: 0, adds: state.adds };
    }
  },
  decide(command, state) {
    switch (command.kind) {
      case 'add':
        if (state.total + command.by > 1000) throw new RangeError('limit');
        return { type: 'Added', data: { by: command.by } };
      case 'reset':
        return [{ type: 'Reset', data: null }];
      case 'noop':
        return [];
      case 'fail':
        throw new Error('rejected by decider');
    }
  },
  snapshotEvery: 3,
});

/** A store that runs `before` ahead of every append: another writer racing the command. */
function racingStore(store: EventStore, before: (stream: string) => Promise<void>): EventStore {
  return {
    append: async (stream, events, options) => {
      await before(stream);
      return store.append(stream, events, options);
    },
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribe: (options) => store.subscribe(options),
    streamInfo: (stream) => store.streamInfo(stream),
    setStreamMetadata: (stream, metadata) => store.setStreamMetadata(stream, metadata),
    deleteStream: (stream, options) => store.deleteStream(stream, options),
    headPosition: () => store.headPosition(),
    snapshots: store.snapshots,
    close: () => store.close(),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isStrataError(error) ? error.code : (error as Error).message;
  }
}

describe('handleCommand', () => {
  it('decides, appends with the loaded version, and returns the new state', async () => {
    const store = createInMemoryEventStore();
    const first = await handleCommand(store, counter, 'counter-1', { kind: 'add', by: 5 });
    expect(first).toMatchObject({ nextExpectedVersion: 0, position: 0, retries: 0, state: { total: 5, adds: 1 } });
    const second = await handleCommand(store, counter, 'counter-1', { kind: 'add', by: 2 }, { metadata: { user: 'ann' } });
    expect(second.state).toEqual({ total: 7, adds: 2 });
    const events = [];
    for await (const event of store.readStream('counter-1')) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['Added', 'Added']);
    expect(events[1]!.metadata).toEqual({ user: 'ann' });
  });

  it('appends nothing when the decider decides nothing', async () => {
    const store = createInMemoryEventStore();
    const result = await handleCommand(store, counter, 'counter-1', { kind: 'noop' });
    expect(result).toMatchObject({ events: [], nextExpectedVersion: -1, position: -1 });
    expect(await store.headPosition()).toBe(-1);
  });

  it('propagates decider errors and stores nothing', async () => {
    const store = createInMemoryEventStore();
    expect(await codeOf(handleCommand(store, counter, 'counter-1', { kind: 'fail' }))).toBe('rejected by decider');
    expect(await store.streamInfo('counter-1')).toBeUndefined();
  });

  it('retries with fresh state when another writer wins the race', async () => {
    const store = createInMemoryEventStore();
    let interfered = false;
    const racing = racingStore(store, async (stream) => {
      if (!interfered) {
        interfered = true;
        await store.append(stream, [{ type: 'Added', data: { by: 100 } }]);
      }
    });
    const result = await handleCommand(racing, counter, 'counter-1', { kind: 'add', by: 1 });
    expect(result.retries).toBe(1);
    expect(result.state.total).toBe(101);
    expect(result.nextExpectedVersion).toBe(1);
  });

  it('gives up after maxRetries with WRONG_EXPECTED_VERSION', async () => {
    const store = createInMemoryEventStore();
    const racing = racingStore(store, async (stream) => {
      await store.append(stream, [{ type: 'Added', data: { by: 1 } }]);
    });
    expect(await codeOf(handleCommand(racing, counter, 'counter-1', { kind: 'add', by: 1 }, { maxRetries: 2 }))).toBe(
      'WRONG_EXPECTED_VERSION',
    );
    expect((await store.streamInfo('counter-1'))?.version).toBe(2);
  });

  it('enforces an explicit expected version without retrying', async () => {
    const store = createInMemoryEventStore();
    await handleCommand(store, counter, 'counter-1', { kind: 'add', by: 1 });
    expect(await codeOf(handleCommand(store, counter, 'counter-1', { kind: 'add', by: 1 }, { expectedVersion: 5 }))).toBe(
      'WRONG_EXPECTED_VERSION',
    );
    const ok = await handleCommand(store, counter, 'counter-1', { kind: 'add', by: 1 }, { expectedVersion: 0 });
    expect(ok.nextExpectedVersion).toBe(1);
  });

  it('writes snapshots at snapshotEvery boundaries, and snapshot + tail equals a full replay', async () => {
    const store = createInMemoryEventStore();
    for (let i = 1; i <= 7; i++) await handleCommand(store, counter, 'counter-1', { kind: 'add', by: i });
    const snapshot = await store.snapshots.load('counter-1', 'counter', 1);
    expect(snapshot?.version).toBe(5);
    expect(snapshot?.state).toEqual({ total: 21, adds: 6 });
    const loaded = await loadAggregate(store, counter, 'counter-1');
    expect(loaded).toMatchObject({ version: 6, snapshotVersion: 5, eventsRead: 1, state: { total: 28, adds: 7 } });
    const replay = await loadAggregate(store, { ...counter, snapshotEvery: undefined }, 'counter-1');
    expect(replay.state).toEqual(loaded.state);
  });

  it('ignores snapshots of another state schema version', async () => {
    const store = createInMemoryEventStore();
    for (let i = 1; i <= 3; i++) await handleCommand(store, counter, 'counter-1', { kind: 'add', by: i });
    const v2 = defineAggregate({ ...counter, stateSchemaVersion: 2, initialState: () => ({ total: 0, adds: 0 }) });
    const loaded = await loadAggregate(store, v2, 'counter-1');
    expect(loaded.snapshotVersion).toBeUndefined();
    expect(loaded.state).toEqual({ total: 6, adds: 3 });
  });

  it('validates its arguments', async () => {
    const store = createInMemoryEventStore();
    expect(await codeOf(handleCommand(store, {} as never, 'counter-1', { kind: 'noop' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(handleCommand(store, counter, 'bad', { kind: 'noop' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(handleCommand(store, counter, 'counter-1', { kind: 'noop' }, { maxRetries: -1 }))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('defineAggregate', () => {
  it.each([
    ['name', { name: '1x' }],
    ['evolve', { evolve: 1 }],
    ['decide', { decide: null }],
    ['snapshotEvery', { snapshotEvery: 0 }],
    ['stateSchemaVersion', { stateSchemaVersion: 1.5 }],
  ])('rejects a bad %s naming the field', (field, patch) => {
    try {
      defineAggregate({ ...counter, initialState: {}, ...(patch as object) } as never);
      expect.unreachable();
    } catch (error) {
      expect(isStrataError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as { details: { argument: string } }).details.argument).toBe(`aggregate.${field}`);
    }
  });

  it('gives each load its own copy of a value initial state', () => {
    const agg = defineAggregate({ name: 'x', initialState: { list: [] as number[] }, evolve: (s) => s, decide: () => [] });
    agg.initialState().list.push(1);
    expect(agg.initialState().list).toEqual([]);
  });
});
