import { describe, expect, it } from 'vitest';
import { defineAggregate, isStrataError, StrataError, type RecordedEvent } from '@strata/core';
import { deciderSpec } from './decider-spec.js';

type State = { open: boolean; balance: number; seen: number[] };
type Event =
  | { type: 'Opened'; data: { owner: string } }
  | { type: 'Deposited'; data: { amount: number } }
  | { type: 'Withdrawn'; data: { amount: number } };
type Command = { type: 'Open'; owner: string } | { type: 'Deposit'; amount: number } | { type: 'Withdraw'; amount: number } | { type: 'Noop' };

class InsufficientFunds extends Error {
  override name = 'InsufficientFunds';
}

const account = defineAggregate<State, Command, Event>({
  name: 'account',
  initialState: { open: false, balance: 0, seen: [] },
  evolve(state, event) {
    const seen = [...state.seen, (event as unknown as RecordedEvent).version];
    switch (event.type) {
      case 'Opened':
        return { ...state, open: true, seen };
      case 'Deposited':
        return { ...state, balance: state.balance + event.data.amount, seen };
      case 'Withdrawn':
        return { ...state, balance: state.balance - event.data.amount, seen };
    }
  },
  decide(command, state) {
    if (command.type === 'Noop') return [];
    if (command.type === 'Open') {
      if (state.open) throw new StrataError('COMMAND_REJECTED', 'already open');
      return { type: 'Opened', data: { owner: command.owner } };
    }
    if (!state.open) throw new StrataError('COMMAND_REJECTED', 'not open');
    if (command.type === 'Deposit') {
      if (command.amount <= 0) throw new RangeError('amount must be positive');
      return { type: 'Deposited', data: { amount: command.amount }, metadata: { source: 'spec' } };
    }
    if (command.amount > state.balance) throw new InsufficientFunds(`balance ${state.balance}`);
    return [{ type: 'Withdrawn', data: { amount: command.amount } }];
  },
});

const asyncAccount = defineAggregate<State, Command, Event>({
  name: 'asyncAccount',
  initialState: { open: false, balance: 0, seen: [] },
  evolve: account.evolve,
  decide: async (command, state) => account.decide(command, state),
});

const opened = [{ type: 'Opened' as const, data: { owner: 'ann' } }];

describe('deciderSpec', () => {
  it('passes when the decided events match, comparing optional fields only when given', async () => {
    await deciderSpec(account).given(opened).when({ type: 'Deposit', amount: 5 }).then([{ type: 'Deposited', data: { amount: 5 } }]);
    await deciderSpec(account)
      .given(opened)
      .when({ type: 'Deposit', amount: 5 })
      .then({ type: 'Deposited', data: { amount: 5 }, metadata: { source: 'spec' } });
    await deciderSpec(account).when({ type: 'Open', owner: 'bo' }).then([{ type: 'Opened', data: { owner: 'bo' } }]);
  });

  it('fails synchronously with a diff for a synchronous decider', () => {
    const spec = deciderSpec(account).given(opened).when({ type: 'Deposit', amount: 5 });
    expect(() => spec.then([{ type: 'Deposited', data: { amount: 6 } }])).toThrow(/events decided by decide/);
    expect(() => spec.then({ type: 'Deposited', data: { amount: 5 }, metadata: { source: 'other' } })).toThrow(/events decided/);
    expect(() => spec.then([])).toThrow(/events decided/);
  });

  it('rejects for an async decider', async () => {
    const spec = deciderSpec(asyncAccount).given(opened).when({ type: 'Deposit', amount: 5 });
    await spec.then([{ type: 'Deposited', data: { amount: 5 } }]);
    await expect(spec.then([{ type: 'Deposited', data: { amount: 1 } }])).rejects.toThrow(/events decided/);
    await spec.thenState({ open: true, balance: 5, seen: [0, 1] });
    await deciderSpec(asyncAccount).when({ type: 'Deposit', amount: 5 }).thenThrows('COMMAND_REJECTED');
  });

  it('folds given events in order with versions from 0, and calls to given accumulate', async () => {
    await deciderSpec(account)
      .given(opened)
      .given([{ type: 'Deposited', data: { amount: 10 } }, { type: 'Withdrawn', data: { amount: 3 } }])
      .when({ type: 'Deposit', amount: 1 })
      .thenState({ open: true, balance: 8, seen: [0, 1, 2, 3] });
  });

  it('asserts state with a callback', async () => {
    let seen: State | undefined;
    await deciderSpec(account)
      .given(opened)
      .when({ type: 'Noop' })
      .thenState((state) => {
        seen = state;
      });
    expect(seen).toEqual({ open: true, balance: 0, seen: [0] });
  });

  it('asserts that nothing is decided', async () => {
    await deciderSpec(account).given(opened).when({ type: 'Noop' }).thenNothing();
    expect(() => deciderSpec(account).given(opened).when({ type: 'Deposit', amount: 1 }).thenNothing()).toThrow(/should decide no events/);
  });

  it('matches thrown errors by code, class, message pattern and predicate', async () => {
    const overdraw = deciderSpec(account).given(opened).when({ type: 'Withdraw', amount: 5 });
    await overdraw.thenThrows();
    await overdraw.thenThrows(InsufficientFunds);
    await overdraw.thenThrows(Error);
    await overdraw.thenThrows(/balance 0/);
    await overdraw.thenThrows((error) => error instanceof InsufficientFunds && error.message === 'balance 0');
    await deciderSpec(account).when({ type: 'Deposit', amount: 1 }).thenThrows('COMMAND_REJECTED');
    await deciderSpec(account).given(opened).when({ type: 'Deposit', amount: -1 }).thenThrows(RangeError);
  });

  it('fails when the error does not match, or when nothing is thrown', () => {
    const overdraw = deciderSpec(account).given(opened).when({ type: 'Withdraw', amount: 5 });
    expect(() => overdraw.thenThrows('COMMAND_REJECTED')).toThrow(/code 'COMMAND_REJECTED', but it threw InsufficientFunds: balance 0/);
    expect(() => overdraw.thenThrows(RangeError)).toThrow(/an instance of RangeError/);
    expect(() => overdraw.thenThrows(/other/)).toThrow(/matches \/other\//);
    expect(() => overdraw.thenThrows(() => false)).toThrow(/satisfying/);
    expect(() => overdraw.thenThrows((() => undefined) as unknown as () => boolean)).toThrow(TypeError);
    const fine = deciderSpec(account).given(opened).when({ type: 'Deposit', amount: 1 });
    expect(() => fine.thenThrows()).toThrow(/to throw an error, but it decided \[\{"type":"Deposited"/);
  });

  it('fails an events or state assertion when decide throws, naming the error', () => {
    const rejected = deciderSpec(account).when({ type: 'Deposit', amount: 1 });
    expect(() => rejected.then([])).toThrow(/but it threw StrataError \[COMMAND_REJECTED\]: not open/);
    expect(() => rejected.thenState({ open: false, balance: 0, seen: [] })).toThrow(/COMMAND_REJECTED/);
  });

  it('fails when decide mutates the state it was given', () => {
    const mutating = defineAggregate<{ n: number }, 'go', { type: 'Went'; data: null }>({
      name: 'mutating',
      initialState: { n: 0 },
      evolve: (state) => state,
      decide(_command, state) {
        state.n++;
        return { type: 'Went', data: null };
      },
    });
    expect(() => deciderSpec(mutating).when('go').then({ type: 'Went', data: null })).toThrow(/mutated the state/);
  });

  it('cannot be awaited by mistake', async () => {
    const when = deciderSpec(account).when({ type: 'Noop' }) as unknown as PromiseLike<unknown>;
    await expect(Promise.resolve().then(() => when)).rejects.toThrow(/not awaitable/);
  });

  it('refuses values that are not aggregates and malformed given events (INVALID_ARGUMENT)', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isStrataError(error) ? error.code : 'OTHER';
      }
      return undefined;
    };
    expect(code(() => deciderSpec({ name: 'x' } as never))).toBe('INVALID_ARGUMENT');
    expect(code(() => deciderSpec(account).given('Opened' as never))).toBe('INVALID_ARGUMENT');
    expect(code(() => deciderSpec(account).given([{ data: {} }] as never))).toBe('INVALID_ARGUMENT');
  });
});
