import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryEventStore, handleCommand, isStrataError } from '@strata/core';
import { createLmdbEventStore } from '@strata/store-lmdb';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { account } from '../examples/account.js';
import { backupStore } from '../examples/backup-lmdb.js';
import { appendWithExpectedVersion, retrySafely } from '../examples/expected-versions.js';
import { gettingStarted } from '../examples/getting-started.js';
import { onPostgres } from '../examples/postgres-store.js';
import { startOwnersProjection } from '../examples/projection.js';
import config, { owners } from '../examples/projections.config.js';
import { createProjectionRunner } from '@strata/projections';
import { openEvolvingStore } from '../examples/schema-evolution.js';
import { followDeposits } from '../examples/subscriptions.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const storePath = (): string => join(dir, `store-${n++}`);

describe('getting started', () => {
  it('opens an account, moves money and reads the history', async () => {
    const { balance, history } = await gettingStarted(storePath());
    expect(balance).toBe(70);
    expect(history.map((e) => [e.version, e.type])).toEqual([
      [0, 'AccountOpened'],
      [1, 'MoneyDeposited'],
      [2, 'MoneyWithdrawn'],
    ]);
  });

  it('rejects what the decider refuses and stores nothing', async () => {
    const store = createInMemoryEventStore();
    await handleCommand(store, account, 'account-1', { kind: 'open', owner: 'ada' });
    await expect(handleCommand(store, account, 'account-1', { kind: 'withdraw', amount: 5 })).rejects.toThrow('insufficient funds');
    expect(await store.headPosition()).toBe(0);
  });
});

describe('concepts', () => {
  it('expected versions: one of two racing appends wins, the other gets WRONG_EXPECTED_VERSION', async () => {
    const result = await appendWithExpectedVersion(createInMemoryEventStore());
    expect([0, 1]).toContain(result.winner);
    expect(result.loser).toBe('expected 0, actual 1');
  });

  it('idempotent appends: a retry returns the original result and stores nothing', async () => {
    const store = await createLmdbEventStore({ path: storePath(), durability: 'none' });
    try {
      expect(await retrySafely(store)).toEqual({ first: 0, retry: 0, events: 1 });
    } finally {
      await store.close();
    }
  });

  it('subscriptions resume after their checkpoint and see each event once', async () => {
    const store = await createLmdbEventStore({ path: storePath(), durability: 'none' });
    try {
      const totals = new Map<string, number>();
      await store.append('account-1', [{ type: 'MoneyDeposited', data: { amount: 5 } }]);
      let follower = await followDeposits(store, totals);
      await waitUntil(() => totals.get('account-1') === 5);
      await follower.stop();
      await store.append('account-1', [{ type: 'MoneyDeposited', data: { amount: 7 } }]);
      await store.append('account-2', [{ type: 'MoneyWithdrawn', data: { amount: 1 } }]);
      follower = await followDeposits(store, totals);
      await waitUntil(() => totals.get('account-1') === 12);
      await follower.stop();
      expect([...totals]).toEqual([['account-1', 12]]);
    } finally {
      await store.close();
    }
  });

  it('schema evolution: version 1 events are read as version 2', async () => {
    const store = await openEvolvingStore(storePath());
    try {
      await store.append('account-1', [{ type: 'MoneyDeposited', data: { amount: 5 }, schemaVersion: 1 }]);
      await store.append('account-1', [{ type: 'MoneyDeposited', data: { amount: 6, currency: 'USD' }, schemaVersion: 2 }]);
      const read = [];
      for await (const event of store.readStream('account-1')) read.push([event.schemaVersion, event.data]);
      expect(read).toEqual([
        [2, { amount: 5, currency: 'EUR' }],
        [2, { amount: 6, currency: 'USD' }],
      ]);
    } finally {
      await store.close();
    }
  });

  it('projections: waitFor gives read-your-writes', async () => {
    const store = await createLmdbEventStore({ path: storePath(), durability: 'none' });
    const owners = new Map<string, string>();
    const runner = await startOwnersProjection(store, owners);
    try {
      const { position } = (await handleCommand(store, account, 'account-9', { kind: 'open', owner: 'lin' }));
      await runner.waitFor(position);
      expect(owners.get('account-9')).toBe('lin');
    } finally {
      await runner.stop();
      await store.close();
    }
  });
});

describe('the projections config module', () => {
  it('builds a runner the application and the CLI share', async () => {
    const path = storePath();
    process.env['STORE_PATH'] = path;
    const options = await config();
    const runner = createProjectionRunner(options);
    try {
      await runner.start();
      const { position } = await handleCommand(options.store, account, 'account-5', { kind: 'open', owner: 'kay' });
      await runner.waitFor(position);
      expect(owners.get('account-5')).toBe('kay');
    } finally {
      await runner.stop();
      await options.close();
      delete process.env['STORE_PATH'];
    }
  });
});

describe('operations', () => {
  it('backs up a store while it is being written, and the copy opens as a store', async () => {
    const source = storePath();
    const store = await createLmdbEventStore({ path: source, durability: 'none' });
    const target = storePath();
    try {
      for (let i = 0; i < 50; i++) await store.append(`account-${i % 5}`, [{ type: 'MoneyDeposited', data: { amount: i } }]);
      const writing = (async () => {
        for (let i = 0; i < 50; i++) await store.append('account-0', [{ type: 'MoneyDeposited', data: { amount: 1 } }]);
      })();
      await backupStore(source, target);
      await writing;
    } finally {
      await store.close();
    }
    const copy = await createLmdbEventStore({ path: target });
    try {
      const head = await copy.headPosition();
      // A snapshot of some committed moment: at least what was there before, whole appends only.
      expect(head).toBeGreaterThanOrEqual(49);
      let count = 0;
      for await (const _event of copy.readAll()) count++;
      expect(count).toBe(head + 1);
    } finally {
      await copy.close();
    }
  });
});

describe('PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres({ fast: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('runs the same decider on PostgreSQL', async () => {
    expect(await onPostgres(server.connectionString)).toBe(250);
  });

  it('errors are typed: a second open of the same account is refused by the decider, not the store', async () => {
    try {
      await onPostgres(server.connectionString);
      expect.unreachable();
    } catch (error) {
      expect(isStrataError(error)).toBe(false);
      expect((error as Error).message).toBe('account already opened');
    }
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  expect(condition()).toBe(true);
}
