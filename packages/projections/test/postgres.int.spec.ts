import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgPool, type PgPool } from '@strata/pool';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore, type PostgresEventStore } from '@strata/store-postgres';
import {
  createPostgresDeadLetterStore,
  createPostgresLeaseStore,
  createPostgresProjectionSink,
  createProjectionRunner,
  defineProjection,
  type PostgresSinkTransaction,
} from '../src/index.js';

let server: PostgresServer;
let pool: PgPool;
let store: PostgresEventStore;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  pool = createPgPool({ connectionString: server.connectionString, min: 0, max: 6 });
  store = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'events' });
  await pool.query('CREATE TABLE totals (generation int NOT NULL, stream text NOT NULL, total int NOT NULL, events int NOT NULL, PRIMARY KEY (generation, stream))');
});

afterAll(async () => {
  await store?.close();
  await pool?.drain();
  await server?.stop();
});

async function totals(generation?: number): Promise<Record<string, [number, number]>> {
  const { rows } = await pool.query<{ stream: string; total: number; events: number }>(
    generation === undefined
      ? 'SELECT stream, total, events FROM totals WHERE generation = (SELECT generation FROM strata_projections.projection_checkpoints WHERE projection = $1 AND live) ORDER BY stream'
      : 'SELECT stream, total, events FROM totals WHERE generation = $1 ORDER BY stream',
    [generation ?? 'totals'],
  );
  return Object.fromEntries(rows.map((row) => [row.stream, [row.total, row.events]]));
}

function totalsProjection(sink: Awaited<ReturnType<typeof createPostgresProjectionSink>>, failOn?: () => number | undefined) {
  return defineProjection<PostgresSinkTransaction>({
    name: 'totals',
    handles: ['Deposited'],
    sink,
    retry: { attempts: 2, initialDelayMs: 1 },
    async handle(event, tx) {
      const amount = (event.data as { amount: number }).amount;
      if (amount === failOn?.()) throw new Error(`refusing ${amount}`);
      await tx.query(
        `INSERT INTO totals (generation, stream, total, events) VALUES ($1, $2, $3, 1)
         ON CONFLICT (generation, stream) DO UPDATE SET total = totals.total + EXCLUDED.total, events = totals.events + 1`,
        [tx.generation, event.streamId, amount],
      );
    },
  });
}

describe('PostgreSQL sink, dead letters and leases', () => {
  it('commits tables and checkpoint together, parks into PostgreSQL, replays, and rebuilds blue/green', async () => {
    const sink = await createPostgresProjectionSink({
      pool,
      dropGeneration: async (client, _projection, generation) => void (await client.query('DELETE FROM totals WHERE generation = $1', [generation])),
    });
    const deadLetters = await createPostgresDeadLetterStore({ pool });
    let refuse: number | undefined = 3;
    const runner = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [totalsProjection(sink, () => refuse)], deadLetters, metricsIntervalMs: 0 });
    await runner.start();
    let last = -1;
    for (let i = 1; i <= 6; i++) last = (await store.append(`acct-${i % 2}`, [{ type: 'Deposited', data: { amount: i } }])).position;
    await runner.waitFor(last);
    expect(await totals()).toEqual({ 'acct-0': [12, 3], 'acct-1': [6, 2] });
    const letters = await deadLetters.list('totals');
    expect(letters).toMatchObject([{ projection: 'totals', streamId: 'acct-1', type: 'Deposited', error: { message: 'refusing 3' }, attempts: 2 }]);
    expect(await sink.status('totals')).toEqual({ liveGeneration: 0, checkpoint: last });

    refuse = undefined;
    await runner.replayDeadLetter('totals', letters[0]!.position);
    expect(await totals()).toEqual({ 'acct-0': [12, 3], 'acct-1': [9, 3] });
    expect(await deadLetters.list()).toEqual([]);

    await runner.rebuild('totals');
    expect(await sink.status('totals')).toEqual({ liveGeneration: 1, checkpoint: last });
    expect(await totals()).toEqual({ 'acct-0': [12, 3], 'acct-1': [9, 3] });
    expect(await totals(0), 'the replaced generation is dropped').toEqual({});
    await runner.stop();

    // A restart resumes after the checkpoint: nothing is applied twice.
    const again = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [totalsProjection(sink)], deadLetters, metricsIntervalMs: 0 });
    await again.start();
    last = (await store.append('acct-0', [{ type: 'Deposited', data: { amount: 100 } }])).position;
    await again.waitFor(last);
    expect(await totals()).toEqual({ 'acct-0': [112, 4], 'acct-1': [9, 3] });
    await again.stop();
  });

  it('fences: a takeover waits for a commit made under the old lease, and the old holder is refused afterwards', async () => {
    const leases = await createPostgresLeaseStore({ connectionString: server.connectionString, schema: 'fencing' });
    try {
      const a = (await leases.acquire('job', 'a', 300))!;
      expect(a.token).toBe(1);
      expect(await leases.acquire('job', 'b', 300)).toBeUndefined();
      const order: string[] = [];
      let takeover: Promise<unknown> | undefined;
      await pool.transaction(async (client) => {
        await leases.verify(a, client);
        // Past the expiry, a takeover is attempted while this transaction still holds the row.
        await new Promise((resolve) => setTimeout(resolve, 400));
        takeover = leases.acquire('job', 'b', 5_000).then((lease) => {
          order.push('takeover');
          return lease;
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
        order.push('commit');
      });
      const b = (await takeover) as { token: number } | undefined;
      expect(order).toEqual(['commit', 'takeover']);
      expect(b?.token).toBe(2);
      await expect(leases.verify(a)).rejects.toMatchObject({ code: 'LEASE_LOST' });
      expect(await leases.renew(a, 300)).toBeUndefined();
      expect((await leases.list('jo')).map((info) => [info.name, info.owner, info.live])).toEqual([['job', 'b', true]]);
    } finally {
      await leases.close();
    }
  });
});
