import { defineAggregate, InvalidArgumentError } from '@strata/core';
import { rejection, type RejectionReason } from './bank-rejection.js';
import { assertAmount, assertId } from './money.js';

/**
 * Where a transfer is. `requested` → `completed` is the happy path (debit and credit recorded on
 * the accounts); a refused debit ends in `rejected` (no money moved), a refused credit goes
 * through `compensating` (the source is refunded) to `compensated`. The last three are final.
 *
 * The debit needs no status of its own: the source account remembers it by transfer id, so a
 * transfer resumed from `requested` debits again as a no-op (or is refused again) and goes on.
 */
export type TransferStatus = 'none' | 'requested' | 'compensating' | 'completed' | 'rejected' | 'compensated';

/** A transfer's state. */
export type TransferState = {
  status: TransferStatus;
  from: string;
  to: string;
  amount: number;
  /** Why the transfer was rejected or compensated. */
  reason?: RejectionReason;
};

/** Commands of the transfer process manager's own stream. */
export type TransferCommand =
  | { type: 'Request'; from: string; to: string; amount: number }
  | { type: 'Reject'; reason: RejectionReason }
  | { type: 'Complete' }
  | { type: 'FailCredit'; reason: RejectionReason }
  | { type: 'RecordRefund' };

/** Events of a transfer stream. */
export type TransferEvent =
  | { type: 'TransferRequested'; data: { from: string; to: string; amount: number } }
  | { type: 'TransferRejected'; data: { reason: RejectionReason } }
  | { type: 'TransferCompleted'; data: Record<string, unknown> }
  | { type: 'TransferCreditFailed'; data: { reason: RejectionReason } }
  | { type: 'TransferCompensated'; data: Record<string, unknown> };

/** Statuses after which nothing more happens to a transfer. */
export const FINAL_TRANSFER_STATUSES: ReadonlySet<TransferStatus> = new Set(['completed', 'rejected', 'compensated']);

/**
 * Moves a transfer from one status to the next. Sending the command of a step already taken is a
 * no-op (several drivers may push the same transfer after a crash or on several nodes); a command
 * that contradicts the recorded path is rejected with `INVALID_TRANSITION`.
 */
function step(
  state: TransferState,
  from: TransferStatus,
  reached: readonly TransferStatus[],
  event: TransferEvent,
): TransferEvent | [] {
  if (state.status === from) return event;
  if (reached.includes(state.status)) return [];
  if (state.status === 'none') throw rejection('TRANSFER_NOT_FOUND', 'no such transfer');
  throw rejection('INVALID_TRANSITION', `cannot ${event.type} a transfer that is ${state.status}`);
}

/**
 * The transfer decider: the state of the process manager that debits the source, credits the
 * target and refunds the source when the credit is refused. Its stream id is the transfer id, so
 * requesting the same transfer twice is idempotent.
 */
export const transfer = defineAggregate<TransferState, TransferCommand, TransferEvent>({
  name: 'transfer',
  initialState: () => ({ status: 'none', from: '', to: '', amount: 0 }),
  evolve(state, event) {
    switch (event.type) {
      case 'TransferRequested':
        return { status: 'requested', from: event.data.from, to: event.data.to, amount: event.data.amount };
      case 'TransferRejected':
        return { ...state, status: 'rejected', reason: event.data.reason };
      case 'TransferCompleted':
        return { ...state, status: 'completed' };
      case 'TransferCreditFailed':
        return { ...state, status: 'compensating', reason: event.data.reason };
      case 'TransferCompensated':
        return { ...state, status: 'compensated' };
      default:
        return state;
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'Request': {
        assertId(command.from, 'from');
        assertId(command.to, 'to');
        assertAmount(command.amount);
        if (command.from === command.to) throw new InvalidArgumentError('to', 'a transfer needs two different accounts');
        if (state.status !== 'none') {
          if (state.from === command.from && state.to === command.to && state.amount === command.amount) return [];
          throw rejection('TRANSFER_CONFLICT', 'a different transfer with this id exists');
        }
        return { type: 'TransferRequested', data: { from: command.from, to: command.to, amount: command.amount } };
      }
      case 'Reject':
        return step(state, 'requested', ['rejected'], { type: 'TransferRejected', data: { reason: command.reason } });
      case 'Complete':
        return step(state, 'requested', ['completed'], { type: 'TransferCompleted', data: {} });
      case 'FailCredit':
        return step(state, 'requested', ['compensating', 'compensated'], { type: 'TransferCreditFailed', data: { reason: command.reason } });
      case 'RecordRefund':
        return step(state, 'compensating', ['compensated'], { type: 'TransferCompensated', data: {} });
      default:
        throw new InvalidArgumentError('command.type', `unknown transfer command ${String((command as { type?: unknown }).type)}`);
    }
  },
});
