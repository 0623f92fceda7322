import { describe, it } from 'vitest';
import { deciderSpec } from '@strata/testing';
import { transfer, type TransferEvent } from './transfer.js';

const requested: TransferEvent = { type: 'TransferRequested', data: { from: 'a', to: 'b', amount: 10 } };
const creditFailed: TransferEvent = { type: 'TransferCreditFailed', data: { reason: 'ACCOUNT_FROZEN' } };
const spec = () => deciderSpec(transfer);

describe('transfer decider', () => {
  it('is requested once per id; the same request again is a no-op, another one a conflict', async () => {
    await spec().when({ type: 'Request', from: 'a', to: 'b', amount: 10 }).then(requested);
    await spec().given([requested]).when({ type: 'Request', from: 'a', to: 'b', amount: 10 }).thenNothing();
    await spec().given([requested]).when({ type: 'Request', from: 'a', to: 'b', amount: 11 }).thenThrows('COMMAND_REJECTED');
  });

  it('validates the request', async () => {
    await spec().when({ type: 'Request', from: 'a', to: 'a', amount: 10 }).thenThrows('INVALID_ARGUMENT');
    await spec().when({ type: 'Request', from: 'a', to: 'b', amount: 0 }).thenThrows('INVALID_ARGUMENT');
    await spec().when({ type: 'Request', from: "a'; --", to: 'b', amount: 1 }).thenThrows('INVALID_ARGUMENT');
  });

  it('completes once: requested → completed', async () => {
    await spec().given([requested]).when({ type: 'Complete' }).then({ type: 'TransferCompleted', data: {} });
    await spec()
      .given([requested, { type: 'TransferCompleted', data: {} }])
      .when({ type: 'Complete' })
      .thenState((s) => {
        if (s.status !== 'completed') throw new Error(s.status);
      });
  });

  it('is rejected when the debit is refused, and can be neither completed nor compensated afterwards', async () => {
    const rejected: TransferEvent = { type: 'TransferRejected', data: { reason: 'INSUFFICIENT_FUNDS' } };
    await spec().given([requested]).when({ type: 'Reject', reason: 'INSUFFICIENT_FUNDS' }).then(rejected);
    await spec().given([requested, rejected]).when({ type: 'Reject', reason: 'INSUFFICIENT_FUNDS' }).thenNothing();
    await spec().given([requested, rejected]).when({ type: 'Complete' }).thenThrows('COMMAND_REJECTED');
    await spec().given([requested, rejected]).when({ type: 'FailCredit', reason: 'ACCOUNT_FROZEN' }).thenThrows('COMMAND_REJECTED');
  });

  it('compensates a refused credit: requested → compensating → compensated, never completed', async () => {
    await spec().given([requested]).when({ type: 'FailCredit', reason: 'ACCOUNT_FROZEN' }).then(creditFailed);
    await spec().given([requested, creditFailed]).when({ type: 'Complete' }).thenThrows('COMMAND_REJECTED');
    await spec().given([requested, creditFailed]).when({ type: 'RecordRefund' }).then({ type: 'TransferCompensated', data: {} });
    await spec().given([requested, creditFailed, { type: 'TransferCompensated', data: {} }]).when({ type: 'RecordRefund' }).thenNothing();
    await spec().given([requested]).when({ type: 'RecordRefund' }).thenThrows('COMMAND_REJECTED');
  });

  it('refuses steps of a transfer that was never requested', async () => {
    await spec().when({ type: 'Complete' }).thenThrows('COMMAND_REJECTED');
  });
});
