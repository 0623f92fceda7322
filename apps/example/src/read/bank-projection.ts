import type { RecordedEvent } from '@strata/core';
import type { AccountEvent } from '../domain/account.js';
import type { AccountView, DailyTotals, TransactionKind, TransactionView } from './views.js';

/** Where the bank projection writes: a transaction of the read-model store. */
export interface BankViewWriter {
  getAccount(accountId: string): AccountView | undefined | Promise<AccountView | undefined>;
  putAccount(view: AccountView): void | Promise<void>;
  addTransaction(view: TransactionView): void | Promise<void>;
  getDaily(day: string): DailyTotals | undefined | Promise<DailyTotals | undefined>;
  putDaily(totals: DailyTotals): void | Promise<void>;
}

/** The event types the bank's views are built from. */
export const PROJECTED_EVENT_TYPES: readonly AccountEvent['type'][] = [
  'AccountOpened',
  'MoneyDeposited',
  'MoneyWithdrawn',
  'AccountFrozen',
  'AccountUnfrozen',
  'AccountClosed',
  'TransferDebited',
  'TransferCredited',
  'TransferRefunded',
];

/** Cache tags a write touches, so cached query results that read it are dropped. */
export const tags = {
  owner: (owner: string) => `owner:${owner}`,
  account: (accountId: string) => `account:${accountId}`,
  balances: 'balances',
  daily: 'daily',
} as const;

/**
 * Applies one account event to the four views (accounts by owner and balances share the account
 * documents). Returns the cache tags it touched. Pure with respect to the writer: the same events
 * in the same order build the same views, whatever store holds them.
 */
export async function applyBankEvent(event: RecordedEvent, writer: BankViewWriter): Promise<string[]> {
  const accountId = event.streamId.slice('account-'.length);
  const at = event.recordedAt.toISOString();
  const e = event as unknown as AccountEvent;
  if (e.type === 'AccountOpened') {
    await writer.putAccount({ accountId, owner: e.data.owner, status: 'open', balance: 0, version: event.version, updatedAt: at });
    return [tags.owner(e.data.owner), tags.balances];
  }
  const current = await writer.getAccount(accountId);
  if (current === undefined) return [];
  const touched = [tags.owner(current.owner), tags.account(accountId), tags.balances];
  const statusOf: Partial<Record<AccountEvent['type'], AccountView['status']>> = {
    AccountFrozen: 'frozen',
    AccountUnfrozen: 'open',
    AccountClosed: 'closed',
  };
  const status = statusOf[e.type];
  if (status !== undefined) {
    await writer.putAccount({ ...current, status, version: event.version, updatedAt: at });
    return touched;
  }
  let kind: TransactionKind;
  let amount: number;
  let transferId: string | undefined;
  let counterparty: string | undefined;
  switch (e.type) {
    case 'MoneyDeposited':
      [kind, amount] = ['deposit', e.data.amount];
      break;
    case 'MoneyWithdrawn':
      [kind, amount] = ['withdrawal', -e.data.amount];
      break;
    case 'TransferDebited':
      [kind, amount, transferId, counterparty] = ['transfer-out', -e.data.amount, e.data.transferId, e.data.to];
      break;
    case 'TransferCredited':
      [kind, amount, transferId, counterparty] = ['transfer-in', e.data.amount, e.data.transferId, e.data.from];
      break;
    case 'TransferRefunded':
      [kind, amount, transferId] = ['refund', e.data.amount, e.data.transferId];
      break;
    default:
      return [];
  }
  const balanceAfter = current.balance + amount;
  await writer.putAccount({ ...current, balance: balanceAfter, version: event.version, updatedAt: at });
  const line: TransactionView = { accountId, seq: event.version, position: event.position, kind, amount, balanceAfter, at };
  if (transferId !== undefined) line.transferId = transferId;
  if (counterparty !== undefined) line.counterparty = counterparty;
  const correlationId = event.metadata.correlationId;
  if (typeof correlationId === 'string') line.correlationId = correlationId;
  await writer.addTransaction(line);
  if (kind === 'deposit' || kind === 'withdrawal' || kind === 'transfer-in') {
    const day = at.slice(0, 10);
    const totals = (await writer.getDaily(day)) ?? { day, deposited: 0, withdrawn: 0, transferred: 0, transfers: 0 };
    const next = { ...totals };
    if (kind === 'deposit') next.deposited += amount;
    else if (kind === 'withdrawal') next.withdrawn -= amount;
    else {
      next.transferred += amount;
      next.transfers += 1;
    }
    await writer.putDaily(next);
    touched.push(tags.daily);
  }
  return touched;
}
