import { setTimeout as sleep } from 'node:timers/promises';
import { loadAggregate, StrataError, ErrorCodes, type EventStore } from '@strata/core';
import type { CommandBus } from '../commands/command-bus.js';
import { rejectionReason, type RejectionReason } from '../domain/bank-rejection.js';
import { FINAL_TRANSFER_STATUSES, transfer, type TransferCommand, type TransferState } from '../domain/transfer.js';
import type { AccountCommand } from '../domain/account.js';

/** Stream id of a transfer. */
export const transferStream = (transferId: string): string => `transfer-${transferId}`;
/** Stream id of an account. */
export const accountStream = (accountId: string): string => `account-${accountId}`;

/** Steps a transfer takes at most (requested, compensating), with room for reloads after a concurrent driver. */
const MAX_STEPS = 12;
/** Polls (2 ms apart) for a write of another thread to become visible to this thread's reads. */
const READ_WAIT_TRIES = 1_000;

type StepOutcome = { ok: true } | { ok: false; reason: RejectionReason };

/**
 * Drives transfers to a final status: debits the source, credits the target, refunds the source
 * when the credit is refused. Every step is idempotent (accounts remember transfer ids, the
 * transfer stream records each step), so a transfer can be driven again from wherever it stopped:
 * after a crash, from another node, or by two drivers at once. In this process, concurrent
 * `settle` calls for one transfer share one drive.
 */
export class TransferDriver {
  readonly #bus: CommandBus;
  readonly #store: EventStore;
  readonly #metadata: Record<string, string>;
  readonly #inFlight = new Map<string, Promise<TransferState>>();

  constructor(bus: CommandBus, store: EventStore, nodeId: string) {
    this.#bus = bus;
    this.#store = store;
    this.#metadata = { node: nodeId };
  }

  /** Transfers being driven by this process right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Drives `transferId` to a final status (or returns it at once if it has one) and returns its
   * state. `minVersion` is a version of the transfer stream the caller knows was written: commands
   * run on worker threads with store instances of their own, whose commits this thread's store
   * may see a moment later, so the drive waits until its reads show at least that version.
   */
  settle(transferId: string, minVersion = -1, correlationId?: string): Promise<TransferState> {
    return this.#settle(transferId, () => this.#load(transferId, minVersion), correlationId);
  }

  /**
   * Drives a transfer this process has just requested, from the state the request left it in
   * (so nothing needs to be read back first).
   */
  settleRequested(transferId: string, requested: TransferState, correlationId?: string): Promise<TransferState> {
    return this.#settle(transferId, async () => requested, correlationId);
  }

  #settle(transferId: string, initial: () => Promise<TransferState>, correlationId: string | undefined): Promise<TransferState> {
    const running = this.#inFlight.get(transferId);
    if (running !== undefined) return running;
    // The steps' commands join the conversation of the request that asked for the transfer.
    const metadata = correlationId === undefined ? this.#metadata : { ...this.#metadata, correlationId };
    const drive = this.#drive(transferId, initial, metadata).finally(() => this.#inFlight.delete(transferId));
    this.#inFlight.set(transferId, drive);
    return drive;
  }

  /** Waits for every transfer being driven. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #drive(transferId: string, initial: () => Promise<TransferState>, metadata: Record<string, string>): Promise<TransferState> {
    let state = await initial();
    for (let steps = 0; steps < MAX_STEPS; steps++) {
      if (state.status === 'none' || FINAL_TRANSFER_STATUSES.has(state.status)) return state;
      const next = await this.#step(transferId, state, metadata);
      if (next === undefined) await sleep(5);
      state = next ?? (await this.#load(transferId, -1));
    }
    throw new StrataError(ErrorCodes.STORE_FAILURE, `transfer ${transferId} did not settle in ${MAX_STEPS} steps`);
  }

  async #load(transferId: string, minVersion: number): Promise<TransferState> {
    for (let waited = 0; ; waited++) {
      const loaded = await loadAggregate(this.#store, transfer, transferStream(transferId));
      if (loaded.version >= minVersion) return loaded.state;
      if (waited >= READ_WAIT_TRIES) {
        throw new StrataError(ErrorCodes.STORE_FAILURE, `transfer ${transferId} is not readable at version ${minVersion} yet`);
      }
      await sleep(2);
    }
  }

  /** Takes the next step; returns the new state, or `undefined` when it must be reloaded. */
  async #step(transferId: string, state: TransferState, metadata: Record<string, string>): Promise<TransferState | undefined> {
    const { from, to, amount } = state;
    switch (state.status) {
      case 'requested': {
        const debit = await this.#account(from, { type: 'DebitForTransfer', transferId, amount, to }, metadata);
        if (!debit.ok) {
          return this.#record(transferId, { type: 'Reject', reason: debit.reason }, { ...state, status: 'rejected', reason: debit.reason }, metadata);
        }
        const credit = await this.#account(to, { type: 'CreditForTransfer', transferId, amount, from }, metadata);
        return credit.ok
          ? this.#record(transferId, { type: 'Complete' }, { ...state, status: 'completed' }, metadata)
          : this.#record(transferId, { type: 'FailCredit', reason: credit.reason }, { ...state, status: 'compensating', reason: credit.reason }, metadata);
      }
      case 'compensating': {
        const outcome = await this.#account(from, { type: 'RefundTransfer', transferId, amount }, metadata);
        if (!outcome.ok) throw new StrataError(ErrorCodes.STORE_FAILURE, `refund of transfer ${transferId} refused: ${outcome.reason}`);
        return this.#record(transferId, { type: 'RecordRefund' }, { ...state, status: 'compensated' }, metadata);
      }
      default:
        return state;
    }
  }

  async #account(accountId: string, command: AccountCommand, metadata: Record<string, string>): Promise<StepOutcome> {
    try {
      const result = await this.#bus.execute('account', accountStream(accountId), command, { metadata });
      const refused = result.events.find((e) => e.type === 'TransferDebitRejected' || e.type === 'TransferCreditRejected');
      if (refused !== undefined) return { ok: false, reason: (refused.data as { reason: RejectionReason }).reason };
      return { ok: true };
    } catch (error) {
      const reason = rejectionReason(error);
      if (reason === undefined) throw error;
      return { ok: false, reason };
    }
  }

  async #record(transferId: string, command: TransferCommand, next: TransferState, metadata: Record<string, string>): Promise<TransferState | undefined> {
    try {
      await this.#bus.execute('transfer', transferStream(transferId), command, { metadata });
      return next;
    } catch (error) {
      // Another driver recorded a step first: read where the transfer is now.
      if (rejectionReason(error) === 'INVALID_TRANSITION') return undefined;
      throw error;
    }
  }
}
