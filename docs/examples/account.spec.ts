import { describe, it } from 'vitest';
import { deciderSpec } from '@strata/testing';
import { account } from './account.js';

const opened = { type: 'AccountOpened', data: { owner: 'ada' } } as const;

describe('account', () => {
  it('takes deposits once opened', () =>
    deciderSpec(account).given([opened]).when({ kind: 'deposit', amount: 10 }).then([{ type: 'MoneyDeposited', data: { amount: 10 } }]));

  it('refuses an overdraft', () =>
    deciderSpec(account)
      .given([opened, { type: 'MoneyDeposited', data: { amount: 10 } }])
      .when({ kind: 'withdraw', amount: 11 })
      .thenThrows(/insufficient funds/));

  it('pays out the balance when closing', () =>
    deciderSpec(account)
      .given([opened, { type: 'MoneyDeposited', data: { amount: 10 } }])
      .when({ kind: 'close' })
      .then([
        { type: 'MoneyWithdrawn', data: { amount: 10 } },
        { type: 'AccountClosed', data: null },
      ]));

  it('folds the new events into the state', () =>
    deciderSpec(account)
      .given([opened, { type: 'MoneyDeposited', data: { amount: 10 } }])
      .when({ kind: 'withdraw', amount: 4 })
      .thenState({ status: 'open', owner: 'ada', balance: 6 }));
});
