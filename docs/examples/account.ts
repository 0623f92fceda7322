import { defineAggregate } from '@strata/core';

export type AccountState = { status: 'new' | 'open' | 'closed'; owner: string; balance: number };

export type AccountEvent =
  | { type: 'AccountOpened'; data: { owner: string } }
  | { type: 'MoneyDeposited'; data: { amount: number } }
  | { type: 'MoneyWithdrawn'; data: { amount: number } }
  | { type: 'AccountClosed'; data: null };

export type AccountCommand =
  | { kind: 'open'; owner: string }
  | { kind: 'deposit'; amount: number }
  | { kind: 'withdraw'; amount: number }
  | { kind: 'close' };

/** The account decider: `evolve` folds events into state, `decide` turns a command into events or throws. */
export const account = defineAggregate<AccountState, AccountCommand, AccountEvent>({
  name: 'account',
  initialState: { status: 'new', owner: '', balance: 0 },
  evolve(state, event) {
    switch (event.type) {
      case 'AccountOpened':
        return { ...state, status: 'open', owner: event.data.owner };
      case 'MoneyDeposited':
        return { ...state, balance: state.balance + event.data.amount };
      case 'MoneyWithdrawn':
        return { ...state, balance: state.balance - event.data.amount };
      case 'AccountClosed':
        return { ...state, status: 'closed' };
    }
  },
  decide(command, state) {
    if (command.kind === 'open') {
      if (state.status !== 'new') throw new Error('account already opened');
      return { type: 'AccountOpened', data: { owner: command.owner } };
    }
    if (state.status !== 'open') throw new Error(`account is ${state.status}`);
    switch (command.kind) {
      case 'deposit':
        if (!(command.amount > 0)) throw new Error('amount must be positive');
        return { type: 'MoneyDeposited', data: { amount: command.amount } };
      case 'withdraw':
        if (command.amount > state.balance) throw new Error('insufficient funds');
        return { type: 'MoneyWithdrawn', data: { amount: command.amount } };
      case 'close':
        return state.balance === 0
          ? { type: 'AccountClosed', data: null }
          : [
              { type: 'MoneyWithdrawn', data: { amount: state.balance } },
              { type: 'AccountClosed', data: null },
            ];
    }
  },
  snapshotEvery: 100,
});
