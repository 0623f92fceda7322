import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelNames, isStrataError, type StrataError } from '@strata/core';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPgPool, type PgPool, type PoolMessage } from '../src/index.js';

let server: PostgresServer;
const pools: PgPool[] = [];

beforeAll(async () => {
  server = await startPostgres({ fast: true });
});

afterAll(async () => {
  for (const pool of pools) await pool.drain();
  await server?.stop();
});

function open(options: Partial<Parameters<typeof createPgPool>[0]> = {}): PgPool {
  const pool = createPgPool({ connectionString: server.connectionString, healthCheck: false, ...options });
  pools.push(pool);
  return pool;
}

async function failure(action: () => Promise<unknown>): Promise<StrataError> {
  try {
    await action();
  } catch (error) {
    if (isStrataError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

async function connectionsNamed(name: string): Promise<number> {
  const admin = open({ name: 'admin', min: 0, max: 1 });
  const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [name]);
  return Number(rows[0]!.n);
}

describe('connections', () => {
  it('warms up to min connections at start', async () => {
    const pool = open({ name: 'warm', min: 3, max: 5 });
    await pool.ready;
    expect(pool.stats()).toMatchObject({ total: 3, idle: 3, waiting: 0 });
    expect(await connectionsNamed('warm')).toBe(3);
  });

  it('fails with POOL_TIMEOUT when no connection frees up in time, without tripping the breaker', async () => {
    const pool = open({ name: 'small', min: 0, max: 1, acquireTimeoutMs: 100, breaker: { volumeThreshold: 1 } });
    let release!: () => void;
    const holding = pool.withClient(() => new Promise<void>((resolve) => (release = resolve)));
    for (let i = 0; i < 3; i++) expect((await failure(() => pool.query('SELECT 1'))).code).toBe('POOL_TIMEOUT');
    release();
    await holding;
    expect(pool.breakerState).toBe('closed');
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(pool.stats().acquireTimeouts).toBe(3);
  });

  it('finds broken idle connections in a health check, closes them and tops the pool up to min', async () => {
    const pool = open({ name: 'checked', min: 2, max: 4 });
    await pool.ready;
    // A session left inside a failed transaction answers every statement with an error.
    await pool.withClient(async (client) => {
      await client.query('BEGIN');
      await client.query('SELECT 1/0').catch(() => undefined);
    });
    const report = await pool.checkHealth();
    expect(report).toMatchObject({ evicted: 1, skipped: false });
    expect(pool.stats().total).toBe(2);
    const admin = open({ name: 'killer', min: 0, max: 1 });
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'checked'");
    for (let i = 0; i < 20 && pool.stats().total > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const topUp = await pool.checkHealth();
    expect(topUp.opened).toBe(2);
    expect(await connectionsNamed('checked')).toBe(2);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.query<{ n: number }>('SELECT $1::int AS n', [i])));
    expect(results.map((r) => r.rows[0]?.n)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('drains: calls in flight finish, later calls are STORE_CLOSED', async () => {
    const pool = open({ name: 'draining', min: 1 });
    const slow = pool.query<{ done: boolean }>('SELECT true AS done FROM pg_sleep(0.2)');
    const drained = pool.drain();
    expect((await failure(() => pool.query('SELECT 1'))).code).toBe('STORE_CLOSED');
    expect((await slow).rows).toEqual([{ done: true }]);
    await drained;
    await pool.drain();
    expect(pool.stats()).toMatchObject({ total: 0, draining: true });
  });
});

describe('statements and transactions', () => {
  let pool: PgPool;

  beforeAll(async () => {
    pool = open({ name: 'statements', min: 1, max: 4, breaker: { volumeThreshold: 2, errorThresholdPercentage: 10 } });
    await pool.query('CREATE TABLE items (id int PRIMARY KEY, label text)');
    await pool.query('CREATE SEQUENCE attempts');
  });

  it('maps statement errors to STORE_FAILURE with the SQLSTATE, never retries them, never trips the breaker', async () => {
    await pool.query('INSERT INTO items VALUES (1, $1)', ["it's"]);
    const retries = pool.stats().retries;
    for (let i = 0; i < 10; i++) {
      const duplicate = await failure(() => pool.query('INSERT INTO items VALUES (1, $1)', ['again']));
      expect(duplicate).toMatchObject({ code: 'STORE_FAILURE', details: { sqlState: '23505', constraint: 'items_pkey', kind: 'statement' } });
      const syntax = await failure(() => pool.query('SELEC 1'));
      expect(syntax.details).toMatchObject({ sqlState: '42601', transient: false });
    }
    expect(pool.stats().retries).toBe(retries);
    expect(pool.breakerState).toBe('closed');
  });

  it('retries serialization failures with backoff until the statement succeeds', async () => {
    const retries = pool.stats().retries;
    // Sequences are not transactional: attempts up to n fail with 40001, the next one succeeds.
    await pool.query("CREATE FUNCTION conflict_until(n bigint) RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF nextval('attempts') <= n THEN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END IF; RETURN 1; END $$");
    const now = Number((await pool.query<{ v: string }>("SELECT nextval('attempts') AS v")).rows[0]!.v);
    expect((await pool.query<{ r: number }>('SELECT conflict_until($1) AS r', [now + 2])).rows).toEqual([{ r: 1 }]);
    expect(pool.stats().retries - retries).toBe(2);
    const exhausted = await failure(() => pool.query('SELECT conflict_until($1)', [now + 100]));
    expect(exhausted.details).toMatchObject({ kind: 'conflict', sqlState: '40001', transient: true });
    expect(pool.breakerState).toBe('closed');
  });

  it('commits a transaction, rolls it back when the work throws, and hands back the work’s own error', async () => {
    await pool.transaction(async (client) => {
      await client.query('INSERT INTO items VALUES (2, $1)', ['kept']);
    });
    const mine = new Error('changed my mind');
    await expect(
      pool.transaction(async (client) => {
        await client.query('INSERT INTO items VALUES (3, $1)', ['dropped']);
        throw mine;
      }),
    ).rejects.toBe(mine);
    const { rows } = await pool.query<{ id: number }>('SELECT id FROM items ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual([1, 2]);
  });
});

describe('diagnostics and notifications', () => {
  it('publishes acquisitions and stats on the pool channel', async () => {
    const messages: PoolMessage[] = [];
    const listener = (message: unknown) => void messages.push(message as PoolMessage);
    subscribe(ChannelNames.pool, listener);
    try {
      const pool = open({ name: 'observed', min: 1, max: 2 });
      await pool.ready;
      await pool.query('SELECT 1');
      await pool.checkHealth();
    } finally {
      unsubscribe(ChannelNames.pool, listener);
    }
    const mine = messages.filter((m) => m.pool === 'observed');
    expect(mine.find((m) => m.event === 'acquire')).toMatchObject({ total: expect.any(Number), idle: expect.any(Number), waiting: 0, breaker: 'closed' });
    expect(mine.filter((m) => m.event === 'acquire').every((m) => typeof m.acquireMs === 'number' && m.acquireMs >= 0)).toBe(true);
    expect(mine.some((m) => m.event === 'stats')).toBe(true);
  });

  it('delivers notifications to a listener', async () => {
    const pool = open({ name: 'notify', min: 1, max: 2 });
    const received: string[] = [];
    const listener = await pool.listen('pool_test', (payload) => received.push(payload));
    await pool.query("SELECT pg_notify('pool_test', $1)", ["hello 'there'"]);
    for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received).toEqual(["hello 'there'"]);
    expect(listener.listening).toBe(true);
    await listener.close();
    expect(listener.listening).toBe(false);
  });
});
