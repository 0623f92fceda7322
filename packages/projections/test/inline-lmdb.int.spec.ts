import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLmdbEventStore, type LmdbEventStore } from '@strata/store-lmdb';
import { createReadModelStore, type ReadModelTransaction } from '@strata/query';
import { createProjectionRunner, defineProjection, type InlineProjectionContext, type ProjectionRunner } from '../src/index.js';

type Env = { openDB(name: string, options: object): { get(key: string): unknown; put(key: string, value: unknown): unknown; getRange(): Iterable<{ key: unknown; value: unknown }> } };

let dir: string;
let store: LmdbEventStore;
let runner: ProjectionRunner | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-inline-'));
  store = await createLmdbEventStore({ path: dir, durability: 'none' });
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A balance per stream, kept in a database of the store's own environment. */
function balances() {
  const db = (store.environment as unknown as Env).openDB('balances', { encoding: 'json' });
  const projection = defineProjection<InlineProjectionContext>({
    name: 'balances',
    handles: ['Deposited'],
    mode: 'inline',
    handle(event) {
      const amount = (event.data as { amount: number }).amount;
      if (amount < 0) throw new Error('negative deposit');
      const current = (db.get(event.streamId) as number | undefined) ?? 0;
      void db.put(event.streamId, current + amount);
    },
  });
  return { db, projection };
}

it('catches up, then applies each append in its own write transaction; a failing handler fails only its append', async () => {
  await store.append('account-1', [{ type: 'Deposited', data: { amount: 5 } }]);
  await store.append('other-1', [{ type: 'Noise', data: {} }]);
  const { db, projection } = balances();
  runner = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [projection], metricsIntervalMs: 0 });
  await runner.start();
  expect(db.get('account-1')).toBe(5);

  // Same event-loop turn: one group commit holding all three appends.
  const outcomes = await Promise.allSettled([
    store.append('account-1', [{ type: 'Deposited', data: { amount: 10 } }]),
    store.append('account-2', [{ type: 'Deposited', data: { amount: 7 } }, { type: 'Deposited', data: { amount: -1 } }]),
    store.append('account-3', [{ type: 'Deposited', data: { amount: 2 } }]),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'INLINE_PROJECTION_FAILED' });
  // Nothing of the failed append: neither its events nor the handler's write of its first event.
  expect(await store.streamInfo('account-2')).toBeUndefined();
  expect(db.get('account-2')).toBeUndefined();
  expect(db.get('account-1')).toBe(15);
  expect(db.get('account-3')).toBe(2);
  const positions: number[] = [];
  for await (const event of store.readAll()) positions.push(event.position);
  expect(positions).toEqual([0, 1, 2, 3]);
  expect(await store.checkpoints.load('projection:balances')).toBe(3);
  const [status] = await runner.status();
  expect(status).toMatchObject({ name: 'balances', mode: 'inline', state: 'running', lagEvents: 0 });
});

it('resumes from its checkpoint after a restart without applying anything twice', async () => {
  runner = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [balances().projection], metricsIntervalMs: 0 });
  await runner.start();
  await store.append('account-1', [{ type: 'Deposited', data: { amount: 1 } }]);
  await runner.stop();
  // Appended while no runner is there: the next start catches up.
  await store.append('account-1', [{ type: 'Deposited', data: { amount: 2 } }, { type: 'Deposited', data: { amount: 4 } }]);
  const { db, projection } = balances();
  runner = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [projection], metricsIntervalMs: 0 });
  // Appends racing with the catch-up, queued before and after its transaction in the same group
  // commit, are applied exactly once as well.
  const before = store.append('account-1', [{ type: 'Deposited', data: { amount: 8 } }]);
  const [, after] = await Promise.all([runner.start(), store.append('account-1', [{ type: 'Deposited', data: { amount: 16 } }])]);
  expect([(await before).position, after.position]).toEqual([3, 4]);
  await store.append('account-1', [{ type: 'Deposited', data: { amount: 32 } }]);
  expect(db.get('account-1')).toBe(63);
  expect(await store.checkpoints.load('projection:balances')).toBe(5);
});

it('writes the @strata/query read-model store opened in the event store environment, atomically with each append', async () => {
  const models = await createReadModelStore({ environment: store.environment });
  const accounts = models.collection<{ id: string; balance: number; deposits: number }>('accounts', { indexes: ['balance'] });
  // The collection's catalog commits in a transaction lmdb-js completes on a later tick; appends start after it.
  await new Promise((resolve) => setImmediate(resolve));
  await store.append('account-1', [{ type: 'Deposited', data: { amount: 3 } }]);
  const projection = defineProjection<ReadModelTransaction>({
    name: 'accounts',
    handles: ['Deposited'],
    mode: 'inline',
    sink: models,
    handle(event, tx) {
      const amount = (event.data as { amount: number }).amount;
      if (amount < 0) throw new Error('negative deposit');
      const current = tx.collection<{ id: string; balance: number; deposits: number }>('accounts').get(event.streamId) ?? { id: event.streamId, balance: 0, deposits: 0 };
      tx.collection('accounts').put({ id: event.streamId, balance: current.balance + amount, deposits: current.deposits + 1 });
    },
  });
  runner = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [projection], metricsIntervalMs: 0 });
  await runner.start();
  expect(accounts.get('account-1')).toEqual({ id: 'account-1', balance: 3, deposits: 1 });

  const outcomes = await Promise.allSettled([
    store.append('account-1', [{ type: 'Deposited', data: { amount: 10 } }]),
    store.append('account-2', [{ type: 'Deposited', data: { amount: 7 } }, { type: 'Deposited', data: { amount: -1 } }]),
    store.append('account-3', [{ type: 'Deposited', data: { amount: 2 } }]),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'INLINE_PROJECTION_FAILED' });
  expect(accounts.get('account-2')).toBeUndefined();
  expect(await store.streamInfo('account-2')).toBeUndefined();
  expect(accounts.find({ where: { balance: { gte: 2 } }, orderBy: [{ field: 'balance', direction: 'asc' }] }).items).toEqual([
    { id: 'account-3', balance: 2, deposits: 1 },
    { id: 'account-1', balance: 13, deposits: 2 },
  ]);
  expect((await models.status('accounts')).checkpoint).toBe(2);
});
