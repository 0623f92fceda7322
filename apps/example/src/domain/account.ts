import { defineAggregate, InvalidArgumentError } from '@strata/core';
import { rejection, type RejectionReason } from './bank-rejection.js';
import { assertAmount, assertId } from './money.js';
import { appliedOutcome, noSteps, withStep, type AppliedSteps } from './applied-steps.js';

/** Life cycle of an account. `none` until it is opened. */
export type AccountStatus = 'none' | 'open' | 'frozen' | 'closed';

/**
 * An account's state. `applied` remembers every request id and transfer step the account has
 * seen, with its outcome, so a command sent again (a retried HTTP request, a transfer resumed
 * after a crash) is recognised and never applied twice.
 */
export type AccountState = {
  status: AccountStatus;
  owner: string;
  /** In minor units; never negative. */
  balance: number;
  /** `q:<request id>`, `d:<transfer id>` (debit), `c:<transfer id>` (credit), `r:<transfer id>` (refund) → `ok` or the rejection reason. */
  applied: AppliedSteps;
};

/** Commands of the account aggregate. */
export type AccountCommand =
  | { type: 'Open'; owner: string }
  | { type: 'Deposit'; amount: number; requestId: string }
  | { type: 'Withdraw'; amount: number; requestId: string }
  | { type: 'Freeze' }
  | { type: 'Unfreeze' }
  | { type: 'Close' }
  | { type: 'DebitForTransfer'; transferId: string; amount: number; to: string }
  | { type: 'CreditForTransfer'; transferId: string; amount: number; from: string }
  | { type: 'RefundTransfer'; transferId: string; amount: number };

/** Events of the account aggregate. */
export type AccountEvent =
  | { type: 'AccountOpened'; data: { owner: string } }
  | { type: 'MoneyDeposited'; data: { amount: number; requestId: string } }
  | { type: 'MoneyWithdrawn'; data: { amount: number; requestId: string } }
  | { type: 'AccountFrozen'; data: Record<string, unknown> }
  | { type: 'AccountUnfrozen'; data: Record<string, unknown> }
  | { type: 'AccountClosed'; data: Record<string, unknown> }
  | { type: 'TransferDebited'; data: { transferId: string; amount: number; to: string } }
  | { type: 'TransferDebitRejected'; data: { transferId: string; amount: number; reason: RejectionReason } }
  | { type: 'TransferCredited'; data: { transferId: string; amount: number; from: string } }
  | { type: 'TransferCreditRejected'; data: { transferId: string; amount: number; reason: RejectionReason } }
  | { type: 'TransferRefunded'; data: { transferId: string; amount: number } };

const OWNER = /^[\p{L}\p{N} ._@'-]{1,100}$/u;

function notOpen(state: AccountState): RejectionReason | undefined {
  switch (state.status) {
    case 'open':
      return undefined;
    case 'none':
      return 'ACCOUNT_NOT_FOUND';
    case 'frozen':
      return 'ACCOUNT_FROZEN';
    case 'closed':
      return 'ACCOUNT_CLOSED';
  }
}

function requireOpen(state: AccountState): void {
  const reason = notOpen(state);
  if (reason !== undefined) throw rejection(reason, `the account is ${state.status === 'none' ? 'not open' : state.status}`);
}

/** A step already taken: `ok` replays as nothing to do, a recorded refusal is refused again. */
function replay(state: AccountState, key: string): [] | undefined {
  const outcome = appliedOutcome(state.applied, key);
  if (outcome === undefined) return undefined;
  if (outcome === 'ok') return [];
  throw rejection(outcome as RejectionReason, `already refused: ${outcome}`, { replayed: true });
}

/**
 * The account decider: open, deposit, withdraw, freeze, unfreeze, close, and the three steps a
 * transfer takes on an account. Balances are integers of minor units and never go negative.
 *
 * Transfer steps never throw for a business rule on their first run: they record the refusal as an
 * event, so the account stream decides a transfer step's outcome exactly once, and every process
 * that drives the same transfer later reads the same outcome.
 */
export const account = defineAggregate<AccountState, AccountCommand, AccountEvent>({
  name: 'account',
  initialState: () => ({ status: 'none', owner: '', balance: 0, applied: noSteps() }),
  snapshotEvery: 100,
  evolve(state, event) {
    switch (event.type) {
      case 'AccountOpened':
        return { ...state, status: 'open', owner: event.data.owner };
      case 'MoneyDeposited':
        return { ...state, balance: state.balance + event.data.amount, applied: withStep(state.applied, `q:${event.data.requestId}`, 'ok') };
      case 'MoneyWithdrawn':
        return { ...state, balance: state.balance - event.data.amount, applied: withStep(state.applied, `q:${event.data.requestId}`, 'ok') };
      case 'AccountFrozen':
        return { ...state, status: 'frozen' };
      case 'AccountUnfrozen':
        return { ...state, status: 'open' };
      case 'AccountClosed':
        return { ...state, status: 'closed' };
      case 'TransferDebited':
        return { ...state, balance: state.balance - event.data.amount, applied: withStep(state.applied, `d:${event.data.transferId}`, 'ok') };
      case 'TransferDebitRejected':
        return { ...state, applied: withStep(state.applied, `d:${event.data.transferId}`, event.data.reason) };
      case 'TransferCredited':
        return { ...state, balance: state.balance + event.data.amount, applied: withStep(state.applied, `c:${event.data.transferId}`, 'ok') };
      case 'TransferCreditRejected':
        return { ...state, applied: withStep(state.applied, `c:${event.data.transferId}`, event.data.reason) };
      case 'TransferRefunded':
        return { ...state, balance: state.balance + event.data.amount, applied: withStep(state.applied, `r:${event.data.transferId}`, 'ok') };
      default:
        return state;
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'Open': {
        if (typeof command.owner !== 'string' || !OWNER.test(command.owner)) {
          throw new InvalidArgumentError('owner', 'expected 1-100 letters, digits, spaces or ._@\'-');
        }
        if (state.status !== 'none') {
          // Opening again for the same owner is a retry of the same request.
          if (state.owner === command.owner) return [];
          throw rejection('ACCOUNT_EXISTS', 'the account already exists');
        }
        return { type: 'AccountOpened', data: { owner: command.owner } };
      }
      case 'Deposit': {
        assertAmount(command.amount);
        assertId(command.requestId, 'requestId');
        const done = replay(state, `q:${command.requestId}`);
        if (done) return done;
        requireOpen(state);
        return { type: 'MoneyDeposited', data: { amount: command.amount, requestId: command.requestId } };
      }
      case 'Withdraw': {
        assertAmount(command.amount);
        assertId(command.requestId, 'requestId');
        const done = replay(state, `q:${command.requestId}`);
        if (done) return done;
        requireOpen(state);
        if (state.balance < command.amount) throw rejection('INSUFFICIENT_FUNDS', 'the balance does not cover the withdrawal');
        return { type: 'MoneyWithdrawn', data: { amount: command.amount, requestId: command.requestId } };
      }
      case 'Freeze':
        if (state.status === 'frozen') return [];
        requireOpen(state);
        return { type: 'AccountFrozen', data: {} };
      case 'Unfreeze':
        if (state.status === 'open') return [];
        if (state.status !== 'frozen') throw rejection(notOpen(state) ?? 'INVALID_TRANSITION', 'only a frozen account can be unfrozen');
        return { type: 'AccountUnfrozen', data: {} };
      case 'Close':
        if (state.status === 'closed') return [];
        if (state.status === 'none') throw rejection('ACCOUNT_NOT_FOUND', 'the account is not open');
        if (state.balance !== 0) throw rejection('BALANCE_NOT_ZERO', 'withdraw the balance before closing the account');
        return { type: 'AccountClosed', data: {} };
      case 'DebitForTransfer': {
        assertAmount(command.amount);
        assertId(command.transferId, 'transferId');
        const done = replay(state, `d:${command.transferId}`);
        if (done) return done;
        const reason = notOpen(state) ?? (state.balance < command.amount ? 'INSUFFICIENT_FUNDS' : undefined);
        if (reason !== undefined) {
          return { type: 'TransferDebitRejected', data: { transferId: command.transferId, amount: command.amount, reason } };
        }
        return { type: 'TransferDebited', data: { transferId: command.transferId, amount: command.amount, to: command.to } };
      }
      case 'CreditForTransfer': {
        assertAmount(command.amount);
        assertId(command.transferId, 'transferId');
        const done = replay(state, `c:${command.transferId}`);
        if (done) return done;
        const reason = notOpen(state);
        if (reason !== undefined) {
          return { type: 'TransferCreditRejected', data: { transferId: command.transferId, amount: command.amount, reason } };
        }
        return { type: 'TransferCredited', data: { transferId: command.transferId, amount: command.amount, from: command.from } };
      }
      case 'RefundTransfer': {
        assertAmount(command.amount);
        assertId(command.transferId, 'transferId');
        const done = replay(state, `r:${command.transferId}`);
        if (done) return done;
        // A refund returns money that left this account; it must succeed whatever happened to the account since.
        if (appliedOutcome(state.applied, `d:${command.transferId}`) !== 'ok') {
          throw rejection('INVALID_TRANSITION', 'nothing was debited for this transfer');
        }
        return { type: 'TransferRefunded', data: { transferId: command.transferId, amount: command.amount } };
      }
      default:
        throw new InvalidArgumentError('command.type', `unknown account command ${String((command as { type?: unknown }).type)}`);
    }
  },
});
