import { join } from 'node:path';
import { ErrorCodes, isStrataError, type CheckpointStore, type EventStore, type RecordedEvent } from '@strata/core';
import { createProjectionRunner, defineProjection, type ProjectionRunner } from '@strata/projections';
import { createReadModelStore, type Collection, type FindQuery, type ReadModelStore, type ReadModelTransaction } from '@strata/query';
import { ApiError } from '../errors/api-error.js';
import { applyBankEvent, PROJECTED_EVENT_TYPES, type BankViewWriter } from './bank-projection.js';
import type { BalanceQuery, PageQuery, ReadSide } from './read-side.js';
import type { AccountView, DailyTotals, Page, TransactionView } from './views.js';

type AccountDoc = AccountView & { id: string };
type TransactionDoc = TransactionView & { id: string };
type DailyDoc = DailyTotals & { id: string };

/** The projection's name: its checkpoint and its collections' owner in the read-model store. */
export const BANK_VIEWS = 'bank-views';

/** Options of {@link createQueryReadSide}. */
export type QueryReadSideOptions = {
  store: EventStore & { checkpoints: CheckpointStore };
  /** Directory of the read-model store (a local LMDB environment, one per node). */
  dataDir: string;
  /** `flush` (default) or `none` for throwaway read models. */
  durability?: 'flush' | 'none';
};

/** Keeps the `id` out of answers: it is the storage key, the views have their own. */
function strip<T extends { id: string }>(doc: T): Omit<T, 'id'> {
  const { id: _id, ...view } = doc;
  return view;
}

/**
 * The bank's read side on `@strata/query` and `@strata/projections`: one async projection commits
 * each batch of account events together with its checkpoint into a local read-model store (LMDB),
 * exactly once across crashes; the four views are collections with secondary indexes, queried
 * through the cost-based planner with keyset pagination, results cached by the collections'
 * result cache (`@strata/cache`), which every committed write invalidates.
 */
export class QueryReadSide implements ReadSide {
  readonly kind = '@strata/query + @strata/projections';
  readonly #models: ReadModelStore;
  readonly #runner: ProjectionRunner;
  readonly #accounts: Collection<AccountDoc>;
  readonly #transactions: Collection<TransactionDoc>;
  readonly #daily: Collection<DailyDoc>;
  readonly #applied: { value: number };

  constructor(models: ReadModelStore, runner: ProjectionRunner, applied: { value: number }) {
    this.#models = models;
    this.#runner = runner;
    const resultCache = { ttlMs: 30_000, maxEntries: 10_000 };
    this.#accounts = models.collection<AccountDoc>('accounts', { indexes: ['owner', 'balance'], resultCache });
    this.#transactions = models.collection<TransactionDoc>('transactions', { indexes: [{ fields: ['accountId', 'seq'] }], resultCache });
    this.#daily = models.collection<DailyDoc>('daily', { indexes: ['day'], resultCache });
    this.#applied = applied;
  }

  /** Position of the last event the projection applied (the checkpoint may trail it by a batch). */
  get position(): number {
    return this.#applied.value;
  }

  async waitFor(position: number, timeoutMs: number): Promise<void> {
    try {
      await this.#runner.waitFor(position, { timeoutMs });
    } catch (error) {
      throw new ApiError(503, 'READ_MODELS_BEHIND', `the read models did not reach position ${position} in ${timeoutMs} ms`, { cause: String(error) });
    }
  }

  async accountsByOwner(owner: string, page: PageQuery): Promise<Page<AccountView>> {
    return this.#find(this.#accounts, { where: { owner }, limit: page.limit }, page.cursor);
  }

  async balances(query: BalanceQuery): Promise<Page<AccountView>> {
    const range: { gte?: number; lte?: number } = {};
    if (query.min !== undefined) range.gte = query.min;
    if (query.max !== undefined) range.lte = query.max;
    const where = query.min === undefined && query.max === undefined ? {} : { balance: range };
    return this.#find(this.#accounts, { where, orderBy: 'balance', limit: query.limit }, query.cursor);
  }

  async history(accountId: string, page: PageQuery): Promise<Page<TransactionView>> {
    return this.#find(this.#transactions, { where: { accountId }, orderBy: { field: 'seq', direction: 'desc' }, limit: page.limit }, page.cursor);
  }

  async dailyTotals(from: string, to: string): Promise<DailyTotals[]> {
    return this.#daily.find({ where: { day: { gte: from, lte: to } }, orderBy: 'day' }).items.map(strip);
  }

  async close(): Promise<void> {
    await this.#runner.stop();
    await this.#models.close();
  }

  #find<T extends { id: string }>(collection: Collection<T>, query: FindQuery, cursor: string | undefined): Page<Omit<T, 'id'>> {
    try {
      const result = collection.find(cursor === undefined ? query : { ...query, after: cursor });
      return { items: result.items.map(strip), nextCursor: result.cursor ?? null };
    } catch (error) {
      if (cursor !== undefined && isStrataError(error, ErrorCodes.INVALID_ARGUMENT)) {
        throw new ApiError(400, 'INVALID_CURSOR', 'the cursor is not one this endpoint returned');
      }
      throw error;
    }
  }
}

function writerOf(tx: ReadModelTransaction): BankViewWriter {
  const accounts = tx.collection<AccountDoc>('accounts');
  const transactions = tx.collection<TransactionDoc>('transactions');
  const daily = tx.collection<DailyDoc>('daily');
  return {
    getAccount: (id) => {
      const doc = accounts.get(id);
      return doc === undefined ? undefined : strip(doc);
    },
    putAccount: (view) => accounts.put({ id: view.accountId, ...view }),
    // Zero-padded so that ids sort like the history's keyset.
    addTransaction: (line) => transactions.put({ id: `${line.accountId}:${String(line.seq).padStart(12, '0')}`, ...line }),
    getDaily: (day) => {
      const doc = daily.get(day);
      return doc === undefined ? undefined : strip(doc);
    },
    putDaily: (totals) => daily.put({ id: totals.day, ...totals }),
  };
}

/** Opens the read-model store under `dataDir`, starts the projection (catching up from its checkpoint). */
export async function createQueryReadSide(options: QueryReadSideOptions): Promise<QueryReadSide> {
  const models = await createReadModelStore({ path: join(options.dataDir, 'read-models'), durability: options.durability ?? 'flush' });
  const position = { value: -1 };
  const projection = defineProjection<ReadModelTransaction>({
    name: BANK_VIEWS,
    handles: { categories: ['account'], types: PROJECTED_EVENT_TYPES },
    sink: models,
    async handle(event: RecordedEvent, tx: ReadModelTransaction) {
      await applyBankEvent(event, writerOf(tx));
      position.value = event.position;
    },
    batch: { maxSize: 512 },
  });
  const runner = createProjectionRunner({ store: options.store, projections: [projection], checkpoints: options.store.checkpoints });
  try {
    const side = new QueryReadSide(models, runner, position);
    await runner.start();
    return side;
  } catch (error) {
    await runner.stop().catch(() => undefined);
    await models.close();
    throw error;
  }
}
