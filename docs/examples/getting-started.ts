import { handleCommand, type EventStore, type RecordedEvent } from '@strata/core';
import { createLmdbEventStore } from '@strata/store-lmdb';
import { account } from './account.js';

/** Opens an account, moves money, and reads the stream back. */
export async function gettingStarted(path: string): Promise<{ balance: number; history: RecordedEvent[] }> {
  const store: EventStore = await createLmdbEventStore({ path });
  try {
    await handleCommand(store, account, 'account-42', { kind: 'open', owner: 'ada' });
    await handleCommand(store, account, 'account-42', { kind: 'deposit', amount: 100 });
    const { state } = await handleCommand(store, account, 'account-42', { kind: 'withdraw', amount: 30 });

    const history: RecordedEvent[] = [];
    for await (const event of store.readStream('account-42')) history.push(event);
    return { balance: state.balance, history };
  } finally {
    await store.close();
  }
}
