import { handleCommand } from '@strata/core';
import { createPostgresEventStore } from '@strata/store-postgres';
import { account } from './account.js';

/** The same decider on PostgreSQL: only the store changes. */
export async function onPostgres(connectionString: string): Promise<number> {
  const store = await createPostgresEventStore({ connectionString, schema: 'bank' });
  try {
    await handleCommand(store, account, 'account-7', { kind: 'open', owner: 'grace' });
    const { state } = await handleCommand(store, account, 'account-7', { kind: 'deposit', amount: 250 });
    return state.balance;
  } finally {
    await store.close();
  }
}
