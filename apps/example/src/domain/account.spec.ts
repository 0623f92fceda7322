import { describe, it } from 'vitest';
import { deciderSpec } from '@strata/testing';
import { account, type AccountEvent } from './account.js';

const opened: AccountEvent = { type: 'AccountOpened', data: { owner: 'ada' } };
const funded: AccountEvent[] = [opened, { type: 'MoneyDeposited', data: { amount: 100, requestId: 'r1' } }];
const spec = () => deciderSpec(account);

describe('account decider', () => {
  it('opens once; opening again for the same owner is a no-op, for another owner a rejection', async () => {
    await spec().when({ type: 'Open', owner: 'ada' }).then(opened);
    await spec().given([opened]).when({ type: 'Open', owner: 'ada' }).thenNothing();
    await spec().given([opened]).when({ type: 'Open', owner: 'bob' }).thenThrows('COMMAND_REJECTED');
    await spec().when({ type: 'Open', owner: '' }).thenThrows('INVALID_ARGUMENT');
  });

  it('deposits and withdraws integer minor units, never below zero', async () => {
    await spec().given([opened]).when({ type: 'Deposit', amount: 100, requestId: 'r1' }).then({ type: 'MoneyDeposited', data: { amount: 100, requestId: 'r1' } });
    await spec().given(funded).when({ type: 'Withdraw', amount: 100, requestId: 'r2' }).thenState((s) => {
      if (s.balance !== 0) throw new Error(`balance ${s.balance}`);
    });
    await spec().given(funded).when({ type: 'Withdraw', amount: 101, requestId: 'r2' }).thenThrows('COMMAND_REJECTED');
    for (const amount of [0, -1, 1.5, Number.NaN, 2 ** 60]) {
      await spec().given(funded).when({ type: 'Deposit', amount, requestId: 'r3' }).thenThrows('INVALID_ARGUMENT');
    }
  });

  it('applies a request id once', async () => {
    await spec().given(funded).when({ type: 'Deposit', amount: 100, requestId: 'r1' }).thenNothing();
  });

  it('refuses money movements on an account that is not open', async () => {
    await spec().when({ type: 'Deposit', amount: 1, requestId: 'r' }).thenThrows('COMMAND_REJECTED');
    const frozen: AccountEvent[] = [...funded, { type: 'AccountFrozen', data: {} }];
    await spec().given(frozen).when({ type: 'Withdraw', amount: 1, requestId: 'r2' }).thenThrows('COMMAND_REJECTED');
    await spec().given(frozen).when({ type: 'Freeze' }).thenNothing();
    await spec().given(frozen).when({ type: 'Unfreeze' }).then({ type: 'AccountUnfrozen', data: {} });
  });

  it('closes only at a zero balance', async () => {
    await spec().given(funded).when({ type: 'Close' }).thenThrows('COMMAND_REJECTED');
    await spec().given([opened]).when({ type: 'Close' }).then({ type: 'AccountClosed', data: {} });
    await spec().given([opened, { type: 'AccountClosed', data: {} }]).when({ type: 'Deposit', amount: 1, requestId: 'r' }).thenThrows('COMMAND_REJECTED');
  });

  it('records a refused transfer debit as an event, and refuses it again on replay', async () => {
    const debit = { type: 'DebitForTransfer', transferId: 't1', amount: 500, to: 'b' } as const;
    const refused: AccountEvent = { type: 'TransferDebitRejected', data: { transferId: 't1', amount: 500, reason: 'INSUFFICIENT_FUNDS' } };
    await spec().given(funded).when(debit).then(refused);
    await spec().given([...funded, refused]).when(debit).thenThrows('COMMAND_REJECTED');
    await spec().given([...funded, { type: 'MoneyDeposited', data: { amount: 1000, requestId: 'r9' } }, refused]).when(debit).thenThrows('COMMAND_REJECTED');
  });

  it('debits, credits and refunds a transfer once each', async () => {
    const debited: AccountEvent = { type: 'TransferDebited', data: { transferId: 't1', amount: 60, to: 'b' } };
    await spec().given(funded).when({ type: 'DebitForTransfer', transferId: 't1', amount: 60, to: 'b' }).then(debited);
    await spec().given([...funded, debited]).when({ type: 'DebitForTransfer', transferId: 't1', amount: 60, to: 'b' }).thenNothing();
    await spec().given([...funded, debited]).when({ type: 'RefundTransfer', transferId: 't1', amount: 60 }).then({ type: 'TransferRefunded', data: { transferId: 't1', amount: 60 } });
    await spec().given(funded).when({ type: 'RefundTransfer', transferId: 't1', amount: 60 }).thenThrows('COMMAND_REJECTED');
    const credited: AccountEvent = { type: 'TransferCredited', data: { transferId: 't2', amount: 5, from: 'c' } };
    await spec().given([opened]).when({ type: 'CreditForTransfer', transferId: 't2', amount: 5, from: 'c' }).then(credited);
    await spec().given([opened, credited]).when({ type: 'CreditForTransfer', transferId: 't2', amount: 5, from: 'c' }).thenNothing();
    await spec()
      .given([opened, { type: 'AccountFrozen', data: {} }])
      .when({ type: 'CreditForTransfer', transferId: 't3', amount: 5, from: 'c' })
      .then({ type: 'TransferCreditRejected', data: { transferId: 't3', amount: 5, reason: 'ACCOUNT_FROZEN' } });
  });

  it('remembers steps beyond the small level of its memory', async () => {
    const many: AccountEvent[] = [opened];
    for (let i = 0; i < 200; i++) many.push({ type: 'MoneyDeposited', data: { amount: 1, requestId: `q${i}` } });
    await spec().given(many).when({ type: 'Deposit', amount: 1, requestId: 'q3' }).thenNothing();
    await spec().given(many).when({ type: 'Deposit', amount: 1, requestId: 'q199' }).thenNothing();
    await spec().given(many).when({ type: 'Withdraw', amount: 200, requestId: 'w' }).then({ type: 'MoneyWithdrawn', data: { amount: 200, requestId: 'w' } });
  });
});
