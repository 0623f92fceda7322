import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, defineAggregate } from '@strata/core';
import { executeCommand, type CommandContext, type CommandInput } from './execute-command.js';
import { StateCache } from './state-cache.js';

type Command = { type: 'add'; amount: number } | { type: 'peek' };
const counter = defineAggregate<{ total: number }, Command, { type: 'Added'; data: { amount: number } }>({
  name: 'counter',
  initialState: { total: 0 },
  snapshotEvery: 2,
  evolve: (state, event) => ({ total: state.total + event.data.amount }),
  decide: (command) => (command.type === 'add' ? { type: 'Added', data: { amount: command.amount } } : []),
});

function input(command: Command, generation: number, expectedVersion?: number): CommandInput {
  return { aggregate: counter, streamId: 'counter-1', generation, knownVersion: -1, command, expectedVersion, metadata: undefined, context: undefined };
}

describe('executeCommand', () => {
  it('reloads while a read shows less than the version known to be committed', async () => {
    const store = createInMemoryEventStore();
    await store.append('counter-1', [{ type: 'Added', data: { amount: 5 } }]);
    let staleReads = 2;
    const readStream = store.readStream.bind(store);
    // A read snapshot from before the commit, twice, as another thread's store instance may serve.
    const lagging = Object.assign(Object.create(store) as typeof store, {
      readStream: (streamId: string, options?: Parameters<typeof store.readStream>[1]) =>
        staleReads-- > 0 ? (async function* () {})() : readStream(streamId, options),
    });
    const context: CommandContext = { store: lagging, cache: new StateCache(10), maxRetries: 0, pipeline: undefined, snapshots: new Set() };
    const peeked = await executeCommand(context, { ...input({ type: 'peek' }, 1), knownVersion: 0 });
    expect(peeked.nextExpectedVersion).toBe(0);
    expect(staleReads).toBeLessThan(0);
  });

  it('uses cached state only under its generation, and retries on fresh state after a conflict', async () => {
    const store = createInMemoryEventStore();
    const context: CommandContext = { store, cache: new StateCache(10), maxRetries: 3, pipeline: undefined, snapshots: new Set() };
    await executeCommand(context, input({ type: 'add', amount: 1 }, 1));
    await store.append('counter-1', [{ type: 'Added', data: { amount: 10 } }], { expectedVersion: 0 });
    // Same generation: the hot state is used (a decision that appends nothing shows its version).
    expect((await executeCommand(context, input({ type: 'peek' }, 1))).nextExpectedVersion).toBe(0);
    // The stream changed owners in between: never trust the old entry.
    expect((await executeCommand(context, input({ type: 'peek' }, 2))).nextExpectedVersion).toBe(1);
    await store.append('counter-1', [{ type: 'Added', data: { amount: 100 } }], { expectedVersion: 1 });
    const retried = await executeCommand(context, input({ type: 'add', amount: 1 }, 2));
    expect(retried).toMatchObject({ nextExpectedVersion: 3, retries: 1 });
    // A caller's expected version is checked against fresh state, not a stale cache.
    await store.append('counter-1', [{ type: 'Added', data: { amount: 1 } }], { expectedVersion: 3 });
    expect((await executeCommand(context, input({ type: 'add', amount: 1 }, 2, 4))).nextExpectedVersion).toBe(5);
    await Promise.all(context.snapshots);
    expect(await store.snapshots.load('counter-1', 'counter', 1)).toMatchObject({ version: 5, state: { total: 114 } });
  });
});
