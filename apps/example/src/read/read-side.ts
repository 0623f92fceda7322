import type { AccountView, DailyTotals, Page, TransactionView } from './views.js';

/** Range and page of a balances query. Bounds are inclusive, in minor units. */
export type BalanceQuery = { min?: number; max?: number; limit: number; cursor?: string };
/** Page of a list query. */
export type PageQuery = { limit: number; cursor?: string };

/**
 * The query side of the bank: four views kept by projections of the account events. The seam
 * between the HTTP layer and the read-model implementation.
 */
export interface ReadSide {
  /** Which implementation answers (shown by `/health`). */
  readonly kind: string;
  /** Global position of the last event every view has applied (-1 before the first). */
  readonly position: number;
  /** Resolves once every view has applied the events up to `position`; rejects after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void>;
  /** Accounts of one owner, by account id. */
  accountsByOwner(owner: string, page: PageQuery): Promise<Page<AccountView>>;
  /** Accounts whose balance is in a range, by balance then account id. */
  balances(query: BalanceQuery): Promise<Page<AccountView>>;
  /** An account's transactions, newest first. */
  history(accountId: string, page: PageQuery): Promise<Page<TransactionView>>;
  /** Totals per UTC day, for days between `from` and `to` inclusive (`YYYY-MM-DD`). */
  dailyTotals(from: string, to: string): Promise<DailyTotals[]>;
  /** Stops projecting and releases the read models. */
  close(): Promise<void>;
}
