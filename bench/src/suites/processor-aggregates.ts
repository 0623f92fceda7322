import { defineAggregate } from '@strata/core';

/** Loaded by the processor's worker threads by URL (the compiled `.js` next to this file). */

type Counter = { total: number; count: number };
type Add = { amount: number; spinUs?: number };
type Added = { type: 'Added'; data: { amount: number } };

function spin(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    // A CPU-heavy decision: validation, pricing, rules.
  }
}

/** A trivial decider: one event per command. Snapshots every 100 events. */
export const benchCounter = defineAggregate<Counter, Add, Added>({
  name: 'benchCounter',
  initialState: { total: 0, count: 0 },
  snapshotEvery: 100,
  evolve: (state, event) => ({ total: state.total + event.data.amount, count: state.count + 1 }),
  decide: (command) => {
    if (command.spinUs !== undefined) spin(command.spinUs);
    return { type: 'Added', data: { amount: command.amount } };
  },
});

/** The same decider with a snapshot every 10 events: a reload reads a snapshot and at most 9 events. */
export const benchSnapshotted = defineAggregate<Counter, Add, Added>({
  name: 'benchSnapshotted',
  initialState: { total: 0, count: 0 },
  snapshotEvery: 10,
  evolve: (state, event) => ({ total: state.total + event.data.amount, count: state.count + 1 }),
  decide: (command) => ({ type: 'Added', data: { amount: command.amount } }),
});
