import type { AccountStatus } from '../domain/account.js';

/** One account in the read models: who owns it and what it holds. */
export type AccountView = {
  accountId: string;
  owner: string;
  status: Exclude<AccountStatus, 'none'>;
  balance: number;
  /** Stream version of the last event that changed this view (the account stream may be further on). */
  version: number;
  updatedAt: string;
};

/** What moved money on an account. */
export type TransactionKind = 'deposit' | 'withdrawal' | 'transfer-out' | 'transfer-in' | 'refund';

/** One line of an account's history. */
export type TransactionView = {
  accountId: string;
  /** The account stream's version of the event: the keyset of the history. */
  seq: number;
  position: number;
  kind: TransactionKind;
  /** Signed, in minor units: negative when money left the account. */
  amount: number;
  balanceAfter: number;
  transferId?: string;
  counterparty?: string;
  /** The conversation (HTTP request) that caused the event, from its metadata. */
  correlationId?: string;
  at: string;
};

/** Money moved on one UTC day. */
export type DailyTotals = {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  deposited: number;
  withdrawn: number;
  /** Money that reached a target account through transfers. */
  transferred: number;
  /** Transfers whose credit landed that day. */
  transfers: number;
};

/** One page of a keyset-paginated list; pass `nextCursor` back as `cursor` for the next page. */
export type Page<T> = { items: T[]; nextCursor: string | null };
